// Masks secrets (values from private environment files) wherever the request is shown or saved.
import type { Exchange, HeaderPair } from '../shared/exchange';

export const MASK = '••••••';

/** The secrets in the order they are replaced: each once, none empty, longest first (the sort is stable). */
function replacementOrder(secrets: readonly string[]): string[] {
  return [...new Set(secrets)].filter((x) => x.length > 0).sort((a, b) => b.length - a.length);
}

function replaceAll(text: string, ordered: readonly string[], mask: string): string {
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(mask);
  return out;
}

/** Replaces every occurrence of each secret; longest first so a secret containing another is masked whole. */
export function maskSecrets(text: string, secrets: readonly string[] | undefined, mask = MASK): string {
  if (!secrets || secrets.length === 0 || text === '') return text;
  return replaceAll(text, replacementOrder(secrets), mask);
}

/** A string's UTF-8 bytes as a byte string (code points 0–255). */
function asBytes(s: string): string {
  let b = '';
  for (const x of Buffer.from(s, 'utf8')) b += String.fromCharCode(x);
  return b;
}

const MASK_BYTES = asBytes(MASK);

/** The same on a byte string (code points 0–255): secrets are matched by their UTF-8 bytes. */
export function maskSecretsLatin1(latin1Text: string, secrets: readonly string[] | undefined): string {
  if (!secrets || secrets.length === 0) return latin1Text;
  // The mask goes in as its UTF-8 bytes too, so the result is still a byte string.
  return maskSecrets(latin1Text, secrets.map(asBytes), MASK_BYTES);
}

/** base64 bytes with every secret masked in them (matched by UTF-8 bytes); unchanged when none occurs. */
export function maskBase64(b64: string, secrets: readonly string[] | undefined): string {
  if (!secrets || secrets.length === 0 || b64 === '') return b64;
  return maskBase64With(b64, latin1Order(secrets));
}

/** The secrets' byte strings in replacement order, for maskBase64With. */
function latin1Order(secrets: readonly string[]): string[] {
  return replacementOrder(secrets.map(asBytes));
}

function maskBase64With(b64: string, orderedBytes: readonly string[]): string {
  if (b64 === '' || orderedBytes.length === 0) return b64;
  const latin1 = Buffer.from(b64, 'base64').toString('latin1');
  const masked = replaceAll(latin1, orderedBytes, MASK_BYTES);
  return masked === latin1 ? b64 : Buffer.from(masked, 'latin1').toString('base64');
}

/**
 * A copy of the exchange with every secret masked wherever it can appear: URLs, request and response headers,
 * raw bytes, bodies (a server may echo a credential), trailers, notes, the error, and every redirect hop.
 * What `wirelens send` prints (text and --json) and what is saved, unless secrets are asked for explicitly.
 */
export function maskExchange(ex: Exchange, secrets: readonly string[] | undefined): Exchange {
  const list = (secrets ?? []).filter((s) => s.length > 0);
  if (list.length === 0) return ex;
  // Ordered once for every string of the exchange (and its hops), not once per string.
  return maskWith(ex, { text: replacementOrder(list), bytes: latin1Order(list) });
}

interface Ordered {
  text: readonly string[];
  bytes: readonly string[];
}

function maskWith(ex: Exchange, ordered: Ordered): Exchange {
  const m = (t: string): string => (t === '' ? t : replaceAll(t, ordered.text, MASK));
  const b64 = (t: string): string => maskBase64With(t, ordered.bytes);
  const pairs = (h: HeaderPair[]): HeaderPair[] => h.map(([n, v]) => [n, m(v)]);
  const res = ex.response;
  return {
    ...ex,
    request: { ...ex.request, url: m(ex.request.url), headers: pairs(ex.request.headers), rawBase64: b64(ex.request.rawBase64) },
    response: res
      ? {
          ...res,
          reason: m(res.reason),
          headers: pairs(res.headers),
          trailers: pairs(res.trailers),
          interim: res.interim.map((i) => ({ ...i, headers: pairs(i.headers) })),
          body: { ...res.body, base64: b64(res.body.base64), text: res.body.text === null ? null : m(res.body.text) },
          rawBase64: b64(res.rawBase64),
        }
      : null,
    notes: ex.notes.map((n) => ({ ...n, summary: m(n.summary), detail: m(n.detail) })),
    error: ex.error ? { ...ex.error, message: m(ex.error.message) } : null,
    redirects: ex.redirects.map((r) => maskWith(r, ordered)),
    // A proxy's CONNECT leg and the attempts of a stale connection (issue 13) carry the request too.
    ...(ex.tunnel ? { tunnel: maskWith(ex.tunnel, ordered) } : {}),
    ...(ex.attempts ? { attempts: ex.attempts.map((a) => maskWith(a, ordered)) } : {}),
    // Socket blocks: what was sent (and what an echo server sent back) may carry a secret.
    ...(ex.messages
      ? {
          messages: ex.messages.map((msg) => ({
            ...msg,
            base64: b64(msg.base64),
            text: msg.text === null ? null : m(msg.text),
            ...(msg.closeReason !== undefined ? { closeReason: m(msg.closeReason) } : {}),
          })),
        }
      : {}),
    ...(ex.socket ? { socket: { ...ex.socket, endReason: m(ex.socket.endReason) } } : {}),
  };
}
