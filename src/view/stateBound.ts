// Bounds a view model for the webview's saved state (kept across reloads): bodies cut further, so the state that
// VS Code serialises stays small whatever the response was.
import type { ExchangeViewModel, HopView } from '../shared/protocol';
import { base64Bytes, sliceBase64, sliceText } from './bytes';

export const STATE_BODY_BYTES = 256 * 1024;
const STATE_HEX_BYTES = 64 * 1024;

function cutHop(h: HopView, maxBytes: number): HopView {
  const r = h.exchange.response;
  if (!r || !h.body) return h;
  const text = r.body.text === null ? null : sliceText(r.body.text, maxBytes);
  const base64 = sliceBase64(r.body.base64, text === null ? maxBytes : Math.min(maxBytes, STATE_HEX_BYTES));
  const shownBytes = base64Bytes(base64);
  const cut = h.body.cut || (text === null && shownBytes < h.body.shownBytes) || (text?.length ?? 0) < (h.body.shownChars ?? 0);
  return {
    ...h,
    exchange: { ...h.exchange, response: { ...r, body: { ...r.body, text, base64 } } },
    body: { ...h.body, shownBytes, shownChars: text === null ? null : text.length, cut },
  };
}

export function boundForState(vm: ExchangeViewModel, maxBytes = STATE_BODY_BYTES): ExchangeViewModel {
  return { ...vm, hop: cutHop(vm.hop, maxBytes), redirects: vm.redirects.map((h) => cutHop(h, maxBytes)) };
}
