// Renders one exchange view: summary bar, error, status line, headers, body, raw bytes, timing, connection/TLS,
// redirects, the request as sent, and all notes. Text only: every value from the wire goes through textContent.
import type { CertificateInfo, HeaderPair, Note, Timings } from '../../src/shared/exchange';
import type { ExchangeSnapshot, ExchangeViewModel, HopView, Meaning, WebviewMessage } from '../../src/shared/protocol';
import { headerValue, requestBody } from '../../src/shared/access';
import { base64ToBytes, latin1 } from '../../src/view/bytes';
import { escapeControls, rawSegments, receivedStatusLine, showLineEnds } from '../../src/view/raw';
import { showMaskBytes } from '../../src/view/maskShown';
import { barGeometry, waterfall } from '../../src/view/waterfall';
import { chainTotalMs, formatBytes, formatMs, hostPort, statusClass } from '../../src/view/units';
import { bodyView, defaultMode, type BodyMode } from './body';
import { framesSection } from './frames';
import { formatFramesNghttp } from '../../src/view/frames';
import { hexDump } from '../../src/view/hexdump';
import { button, disclosure, el, facts, icon, section } from './dom';
import { levelIcon, noteList, notesFor, notesIndex, worst } from './notes';
import { transcriptBody } from './transcript';

export interface UiState {
  expanded: Record<string, boolean>;
  bodyMode?: BodyMode;
  crlf: boolean;
}

export interface RenderContext {
  ui: UiState;
  post(msg: WebviewMessage): void;
  saveUi(): void;
}

const DEFAULT_EXPANDED: Record<string, boolean> = {
  tests: true,
  transcript: true,
  error: true,
  status: true,
  headers: true,
  body: true,
  timing: true,
  raw: false,
  connection: false,
  redirects: true,
  request: false,
  notes: true,
  frames: true,
};

function isExpanded(ctx: RenderContext, id: string): boolean {
  return ctx.ui.expanded[id] ?? DEFAULT_EXPANDED[id] ?? true;
}

function mkSection(
  ctx: RenderContext,
  id: string,
  title: string,
  iconName: string,
  extra: { count?: number; hint?: string; actions?: HTMLElement[] } = {},
): { root: HTMLElement; body: HTMLElement } {
  return section({
    id,
    title,
    iconName,
    expanded: isExpanded(ctx, id),
    ...extra,
    onToggle: (open) => {
      ctx.ui.expanded[id] = open;
      ctx.saveUi();
    },
  });
}

function httpVersion(v: string): string {
  return v.startsWith('HTTP/') ? v : `HTTP/${v}`;
}

/** `HTTP/1.1 200 OK`, `HTTP/2 302` (HTTP/2 has no reason phrase). */
function statusText(version: string, status: number, reason: string): string {
  return `${httpVersion(version)} ${status}${reason ? ` ${reason}` : ''}`;
}

function meaningBlock(m: Meaning | null, fallback: string): HTMLElement {
  const div = el('div', 'meaning');
  if (!m) {
    div.append(el('p', 'muted', fallback));
    return div;
  }
  div.append(el('p', 'meaning-summary', m.summary));
  if (m.deprecated) div.append(el('p', 'deprecated', 'Deprecated.'));
  if (m.detail) div.append(el('p', 'meaning-detail', m.detail));
  if (m.syntax) {
    const s = el('p', 'syntax');
    s.append(el('span', 'label', 'Syntax: '), el('code', undefined, m.syntax));
    div.append(s);
  }
  if (m.reference) div.append(el('p', 'reference', m.reference));
  return div;
}

function summaryBar(vm: ExchangeViewModel, ctx: RenderContext): HTMLElement {
  const ex = vm.hop.exchange;
  const r = ex.response;
  const bar = el('header', 'summary');
  bar.setAttribute('aria-label', 'Summary');
  const line = el('div', 'summary-line');
  line.append(el('span', 'method', ex.request.method), el('span', 'url', ex.request.url));
  const facts2 = el('div', 'summary-facts');
  if (r) {
    const badge = el('span', `status-badge class-${statusClass(r.status)}`, r.httpVersion === '2' ? `HTTP/2 ${r.status}` : `${r.status} ${r.reason}`);
    badge.id = 'summary-status';
    facts2.append(badge);
  } else if (ex.error) {
    facts2.append(el('span', 'status-badge class-error', ex.error.code));
  }
  const t = vm.hop.transcript;
  if (t)
    facts2.append(
      el(
        'span',
        `status-badge socket-state ${t.live ? 'open' : 'closed'}`,
        t.live ? `${t.kind === 'websocket' ? 'WebSocket' : t.kind.toUpperCase()} open` : `${t.rows.length} message${t.rows.length === 1 ? '' : 's'}`,
      ),
    );
  const fact = (iconName: string, text: string, label: string): HTMLElement => {
    const s = el('span', 'fact');
    s.title = label;
    s.setAttribute('aria-label', `${label}: ${text}`);
    s.append(icon(iconName), el('span', undefined, text));
    return s;
  };
  // The hop view carries no redirects of its own: the chain is in vm.redirects.
  const hops = vm.redirects.length;
  facts2.append(
    fact(
      'watch',
      formatMs(chainTotalMs({ timings: ex.timings, redirects: vm.redirects.map((h) => h.exchange) })),
      hops ? `Total time, ${hops} redirect${hops > 1 ? 's' : ''} included` : 'Total time',
    ),
  );
  if (r) {
    facts2.append(fact('arrow-down', `${formatBytes(r.body.wireSize)} wire · ${formatBytes(r.body.size)} decoded`, 'Body size'));
  }
  if (ex.connection?.remoteAddress) facts2.append(fact('server', hostPort(ex.connection.remoteAddress, ex.connection.remotePort), 'Remote address'));
  if (vm.redirects.length) facts2.append(fact('arrow-swap', `${vm.redirects.length} redirect${vm.redirects.length > 1 ? 's' : ''}`, 'Redirects'));
  const actions = el('div', 'summary-actions');
  actions.setAttribute('role', 'toolbar');
  actions.setAttribute('aria-label', 'Response actions');
  // A raw TCP or UDP exchange has no HTTP request for curl to repeat and no response to copy: its bytes are the
  // transcript's.
  const rawSocket = isRawSocket(vm.hop);
  actions.append(
    button('Rerun', 'refresh', () => ctx.post({ type: 'rerun' }), { title: rawSocket ? 'Connect again' : 'Send this request again' }),
    ...(rawSocket
      ? []
      : [
          button('Copy as cURL', 'terminal', () => ctx.post({ type: 'copyCurl', hop: -1 })),
          button('Copy Response', 'copy', () => ctx.post({ type: 'copyResponse', hop: -1 })),
        ]),
    button('Save Exchange', 'save-as', () => ctx.post({ type: 'saveExchange' }), { title: 'Save request and response as an .http file' }),
  );
  bar.append(line, facts2, actions);
  return bar;
}

function errorSection(h: HopView, ctx: RenderContext): HTMLElement | null {
  const e = h.exchange.error;
  if (!e || !h.error) return null;
  const { root, body } = mkSection(ctx, 'error', 'Error', 'error', { hint: e.code });
  root.classList.add('section-error');
  const what = el('p', 'error-title', h.error.title);
  what.id = 'error-title';
  body.append(
    what,
    facts([
      ['Code', e.code],
      ['Phase', `${e.phase} — ${h.error.phase}`],
      ['Message', e.message],
    ]),
  );
  if (h.error.causes.length) {
    body.append(el('p', 'label', 'Likely causes'));
    const ul = el('ul', 'causes');
    for (const c of h.error.causes) ul.append(el('li', undefined, c));
    body.append(ul);
  }
  const seen = h.exchange.response
    ? 'The partial response received before the failure is shown below.'
    : 'No response arrived; the request and the timings so far are below.';
  body.append(el('p', 'muted', seen));
  return root;
}

function headerRows(
  list: HeaderPair[],
  meanings: (Meaning | null)[],
  notes: Note[],
  subjectPrefix: string,
  onCopy: ((i: number) => void) | null,
): HTMLElement {
  const wrap = el('div', 'header-list');
  wrap.setAttribute('role', 'list');
  const bySubject = notesIndex(notes);
  list.forEach(([name, value], i) => {
    const row = el('div', 'header-row');
    row.setAttribute('role', 'listitem');
    const own = bySubject.get(`${subjectPrefix}:${i}`) ?? [];
    const level = worst(own);
    const summary = el('span', 'header-summary');
    const lvl = el('span', 'header-level');
    if (level) lvl.append(levelIcon(level, `${own.length} note${own.length > 1 ? 's' : ''}, worst: ${level}`));
    const m = meanings[i];
    summary.append(
      lvl,
      el('span', name.startsWith(':') ? 'header-name pseudo' : 'header-name', name),
      el('span', 'header-colon', ': '),
      el('span', 'header-value', value),
    );
    summary.append(el('span', 'header-meaning', m?.summary ?? (name.startsWith(':') ? 'HTTP/2 pseudo-header field (RFC 9113 §8.3)' : '')));
    const detail = el('div', 'header-detail');
    detail.append(meaningBlock(m, 'No description for this field (it may be non-standard or application-specific).'));
    if (own.length) detail.append(noteList(own));
    const d = disclosure(summary, detail, `${name}: ${value}. ${m?.summary ?? ''}`);
    if (onCopy) d.append(button(`Copy header ${name}`, 'copy', () => onCopy(i), { iconOnly: true, cls: 'icon-button row-action' }));
    row.append(d);
    wrap.append(row);
  });
  return wrap;
}

function statusSection(h: HopView, ctx: RenderContext): HTMLElement | null {
  const r = h.exchange.response;
  if (!r) return null;
  const own = notesFor(h.exchange.notes, 'status');
  const { root, body } = mkSection(ctx, 'status', 'Status line', 'pulse', { hint: r.headersComplete === false ? 'head cut short' : undefined });
  for (const i of r.interim) {
    body.append(el('div', 'status-line interim', statusText(r.httpVersion, i.status, i.reason)));
    if (i.headers.length)
      body.append(
        headerRows(
          i.headers,
          i.headers.map(() => null),
          [],
          'interim',
          null,
        ),
      );
  }
  const line = el('div', `status-line class-${statusClass(r.status)}`);
  line.id = 'status-line';
  const level = worst(own);
  if (level) line.append(levelIcon(level));
  // As received (spacing and case kept), not rebuilt from the parsed parts.
  const received = h.exchange.frames ? null : receivedStatusLine(base64ToBytes(r.rawBase64), r.headSize);
  line.append(el('span', undefined, received ?? statusText(r.httpVersion, r.status, r.reason)));
  body.append(line, meaningBlock(h.status, 'No description for this status code.'));
  if (own.length) body.append(noteList(own));
  return root;
}

function headersSection(h: HopView, hopRef: number, ctx: RenderContext): HTMLElement | null {
  const r = h.exchange.response;
  if (!r) return null;
  const notes = h.exchange.notes;
  const toLook = notes.filter((n) => n.subject.startsWith('header:') && (n.level === 'warning' || n.level === 'bad')).length;
  const { root, body } = mkSection(ctx, 'headers', 'Response headers', 'list-unordered', {
    count: r.headers.length,
    hint: toLook ? `${toLook} to look at` : undefined,
  });
  if (r.headers.length === 0) body.append(el('p', 'muted', 'No headers.'));
  const list = headerRows(r.headers, h.headers, notes, 'header', (i) => ctx.post({ type: 'copyHeader', hop: hopRef, index: i, trailer: false }));
  list.id = 'response-headers';
  body.append(list);
  if (h.omitted?.headers)
    body.append(
      el(
        'p',
        'muted omitted',
        `${h.omitted.headers.toLocaleString('en')} more header lines not shown here (the panel shows the first ${r.headers.length.toLocaleString('en')}). All of them are in Save Exchange and in wirelens send --json.`,
      ),
    );
  if (r.trailers.length) {
    body.append(el('h3', 'subhead', `Trailers (${r.trailers.length})`));
    body.append(headerRows(r.trailers, h.trailers, notes, 'trailer', (i) => ctx.post({ type: 'copyHeader', hop: hopRef, index: i, trailer: true })));
  }
  return root;
}

function bodySection(h: HopView, ctx: RenderContext): HTMLElement | null {
  const r = h.exchange.response;
  if (!r || !h.body) return null;
  const own = notesFor(h.exchange.notes, 'body');
  const mode = defaultMode(h, ctx.ui.bodyMode);
  const { root, body } = mkSection(ctx, 'body', 'Body', 'file-code', { hint: `${h.body.kind} · ${formatBytes(h.body.totalBytes)}` });
  if (own.length) body.append(noteList(own));
  if (!mode) {
    body.append(el('p', 'muted', 'No body.'));
    return root;
  }
  body.append(
    bodyView(
      h,
      mode,
      {
        open: () => ctx.post({ type: 'openBody', hop: -1 }),
        save: () => ctx.post({ type: 'saveBody', hop: -1 }),
      },
      (m) => {
        ctx.ui.bodyMode = m;
        ctx.saveUi();
      },
    ),
  );
  root.dataset.bodyMode = mode;
  return root;
}

function rawText(text: string, crlf: boolean): string {
  return crlf ? showLineEnds(text) : text.replace(/\r\n/g, '\n');
}

function rawSection(h: HopView, ctx: RenderContext): HTMLElement {
  const ex = h.exchange;
  const toggle = el('button', 'action toggle');
  toggle.type = 'button';
  toggle.append(icon('whitespace'), el('span', 'label', 'Show CR/LF'));
  toggle.setAttribute('aria-pressed', String(ctx.ui.crlf));
  // A request that failed before the socket was up was prepared but never written: calling its bytes "sent" misleads.
  const sentHint = h.requestNotSent ? `${formatBytes(h.requestRawTotalBytes)} prepared, not sent` : `${formatBytes(h.requestRawTotalBytes)} sent`;
  const { root, body } = mkSection(ctx, 'raw', 'Raw exchange', 'file-binary', {
    hint: `${sentHint} · ${formatBytes(h.rawTotalBytes)} received`,
    actions: [toggle],
  });
  const reqPre = el('pre', 'raw raw-request');
  reqPre.setAttribute('aria-label', h.requestNotSent ? 'Request bytes prepared, never sent' : 'Request bytes as sent');
  reqPre.tabIndex = 0;
  const resPre = el('pre', 'raw raw-response');
  resPre.setAttribute('aria-label', 'Response bytes as received');
  resPre.tabIndex = 0;
  const fill = (): void => {
    const reqBytes = base64ToBytes(ex.request.rawBase64);
    if (ex.frames) {
      // HTTP/2 is binary framing: the connection's bytes as a hex dump (the Frames section decodes them).
      reqPre.classList.add('hex');
      resPre.classList.add('hex');
      reqPre.textContent = hexDump(reqBytes, 64 * 1024).lines.join('\n');
      resPre.textContent = hexDump(base64ToBytes(ex.response?.rawBase64 ?? ''), 64 * 1024).lines.join('\n');
      return;
    }
    reqPre.textContent = rawText(escapeControls(showMaskBytes(latin1(reqBytes))), ctx.ui.crlf);
    resPre.replaceChildren();
    const r = ex.response;
    if (!r) return;
    for (const seg of rawSegments(base64ToBytes(r.rawBase64), r.headSize, r.chunks, 64 * 1024 + (r.headSize ?? 0))) {
      const span = el('span', `raw-${seg.kind}`, seg.kind === 'cut' ? `\n${seg.text}` : rawText(seg.text, ctx.ui.crlf));
      if (seg.kind === 'chunk-size') span.title = 'Chunk size line (hexadecimal length)';
      resPre.append(span);
    }
  };
  fill();
  toggle.addEventListener('click', () => {
    ctx.ui.crlf = !ctx.ui.crlf;
    toggle.setAttribute('aria-pressed', String(ctx.ui.crlf));
    ctx.saveUi();
    fill();
  });
  body.append(el('h3', 'subhead', `Request — ${formatBytes(h.requestRawTotalBytes)}`), reqPre);
  if (ex.request.rawTruncated || h.requestRawShownBytes < h.requestRawTotalBytes)
    body.append(el('p', 'cut-note', `First ${formatBytes(h.requestRawShownBytes)} shown.`));
  if (ex.response) {
    const chunkCount = ex.response.chunks?.length ?? 0;
    body.append(
      el('h3', 'subhead', `Response — ${formatBytes(h.rawTotalBytes)}${chunkCount ? `, ${chunkCount} chunk-size lines marked` : ''}`),
      resPre,
    );
  } else {
    body.append(el('p', 'muted', 'No response bytes arrived.'));
  }
  return root;
}

function timingSection(h: HopView, ctx: RenderContext): HTMLElement {
  const t = h.exchange.timings;
  const { root, body } = mkSection(ctx, 'timing', 'Timing', 'watch', { hint: formatMs(t.total) });
  body.append(waterfallChart(t));
  const own = notesFor(h.exchange.notes, 'timing');
  if (own.length) body.append(noteList(own));
  return root;
}

/** The timing waterfall: one row per phase (bar and number), then the total. */
function waterfallChart(t: Timings): HTMLElement {
  const w = waterfall(t);
  const wrap = el('div', 'waterfall-wrap');
  const chart = el('div', 'waterfall');
  chart.setAttribute('role', 'table');
  chart.setAttribute('aria-label', 'Timing waterfall');
  for (const bar of w.bars) {
    const row = el('div', 'wf-row');
    row.setAttribute('role', 'row');
    const label = el('span', 'wf-label', bar.label);
    label.setAttribute('role', 'rowheader');
    const track = el('span', 'wf-track');
    track.setAttribute('role', 'cell');
    track.setAttribute('aria-label', `starts at ${formatMs(bar.start)}`);
    const fill = el('span', `wf-bar wf-${bar.phase}`);
    const g = barGeometry(bar, w.total);
    // CSSOM properties, not a style attribute: allowed by the CSP without 'unsafe-inline'.
    fill.style.left = `${g.left}%`;
    fill.style.width = `${g.width}%`;
    track.append(fill);
    const value = el('span', 'wf-value', formatMs(bar.duration));
    value.setAttribute('role', 'cell');
    row.append(label, track, value);
    chart.append(row);
  }
  const total = el('div', 'wf-row wf-total');
  total.setAttribute('role', 'row');
  const tl = el('span', 'wf-label', 'Total');
  tl.setAttribute('role', 'rowheader');
  const tt = el('span', 'wf-track');
  tt.setAttribute('role', 'cell');
  const tv = el('span', 'wf-value', formatMs(t.total));
  tv.setAttribute('role', 'cell');
  total.append(tl, tt, tv);
  chart.append(total);
  if (w.bars.length === 0) wrap.append(el('p', 'muted', 'No timings were recorded.'));
  wrap.append(chart);
  return wrap;
}

function certValidity(c: CertificateInfo): { text: string; level: 'good' | 'warning' | 'bad' } {
  const now = Date.now();
  const from = Date.parse(c.validFrom);
  const to = Date.parse(c.validTo);
  if (Number.isFinite(from) && now < from) return { text: 'not valid yet', level: 'bad' };
  if (Number.isFinite(to) && now > to) return { text: 'expired', level: 'bad' };
  if (Number.isFinite(to)) {
    const days = Math.floor((to - now) / 86_400_000);
    return { text: `valid, ${days} day${days === 1 ? '' : 's'} left`, level: days < 14 ? 'warning' : 'good' };
  }
  return { text: 'validity unknown', level: 'warning' };
}

function dn(rec: Record<string, string>): string {
  return (
    Object.entries(rec)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ') || '—'
  );
}

/** New or reused, and which earlier exchange opened a reused connection. */
function socketText(c: NonNullable<HopView['exchange']['connection']>): string {
  if (c.reused)
    return `reused (keep-alive): request ${(c.requestsBefore ?? 0) + 1} on this connection, opened by exchange ${(c.openedBy ?? '?').slice(0, 8)}`;
  return `new connection${c.newReason ? ` (${c.newReason})` : ''}${c.openedBy ? `, exchange ${c.openedBy.slice(0, 8)}` : ''}`;
}

function connectionSection(h: HopView, ctx: RenderContext): HTMLElement | null {
  const c = h.exchange.connection;
  const own = notesFor(h.exchange.notes, 'connection');
  const tls = c?.tls ?? null;
  const { root, body } = mkSection(ctx, 'connection', tls ? 'Connection and TLS' : 'Connection', tls ? 'lock' : 'plug', {
    // A refused or timed-out connect leaves a record with no addresses (DNS answers at most): it never existed.
    hint: c?.remoteAddress
      ? `${c.family ?? ''} ${c.reused ? 'reused' : 'new'}${c.proxy ? ' · via proxy' : ''}${tls ? ` · ${tls.protocol ?? 'TLS'}${tls.resumed && !c.reused ? ' resumed' : ''}` : ''}`.trim()
      : 'not established',
  });
  if (tls && !tls.authorized) root.classList.add('section-warning');
  if (!c?.remoteAddress) {
    body.append(el('p', 'muted', 'No connection was established.'));
    if (c?.resolvedAddresses?.length) body.append(facts([['DNS answers', c.resolvedAddresses.join(', ')]]));
    return root;
  }
  const addrs: [string, string][] = [
    ['Local', hostPort(c.localAddress, c.localPort)],
    ['Remote', hostPort(c.remoteAddress, c.remotePort)],
    ['Family', c.family ?? '—'],
    ['Socket', socketText(c)],
  ];
  if (c.proxy) {
    addrs.push(['Proxy', `${c.proxy.url} (${hostPort(c.proxy.address, c.proxy.port)})`]);
    addrs.push([
      'Target',
      `${c.proxy.target} — ${c.proxy.mode === 'forward' ? 'request forwarded in absolute form' : c.proxy.mode === 'tunnel' ? 'through a CONNECT tunnel' : 'through a SOCKS5 tunnel'}`,
    ]);
  }
  for (const a of h.exchange.attempts ?? [])
    addrs.push(['Earlier attempt', `reused connection failed before any response byte (${a.error?.code ?? '?'}); retried on a new one`]);
  if (c.resolvedAddresses?.length) addrs.push(['DNS answers', c.resolvedAddresses.join(', ')]);
  body.append(facts(addrs));
  const leg = h.exchange.tunnel;
  if (leg) {
    // The proxy's own exchange: the first leg of this hop, its bytes both ways and its time.
    const lr = leg.response;
    body.append(
      el(
        'h3',
        'subhead',
        `Proxy tunnel — CONNECT ${lr ? `${lr.status} ${lr.reason}` : (leg.error?.code ?? 'no answer')} · ${formatMs(leg.timings.total)}`,
      ),
    );
    const pre = el('pre', 'raw tunnel-raw');
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', "CONNECT request and the proxy's answer");
    const sent = escapeControls(showMaskBytes(latin1(base64ToBytes(leg.request.rawBase64)))).replace(/\r\n/g, '\n');
    const got = lr ? escapeControls(showMaskBytes(latin1(base64ToBytes(lr.rawBase64), 0, 16 * 1024))).replace(/\r\n/g, '\n') : '';
    pre.textContent = `${sent}${got}`;
    body.append(pre, waterfallChart(leg.timings));
  }
  if (tls) {
    body.append(el('h3', 'subhead', 'TLS'));
    const verified = el('span', tls.authorized ? 'ok' : 'bad');
    verified.append(
      levelIcon(tls.authorized ? 'good' : 'bad'),
      document.createTextNode(tls.authorized ? ' verified' : ` not verified${tls.authorizationError ? ` (${tls.authorizationError})` : ''}`),
    );
    body.append(
      facts([
        ['Protocol', tls.protocol ?? '—'],
        ['Cipher', tls.cipher ?? '—'],
        ['ALPN', tls.alpn ?? 'none'],
        ['Server name', tls.servername ?? '— (no SNI)'],
        [
          'Session',
          c.reused ? 'established earlier on this connection' : tls.resumed ? 'resumed (session ticket of an earlier connection)' : 'full handshake',
        ],
        ['Certificate', verified],
      ]),
    );
    if (!tls.authorized) {
      const why = el('div', 'tls-failure');
      why.setAttribute('role', 'note');
      why.append(
        icon('shield'),
        el('span', undefined, h.tlsFailure ?? `The certificate could not be verified${tls.authorizationError ? `: ${tls.authorizationError}` : ''}.`),
      );
      body.append(why);
    }
    const chain = tls.chain.length ? tls.chain : tls.certificate ? [tls.certificate] : [];
    if (chain.length) {
      body.append(el('h3', 'subhead', `Certificate chain (${chain.length})`));
      const ol = el('ol', 'cert-chain');
      chain.forEach((cert, i) => {
        const v = certValidity(cert);
        const sum = el('span', 'cert-summary');
        sum.append(
          levelIcon(v.level),
          el('span', 'cert-name', cert.subject.CN ?? dn(cert.subject)),
          el('span', 'muted', ` — ${i === 0 ? 'leaf' : i === chain.length - 1 ? 'root' : 'intermediate'}, ${v.text}`),
        );
        const detail = facts([
          ['Subject', dn(cert.subject)],
          ['Issuer', dn(cert.issuer)],
          ['Valid from', cert.validFrom],
          ['Valid to', cert.validTo],
          ['Names', cert.subjectAltNames.join(', ') || '—'],
          ['Serial', cert.serialNumber],
          ['SHA-256', cert.fingerprint256],
        ]);
        const li = el('li');
        li.append(disclosure(sum, detail, `Certificate ${i + 1}: ${cert.subject.CN ?? ''}, ${v.text}`));
        ol.append(li);
      });
      body.append(ol);
    }
  }
  if (own.length) body.append(noteList(own));
  return root;
}

/** Bytes of a redirect hop's raw response and body text shown in its expanded view. */
const HOP_RAW_CHARS = 16 * 1024;

function hopSummary(h: HopView, i: number): string {
  const ex = h.exchange;
  const r = ex.response;
  const loc = r ? headerValue(r.headers, 'location') : null;
  return `${i + 1}. ${ex.request.method} ${ex.request.url} → ${r ? `${r.status} ${r.reason}` : (ex.error?.code ?? 'no response')}${loc ? ` → ${loc}` : ''}`;
}

function redirectsSection(vm: ExchangeViewModel, ctx: RenderContext): HTMLElement | null {
  if (vm.redirects.length === 0) return null;
  const { root, body } = mkSection(ctx, 'redirects', 'Redirect chain', 'arrow-swap', { count: vm.redirects.length });
  const ol = el('ol', 'hops');
  vm.redirects.forEach((h, i) => {
    const detail = el('div', 'hop');
    const r = h.exchange.response;
    if (r) {
      const line = el(
        'div',
        `status-line class-${statusClass(r.status)}`,
        (h.exchange.frames ? null : receivedStatusLine(base64ToBytes(r.rawBase64), r.headSize)) ?? statusText(r.httpVersion, r.status, r.reason),
      );
      detail.append(line, meaningBlock(h.status, ''));
      detail.append(
        headerRows(r.headers, h.headers, h.exchange.notes, 'header', (k) => ctx.post({ type: 'copyHeader', hop: i, index: k, trailer: false })),
      );
    }
    if (h.error) detail.append(el('p', 'error-title', `${h.exchange.error?.code}: ${h.error.title}`));
    detail.append(
      facts([
        ['Request', `${h.exchange.request.method} ${h.exchange.request.url}`],
        ['Time', formatMs(h.exchange.timings.total)],
        ['Remote', hostPort(h.exchange.connection?.remoteAddress, h.exchange.connection?.remotePort)],
      ]),
    );
    // The hop's own exchange: its timings, the bytes both ways, and its body.
    detail.append(el('h3', 'subhead', `Timing — ${formatMs(h.exchange.timings.total)}`), waterfallChart(h.exchange.timings));
    const rawPre = el('pre', 'raw hop-raw');
    rawPre.tabIndex = 0;
    rawPre.setAttribute('aria-label', `Hop ${i + 1}: bytes sent and received`);
    const sent = h.exchange.frames
      ? formatFramesNghttp(h.exchange).join('\n')
      : escapeControls(showMaskBytes(latin1(base64ToBytes(h.exchange.request.rawBase64)))).replace(/\r\n/g, '\n');
    const got = h.exchange.frames
      ? ''
      : r
        ? escapeControls(showMaskBytes(latin1(base64ToBytes(r.rawBase64), 0, HOP_RAW_CHARS))).replace(/\r\n/g, '\n')
        : '';
    rawPre.textContent = `${sent}${got ? `\n${got}` : ''}${r && h.rawTotalBytes > HOP_RAW_CHARS ? `\n… ${h.rawTotalBytes - HOP_RAW_CHARS} more bytes` : ''}`;
    detail.append(el('h3', 'subhead', h.exchange.frames ? 'Frames' : 'Raw exchange'), rawPre);
    if (r && r.body.size > 0) {
      detail.append(el('h3', 'subhead', `Body — ${formatBytes(r.body.size)} ${h.body?.mediaType ?? ''}`));
      if (r.body.text !== null) {
        const pre = el('pre', 'body-text', r.body.text.slice(0, HOP_RAW_CHARS));
        pre.tabIndex = 0;
        detail.append(pre);
      } else detail.append(el('p', 'muted', 'Binary body: see the raw exchange above.'));
    }
    const acts = el('div', 'toolbar');
    acts.append(
      button('Copy as cURL', 'terminal', () => ctx.post({ type: 'copyCurl', hop: i })),
      button('Copy Response', 'copy', () => ctx.post({ type: 'copyResponse', hop: i })),
    );
    detail.append(acts);
    const sum = el('span', 'hop-summary', hopSummary(h, i));
    const li = el('li');
    li.append(disclosure(sum, detail, hopSummary(h, i)));
    ol.append(li);
  });
  const final = el(
    'li',
    'hop-final',
    `${vm.redirects.length + 1}. ${vm.hop.exchange.request.method} ${vm.hop.exchange.request.url} → ${vm.hop.exchange.response ? `${vm.hop.exchange.response.status} ${vm.hop.exchange.response.reason}` : (vm.hop.exchange.error?.code ?? '')} (shown above)`,
  );
  ol.append(final);
  body.append(ol);
  return root;
}

function requestBodyText(ex: ExchangeSnapshot): string | null {
  const body = requestBody(ex.request, ex.frames);
  if (body.length === 0) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return `(${body.length} bytes of binary body — see the ${ex.frames ? 'Frames section' : 'raw exchange'})`;
  }
}

function requestSection(vm: ExchangeViewModel, ctx: RenderContext): HTMLElement {
  const h = vm.hop;
  const req = h.exchange.request;
  const { root, body } = mkSection(ctx, 'request', h.requestNotSent ? 'Request (prepared, not sent)' : 'Request as sent', 'arrow-up', {
    count: req.headers.length,
    hint: vm.masked ? 'secrets masked' : undefined,
  });
  body.append(el('div', 'request-line', `${req.method} ${req.url} ${httpVersion(req.httpVersion)}`));
  body.append(headerRows(req.headers, h.requestHeaders, h.exchange.notes, 'request-header', null));
  const text = requestBodyText(h.exchange);
  if (text !== null) {
    body.append(el('h3', 'subhead', `Body — ${formatBytes(req.bodySize ?? text.length)}`));
    const pre = el('pre', 'body-text', text);
    pre.tabIndex = 0;
    body.append(pre);
  }
  if (vm.masked) body.append(el('p', 'muted', 'Values from private environment files are shown as ••••••.'));
  return root;
}

function notesSection(h: HopView, ctx: RenderContext): HTMLElement | null {
  const notes = h.exchange.notes;
  if (notes.length === 0) return null;
  const bad = notes.filter((n) => n.level === 'bad').length;
  const warn = notes.filter((n) => n.level === 'warning').length;
  const { root, body } = mkSection(ctx, 'notes', 'All notes', 'checklist', {
    count: notes.length,
    hint:
      [bad ? `${bad} problem${bad > 1 ? 's' : ''}` : '', warn ? `${warn} warning${warn > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ') || undefined,
  });
  body.append(noteList(notes, true));
  if (h.omitted?.notes)
    body.append(
      el(
        'p',
        'muted omitted',
        `${h.omitted.notes.toLocaleString('en')} more notes not shown here (the least severe). All of them are in Save Exchange and in wirelens send --json.`,
      ),
    );
  return root;
}

/** Tests and asserts with pass/fail, message, expected/actual and a link to their line; logs; globals set. */
function testsSection(vm: ExchangeViewModel, ctx: RenderContext): HTMLElement | null {
  const t = vm.tests;
  if (!t) return null;
  const hint = t.items.length ? `${t.passed} passed${t.failed ? `, ${t.failed} failed` : ''}` : t.notRun ? 'scripts not run' : undefined;
  const { root, body } = mkSection(ctx, 'tests', 'Tests', t.failed ? 'error' : 'beaker', { count: t.items.length, hint });
  if (t.failed) root.classList.add('tests-failed');
  if (t.notRun) body.append(el('p', 'tests-not-run', `Scripts were not run: ${t.notRun}.`));
  if (t.items.length) {
    const ul = el('ul', 'tests');
    for (const item of t.items) {
      const li = el('li', `test ${item.passed ? 'test-passed' : 'test-failed'}`);
      li.append(levelIcon(item.passed ? 'good' : 'bad', item.passed ? 'Passed' : 'Failed'));
      const text = el('div', 'test-text');
      const head = el('div', 'test-name', item.name);
      const where = `${item.file ? `${item.file}:` : 'line '}${item.line}`;
      const link = el('a', 'test-line', where);
      link.href = '#';
      link.title = `Go to ${where}`;
      link.addEventListener('click', (ev) => {
        ev.preventDefault();
        ctx.post(item.file !== undefined ? { type: 'revealLine', line: item.line, file: item.file } : { type: 'revealLine', line: item.line });
      });
      head.append(document.createTextNode(' '), link);
      text.append(head);
      if (item.message) text.append(el('div', 'test-message', item.message));
      if (item.expected !== undefined || item.actual !== undefined) {
        text.append(
          facts(
            [
              ['Expected', item.expected ?? '—'],
              ['Actual', item.actual ?? '—'],
            ],
            'facts test-values',
          ),
        );
      }
      li.append(text);
      ul.append(li);
    }
    body.append(ul);
  }
  if (t.logs.length) {
    body.append(el('h4', 'tests-sub', 'Log'));
    body.append(el('pre', 'tests-log', t.logs.join('\n')));
  }
  if (t.globals.length) {
    body.append(el('h4', 'tests-sub', 'Globals set'));
    body.append(
      facts(
        t.globals.map(([k, v]) => [k, v] as [string, string]),
        'facts tests-globals',
      ),
    );
  }
  return root;
}

/** WebSocket, TCP, UDP: the messages, below the handshake (an ordinary exchange) when there is one. */
function transcriptSection(h: HopView, ctx: RenderContext): HTMLElement | null {
  const parts = transcriptBody(h, ctx.post);
  const t = h.transcript;
  if (!parts || !t) return null;
  const label = t.kind === 'websocket' ? 'WebSocket messages' : t.kind === 'udp' ? 'Datagrams' : 'Transcript';
  const { root, body } = mkSection(ctx, 'transcript', label, t.kind === 'websocket' ? 'comment-discussion' : 'plug', {
    count: t.rows.length,
    hint: t.live ? 'open' : 'closed',
  });
  body.append(...parts);
  return root;
}

function isRawSocket(h: HopView): boolean {
  return h.transcript?.kind === 'tcp' || h.transcript?.kind === 'udp';
}

/** The whole exchange view, top to bottom. */
export function renderExchangeView(vm: ExchangeViewModel, ctx: RenderContext): HTMLElement[] {
  const h = vm.hop;
  const parts: (HTMLElement | null)[] = [
    summaryBar(vm, ctx),
    testsSection(vm, ctx),
    errorSection(h, ctx),
    statusSection(h, ctx),
    headersSection(h, -1, ctx),
    h.transcript ? null : bodySection(h, ctx),
    transcriptSection(h, ctx),
    timingSection(h, ctx),
    connectionSection(h, ctx),
    redirectsSection(vm, ctx),
    framesSection(h, (id, title, iconName, extra) => mkSection(ctx, id, title, iconName, extra)),
    // A TCP or UDP transcript is the raw exchange: every byte sent and received, in order.
    isRawSocket(h) ? null : rawSection(h, ctx),
    isRawSocket(h) ? null : requestSection(vm, ctx),
    notesSection(h, ctx),
  ];
  return parts.filter((p): p is HTMLElement => p !== null);
}
