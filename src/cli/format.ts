// Terminal rendering of an Exchange: curl -v style heads (`> ` sent, `< ` received, `* ` facts), an httpstat-like
// timing waterfall, the body (pretty JSON, cut when large), the notes and a failure with its likely causes. Plain
// text unless colours are asked for. The facts, units, waterfall rows, transcripts and explanations are the
// panel's (src/view/); only the painting is the terminal's own.
import { showMaskBytes } from '../view/maskShown';
import { headerValue, headEnd, requestWasSent } from '../shared/access';
import type { Exchange, ExchangeError, Note, Timings } from '../shared/exchange';
import { explainError } from '../view/errors';
import { formatFramesNghttp } from '../view/frames';
import { transcriptView } from '../view/transcript';
import { chainTotalMs, formatBytes, formatMs } from '../view/units';
import { barColumns, waterfall, type WaterfallPhase } from '../view/waterfall';

export interface FormatOptions {
  color: boolean;
  /** Where the body went instead of the terminal (--body-out). */
  bodyOut?: string | null;
  /** Body characters shown before cutting. */
  maxBodyChars?: number;
  /** Terminal width for the waterfall. */
  width?: number;
  /** HTTP/2: print every frame (nghttp -v style) instead of the heads. */
  frames?: boolean | 'all';
}

const ESC = '\x1b[';
type Paint = (s: string) => string;

function makePalette(on: boolean): Record<'dim' | 'bold' | 'red' | 'green' | 'yellow' | 'blue' | 'cyan' | 'magenta', Paint> {
  const c = (code: string): Paint => (on ? (s) => `${ESC}${code}m${s}${ESC}0m` : (s) => s);
  return { dim: c('2'), bold: c('1'), red: c('31'), green: c('32'), yellow: c('33'), blue: c('34'), cyan: c('36'), magenta: c('35') };
}

/** The two palettes, made once: a run formats every exchange with the same one. */
const PALETTES = { on: makePalette(true), off: makePalette(false) };

function palette(on: boolean): Palette {
  return on ? PALETTES.on : PALETTES.off;
}

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f\x9b]/g;

/** Shows control characters instead of letting a hostile response drive the terminal. */
export function visible(s: string): string {
  // Most lines hold none: a test is cheaper than a replace with a callback.
  if (!CONTROL.test(s)) return s;
  return s.replace(CONTROLS, (ch) => (ch === '\x1b' ? '\\e' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** The lines of a head (latin1, a mask shown as such), CR before LF dropped, trailing empty lines left out. */
function headLines(raw: Uint8Array): string[] {
  const lines = showMaskBytes(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1')).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * The first `bytes` bytes of a base64 string, decoding only the groups that hold them (a head without the body
 * after it); all of it when `bytes` is undefined.
 */
function base64Prefix(b64: string, bytes?: number): Buffer {
  if (bytes === undefined) return Buffer.from(b64, 'base64');
  const chars = Math.ceil(bytes / 3) * 4;
  const raw = Buffer.from(chars < b64.length ? b64.slice(0, chars) : b64, 'base64');
  return raw.length > bytes ? raw.subarray(0, bytes) : raw;
}

type Palette = ReturnType<typeof makePalette>;

const BAR_COLOR: Record<WaterfallPhase, keyof Palette> = {
  dns: 'cyan',
  connect: 'blue',
  tls: 'magenta',
  send: 'yellow',
  wait: 'green',
  download: 'red',
};
const LABEL_WIDTH = 22;

/** httpstat-like: the panel's waterfall rows, each bar starting where the previous one ended, scaled to the total. */
export function formatTimings(t: Timings, p: Palette, width = 80): string[] {
  const w = waterfall(t);
  const barWidth = Math.max(10, Math.min(50, width - LABEL_WIDTH - 16));
  const out = [p.bold('Timing')];
  for (const bar of w.bars) {
    const { start, length } = barColumns(bar, w.total, barWidth);
    const drawn = length > 0 ? ' '.repeat(start) + p[BAR_COLOR[bar.phase]]('█'.repeat(length)) : '';
    out.push(`  ${bar.label.padEnd(LABEL_WIDTH)} ${formatMs(bar.duration).padStart(10)}  ${drawn}`);
  }
  out.push(`  ${'Total'.padEnd(LABEL_WIDTH)} ${p.bold(formatMs(t.total).padStart(10))}`);
  return out;
}

/** The failure as the panel explains it: code, phase and message, then what it means and its likely causes. */
export function formatError(e: ExchangeError, p: Palette): string[] {
  const x = explainError(e);
  const out = [p.red(p.bold(`✖ ${e.code}`)) + p.red(` (${e.phase}): ${visible(e.message)}`)];
  if (x.title !== e.message) out.push(`  ${visible(x.title)} (${x.phase})`);
  if (x.causes.length > 0) {
    out.push(p.bold('  Likely causes:'));
    for (const c of x.causes) out.push(`    - ${c}`);
  }
  if (x.reference) out.push(p.dim(`  More: wirelens explain error ${e.code}`));
  return out;
}

const LEVEL: Record<Note['level'], [string, keyof ReturnType<typeof palette>]> = {
  bad: ['✖', 'red'],
  warning: ['⚠', 'yellow'],
  info: ['ℹ', 'blue'],
  good: ['✔', 'green'],
};

const LEVEL_RANK: Record<Note['level'], number> = { bad: 0, warning: 1, info: 2, good: 3 };

/** Notes worst first, in their order within a level (the sort is stable; notes already in that order are kept). */
function byLevel(notes: Note[]): Note[] {
  for (let i = 1; i < notes.length; i++) {
    if (LEVEL_RANK[notes[i - 1].level] > LEVEL_RANK[notes[i].level]) return [...notes].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level]);
  }
  return notes;
}

function formatNotes(notes: Note[], p: Palette): string[] {
  if (notes.length === 0) return [];
  const sorted = byLevel(notes);
  const shown = sorted.length > 40 ? sorted.slice(0, 40) : sorted;
  const out = [p.bold('Notes')];
  for (const n of shown) {
    const level = LEVEL[n.level];
    out.push(`  ${p[level[1]](level[0])} ${visible(n.summary)} ${p.dim(`[${n.subject}]`)}`);
  }
  if (sorted.length > shown.length) out.push(p.dim(`  … ${sorted.length - shown.length} more (use --json for all)`));
  return out;
}

function prettyBody(ex: Exchange, opts: FormatOptions, p: Palette): string[] {
  const r = ex.response;
  if (!r) return [];
  const b = r.body;
  if (opts.bodyOut) return [p.dim(`* Body: ${formatBytes(b.size)} written to ${opts.bodyOut}`)];
  if (b.size === 0) return [];
  const max = opts.maxBodyChars ?? 16 * 1024;
  if (b.text === null) {
    const type = headerValue(r.headers, 'content-type') ?? 'no content type';
    return [p.dim(`[binary body: ${formatBytes(b.size)}, ${visible(type)}; use --body-out FILE to save it]`)];
  }
  let text = b.text;
  const type = headerValue(r.headers, 'content-type') ?? '';
  if (/json/i.test(type) && !b.truncated && text.length <= 8 * 1024 * 1024) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      /* shown as received */
    }
  }
  const out: string[] = [];
  const cut = text.length > max;
  out.push(visible((cut ? text.slice(0, max) : text).replace(/\r\n/g, '\n')));
  if (cut || b.truncated) {
    out.push(
      p.dim(
        `… body cut: ${formatBytes(b.size)} in all${b.truncated ? ' (only the start was kept)' : ''}; use --body-out FILE or --json for all of it`,
      ),
    );
  }
  return out;
}

/** An HTTP/2 hop's heads, curl -v style, from the record's fields (the bytes on the wire are frames). */
function h2Heads(ex: Exchange, p: Palette, notSent: boolean): string[] {
  const out: string[] = [];
  const pseudo = (name: string): string => ex.request.headers.find(([n]) => n === name)?.[1] ?? '';
  if (notSent) out.push(p.dim(`* Request not sent (failed in the ${ex.error?.phase} phase)`));
  else {
    out.push(p.cyan(`> ${visible(`${pseudo(':method')} ${pseudo(':path')} HTTP/2`)}`));
    out.push(p.cyan(`> ${visible(`:authority: ${pseudo(':authority')}`)}`));
    for (const [n, v] of ex.request.headers) if (!n.startsWith(':')) out.push(p.cyan(`> ${visible(`${n}: ${v}`)}`));
    out.push(p.cyan('>'));
    const bodySize = ex.request.bodySize ?? 0;
    if (bodySize > 0) out.push(p.dim(`} [${formatBytes(bodySize)} of request body]`));
  }
  const r = ex.response;
  if (!r) return out;
  for (const i of r.interim) out.push(`${p.magenta('<')} ${p.dim(`HTTP/2 ${i.status}`)}`);
  const code = r.status;
  const color = code >= 500 ? p.red : code >= 400 ? p.yellow : code >= 300 ? p.cyan : code >= 200 ? p.green : p.dim;
  out.push(`${p.magenta('<')} ${p.bold(color(`HTTP/2 ${code || '(no :status)'}`))}`);
  for (const [n, v] of r.headers) if (!n.startsWith(':')) out.push(`${p.magenta('<')} ${visible(`${n}: ${v}`)}`);
  if (r.headersComplete) out.push(p.magenta('<'));
  return out;
}

/** One hop: facts, sent head, received head, added to `out`. */
function formatHop(ex: Exchange, p: Palette, opts: { frames?: boolean | 'all' }, out: string[]): string[] {
  const c = ex.connection;
  if (c?.resolvedAddresses && c.resolvedAddresses.length > 0 && ex.timings.dns !== null) {
    out.push(p.dim(`* Resolved ${new URL(ex.request.url).hostname} to ${c.resolvedAddresses.join(', ')}`));
  }
  for (const a of ex.attempts ?? []) {
    out.push(p.yellow(`* Reused connection failed before any response byte (${a.error?.code ?? '?'}): ${visible(a.error?.message ?? '')}`));
  }
  if (c?.proxy) out.push(...formatProxy(ex, p));
  if (c?.remoteAddress && c.reused) {
    out.push(
      p.dim(
        `* Re-using the connection to ${c.remoteAddress} port ${c.remotePort} from ${c.localAddress} port ${c.localPort} (${(c.requestsBefore ?? 0) + 1}. request on it)`,
      ),
    );
  } else if (c?.remoteAddress) {
    out.push(
      p.dim(
        `* Connected to ${c.remoteAddress} port ${c.remotePort} (${c.family ?? '?'}) from ${c.localAddress} port ${c.localPort}${c.newReason ? ` (new connection: ${c.newReason})` : ''}`,
      ),
    );
  }
  const t = c?.tls;
  if (t && c?.reused) out.push(p.dim(`* TLS ${t.protocol ?? '?'} ${t.cipher ?? ''} (established earlier on this connection)`));
  else if (t) {
    if (t.resumed) out.push(p.dim('* TLS session resumed (session ticket from an earlier connection: no certificate exchange)'));
    out.push(p.dim(`* TLS ${t.protocol ?? '?'} ${t.cipher ?? ''}, ALPN ${t.alpn ?? 'none'}${t.servername ? `, SNI ${t.servername}` : ''}`));
    if (t.certificate) {
      const s = t.certificate;
      out.push(
        p.dim(
          `* Certificate: ${Object.entries(s.subject)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}; issuer ${Object.entries(s.issuer)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`,
        ),
      );
      out.push(p.dim(`*   valid ${s.validFrom} → ${s.validTo}; ${s.subjectAltNames.join(', ')}`));
      out.push(p.dim(`*   sha256 ${s.fingerprint256}`));
    }
    out.push(t.authorized ? p.dim('* Certificate verified') : p.yellow(`* Certificate NOT verified: ${t.authorizationError ?? 'unknown'}`));
  }
  if (ex.frames !== undefined) {
    const notSentH2 = !requestWasSent(ex);
    // Only once a connection stood: a request refused before it (a forbidden header, DNS) used no protocol yet.
    if (c?.remoteAddress && (!c.tls || c.tls.alpn === 'h2')) out.push(p.dim(`* Using HTTP/2${c.tls ? ' (ALPN h2)' : ' (h2c, prior knowledge)'}`));
    if (opts.frames && !notSentH2)
      out.push(
        ...formatFramesNghttp(ex, { hpack: true, all: opts.frames === 'all' }).map((l) =>
          l.includes('] send ') ? p.cyan(visible(l)) : l.includes('] recv ') ? p.magenta(visible(l)) : visible(l),
        ),
      );
    else out.push(...h2Heads(ex, p, notSentH2));
    const r = ex.response;
    if (r && r.trailers.length > 0) out.push(p.dim(`* Trailers: ${r.trailers.map(([n, v]) => `${n}: ${v}`).join('; ')}`));
    if (r?.body.decodedFrom && r.body.decodedFrom.length > 0) {
      out.push(p.dim(`* Decoded ${r.body.decodedFrom.join(' → ')}: ${formatBytes(r.body.wireSize)} on the wire → ${formatBytes(r.body.size)}`));
    }
    return out;
  }
  const head = requestHeadBytes(ex.request);
  // Nothing is written before the connection (and TLS) is up: the record still holds the prepared head, but
  // showing it as sent, as curl -v does only for bytes it wrote, would mislead.
  // TCP and UDP have no request head: what they sent is in the transcript.
  if (ex.kind === 'tcp' || ex.kind === 'udp') {
    /* transcript below */
  } else if (!requestWasSent(ex) && head.length > 0) out.push(p.dim(`* Request not sent (failed in the ${ex.error?.phase} phase)`));
  else if (head.length > 0) {
    for (const l of headLines(head)) out.push(p.cyan(`> ${visible(l)}`));
    out.push(p.cyan('>'));
    const bodySize = ex.request.bodySize ?? 0;
    if (bodySize > 0) out.push(p.dim(`} [${formatBytes(bodySize)} of request body]`));
  }
  const r = ex.response;
  if (r) {
    const head =
      r.headersComplete && r.headSize !== undefined
        ? base64Prefix(r.rawBase64, r.headSize)
        : r.headersComplete
          ? Buffer.from(r.rawBase64, 'base64')
          : partialHead(Buffer.from(r.rawBase64, 'base64'));
    const lines = headLines(head);
    // Bounded like the panel: a hostile head of 60,000 lines is summarised; --json keeps every line.
    const cut = lines.length > MAX_HEAD_LINES ? lines.length - MAX_HEAD_LINES : 0;
    for (const l of cut > 0 ? lines.slice(0, MAX_HEAD_LINES) : lines) {
      const m = l.startsWith('HTTP/') ? STATUS_LINE.exec(l) : null;
      if (m) {
        const code = Number(m[2]);
        const color = code >= 500 ? p.red : code >= 400 ? p.yellow : code >= 300 ? p.cyan : code >= 200 ? p.green : p.dim;
        out.push(`${p.magenta('<')} ${p.bold(color(visible(l)))}`);
      } else out.push(`${p.magenta('<')} ${visible(l)}`);
    }
    if (cut > 0) out.push(p.dim(`* … ${cut} more header lines not shown (wirelens send --json has them all)`));
    if (r.headersComplete) out.push(p.magenta('<'));
    if (r.trailers.length > 0) out.push(p.dim(`* Trailers: ${r.trailers.map(([n, v]) => `${n}: ${v}`).join('; ')}`));
    if (r.body.decodedFrom && r.body.decodedFrom.length > 0) {
      out.push(p.dim(`* Decoded ${r.body.decodedFrom.join(' → ')}: ${formatBytes(r.body.wireSize)} on the wire → ${formatBytes(r.body.size)}`));
    }
  }
  return out;
}

/** How a proxy carried the exchange: the proxy and the target, and the CONNECT leg when there was one. */
function formatProxy(ex: Exchange, p: ReturnType<typeof palette>): string[] {
  const out: string[] = [];
  const x = ex.connection?.proxy;
  if (!x) return out;
  const how = x.mode === 'forward' ? 'request forwarded in absolute form' : x.mode === 'tunnel' ? 'CONNECT tunnel' : 'SOCKS5 tunnel';
  out.push(p.dim(`* Via proxy ${x.url} (${x.address ?? '?'} port ${x.port ?? '?'}) to ${x.target}: ${how}${x.source ? `; from ${x.source}` : ''}`));
  const leg = ex.tunnel;
  if (leg) {
    const sent = Buffer.from(leg.request.rawBase64, 'base64');
    const end = sent.indexOf('\r\n\r\n');
    for (const l of headLines(end >= 0 ? sent.subarray(0, end) : sent)) out.push(p.cyan(`> ${visible(l)}`));
    const r = leg.response;
    if (r) {
      const raw = Buffer.from(r.rawBase64, 'base64');
      for (const l of headLines(raw.subarray(0, r.headSize ?? raw.length))) out.push(`${p.magenta('<')} ${visible(l)}`);
    }
    out.push(p.dim(`* Tunnel ${r && r.status >= 200 && r.status < 300 ? 'established' : 'refused'} (${formatMs(leg.timings.total)})`));
  }
  return out;
}
const STATUS_LINE = /^(HTTP\/\d\.\d) (\d{3})(.*)$/;

/** Response head lines printed in text mode (the panel shows as many). */
export const MAX_HEAD_LINES = 1001;

/** The request head bytes, blank line included (requestHead of src/shared/access.ts, without decoding the body). */
function requestHeadBytes(req: Exchange['request']): Buffer {
  if (req.headSize !== undefined) return base64Prefix(req.rawBase64, req.headSize);
  const raw = Buffer.from(req.rawBase64, 'base64');
  const end = headEnd(raw);
  return end < 0 ? raw : raw.subarray(0, end);
}

/** The head bytes of a response cut short: everything up to the body, or all of it. */
function partialHead(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  return end >= 0 ? raw.subarray(0, end) : raw;
}

export function formatExchange(ex: Exchange, opts: FormatOptions): string {
  const p = palette(opts.color);
  const out: string[] = [];
  for (const hop of ex.redirects) {
    formatHop(hop, p, opts, out);
    const loc = hop.response ? headerValue(hop.response.headers, 'location') : null;
    out.push(p.dim(`* Following ${hop.response?.status} to ${visible(loc ?? '?')} (${formatMs(hop.timings.total)})`), '');
  }
  formatHop(ex, p, opts, out);
  const transcript = formatTranscript(ex, p);
  if (transcript.length > 0) out.push('', ...transcript);
  const body = prettyBody(ex, opts, p);
  if (body.length > 0) out.push('', ...body);
  out.push('', ...formatTimings(ex.timings, p, opts.width));
  if (ex.redirects.length > 0) {
    // The waterfall is the final hop's; the whole chain is what the user waited for.
    out.push(
      `  ${`With ${ex.redirects.length} redirect${ex.redirects.length === 1 ? '' : 's'}`.padEnd(LABEL_WIDTH)} ${p.bold(formatMs(chainTotalMs(ex)).padStart(10))}`,
    );
  }
  const notes = formatNotes(ex.redirects.length === 0 ? ex.notes : [...ex.redirects.flatMap((h) => h.notes), ...ex.notes], p);
  if (notes.length > 0) out.push('', ...notes);
  if (ex.error) out.push('', ...formatError(ex.error, p));
  return `${out.join('\n')}\n`;
}

/** A socket exchange's messages: `>` sent, `<` received, each with its time, then how it ended. */
export function formatTranscript(ex: Exchange, p: ReturnType<typeof palette>, secrets?: readonly string[]): string[] {
  const view = transcriptView(ex, { secrets });
  if (!view) return [];
  const out: string[] = [];
  for (const r of view.rows) {
    const sent = r.direction === 'sent';
    const mark = sent ? p.cyan('>') : p.magenta('<');
    const facts = [r.type, formatBytes(r.size), ...r.details].join(' · ');
    out.push(`${mark} ${p.bold(r.time.padStart(10))}  ${p.dim(visible(facts))}`);
    const lines = r.text !== null ? r.text.replace(/\r\n/g, '\n').split('\n') : (r.hex ?? []);
    if (r.text !== null && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    for (const l of lines.slice(0, 200)) out.push(`${mark}   ${sent ? p.cyan(visible(l)) : visible(l)}`);
    if (lines.length > 200) out.push(`${mark}   ${p.dim(`… ${lines.length - 200} more lines`)}`);
    if (r.cut) out.push(`${mark}   ${p.dim('… cut (use --json for the record)')}`);
    if (r.close) out.push(`${mark}   ${p.yellow(visible(r.close))}`);
  }
  if (view.omitted > 0) out.push(p.dim(`* ${view.omitted} more messages (use --json)`));
  for (const l of view.summary) out.push(p.dim(`* ${visible(l)}`));
  return out;
}

/** One line of download progress for stderr. */
export function formatProgress(bytes: number, total: number | null, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (bytes / elapsedMs) * 1000 : 0;
  const pct = total ? ` ${((bytes / total) * 100).toFixed(0).padStart(3)}%` : '';
  return `↓ ${formatBytes(bytes)}${total ? ` / ${formatBytes(total)}` : ''}${pct}  ${formatBytes(rate)}/s  ${(elapsedMs / 1000).toFixed(1)} s`;
}
