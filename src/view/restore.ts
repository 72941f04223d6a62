// Restoring a panel after a reload: the webview's saved state, checked, and the request it showed, to send again.
import type { Exchange } from '../shared/exchange';
import type { ExchangeViewModel, LegSnapshot } from '../shared/protocol';
import type { ResolvedRequest } from '../shared/request';
import { requestBody } from '../shared/access';

function isHop(h: unknown): boolean {
  if (typeof h !== 'object' || h === null) return false;
  const ex = (h as { exchange?: unknown }).exchange as Partial<Exchange> | undefined;
  if (typeof ex !== 'object' || ex === null) return false;
  const req = ex.request;
  if (!req || typeof req.method !== 'string' || typeof req.url !== 'string' || typeof req.rawBase64 !== 'string' || !Array.isArray(req.headers))
    return false;
  if (typeof ex.timings !== 'object' || ex.timings === null || !Array.isArray(ex.notes)) return false;
  const r = ex.response;
  if (r === null) return true;
  return typeof r === 'object' && Array.isArray(r.headers) && typeof r.rawBase64 === 'string' && typeof r.body?.base64 === 'string';
}

/** A structural check of the webview's saved state: it came from our webview, but it is still input. */
export function restoredView(state: unknown): ExchangeViewModel | null {
  if (typeof state !== 'object' || state === null) return null;
  const vm = (state as { view?: unknown }).view;
  if (typeof vm !== 'object' || vm === null) return null;
  const v = vm as Partial<ExchangeViewModel>;
  if (!isHop(v.hop) || !Array.isArray(v.redirects) || !v.redirects.every(isHop)) return null;
  return v as ExchangeViewModel;
}

function legRecord(leg: LegSnapshot): Exchange {
  return { ...leg, connection: null, redirects: [], notes: [] };
}

/** The exchange rebuilt from a restored view; bodies cut for the saved state are marked truncated. */
export function exchangeFromView(vm: ExchangeViewModel): Exchange {
  const one = (h: ExchangeViewModel['hop']): Exchange => {
    const r = h.exchange.response;
    const { tunnel, attempts, ...rest } = h.exchange;
    return {
      ...rest,
      redirects: [],
      // A leg the panel showed becomes a record again (it had no redirects or notes of its own there).
      ...(tunnel ? { tunnel: legRecord(tunnel) } : {}),
      ...(attempts ? { attempts: attempts.map(legRecord) } : {}),
      response: r ? { ...r, body: { ...r.body, truncated: r.body.truncated || (h.body?.cut ?? false) } } : null,
    };
  };
  return { ...one(vm.hop), redirects: vm.redirects.map(one) };
}

/** The request to send again for a restored panel: the first one that went out (before any redirect), as sent. */
export function requestFromExchange(ex: Exchange): ResolvedRequest {
  const firstHop = ex.redirects[0] ?? ex;
  const first = firstHop.request;
  const body = requestBody(first, firstHop.frames);
  return {
    method: first.method,
    url: first.url,
    httpVersion: first.httpVersion,
    headers: first.headers.filter(([n]) => n.toLowerCase() !== 'content-length'),
    body: body.length ? [{ kind: 'bytes', data: body }] : null,
    options: {},
  };
}
