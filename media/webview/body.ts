// The body section: pretty JSON/XML with colours, text as text, safe images, hex dump, search, raw toggle.
import type { HopView } from '../../src/shared/protocol';
import { base64ToBytes } from '../../src/view/bytes';
import { hexDump } from '../../src/view/hexdump';
import { wireBodyBytes } from '../../src/view/raw';
import { prettyJson, prettyXml, SAFE_IMAGE_TYPES, type Token } from '../../src/view/tokenize';
import { formatBytes } from '../../src/view/units';
import { button, el, icon } from './dom';

export type BodyMode = 'pretty' | 'raw' | 'hex' | 'image' | 'wire';

/** Hex view and highlighting stay bounded whatever the threshold: the webview must stay responsive. */
const HEX_BYTES = 64 * 1024;
const MAX_MARKS = 1000;

export interface BodyActions {
  open(): void;
  save(): void;
}

function modesFor(h: HopView): BodyMode[] {
  const b = h.body;
  if (!b || b.kind === 'empty') return [];
  const text = h.exchange.response?.body.text ?? null;
  const modes: BodyMode[] = [];
  if (b.kind === 'image' && SAFE_IMAGE_TYPES.has(b.mediaType) && !b.cut) modes.push('image');
  // A cut body is not a whole document: it cannot be pretty-printed, so it is shown as received.
  if ((b.kind === 'json' || b.kind === 'xml') && text !== null && !b.cut) modes.push('pretty');
  if (text !== null) modes.push('raw');
  modes.push('hex');
  // Decoded (the views above) or raw: the bytes as they crossed the wire, when de-chunking or decoding changed them.
  const r = h.exchange.response;
  if (r && r.headSize !== undefined && ((r.body.decodedFrom?.length ?? 0) > 0 || (r.chunks?.length ?? 0) > 0)) modes.push('wire');
  return modes;
}

const MODE_LABELS: Record<BodyMode, string> = { pretty: 'Pretty', raw: 'Raw', hex: 'Hex', image: 'Image', wire: 'Wire' };
const MODE_TITLES: Record<BodyMode, string> = {
  pretty: 'Decoded, formatted',
  raw: 'Decoded text as received, not formatted',
  hex: 'Decoded bytes as a hex dump',
  image: 'Decoded image',
  wire: 'Raw: the bytes as they crossed the wire, chunk framing and content coding still in place',
};

/** Tokens per task: the first batch paints at once, the rest follows without blocking the status line or input. */
const TOKEN_BATCH = 3000;
/** Characters of plain text per task, for the same reason. */
const TEXT_BATCH = 64 * 1024;

/** Runs `step` until it says it is done, one task at a time, and stops when `alive` turns false. */
function progressive(step: () => boolean, alive: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const run = (): void => {
      if (!alive() || step()) resolve();
      else setTimeout(run, 0);
    };
    run();
  });
}

function renderTokens(pre: HTMLElement, tokens: Token[]): Promise<void> {
  let i = 0;
  return progressive(
    () => {
      const frag = document.createDocumentFragment();
      const end = Math.min(tokens.length, i + TOKEN_BATCH);
      for (; i < end; i++) {
        const t = tokens[i];
        if (t.kind === 'plain' || t.kind === 'text') frag.append(document.createTextNode(t.text));
        else {
          const s = document.createElement('span');
          s.className = `tok-${t.kind}`;
          s.textContent = t.text;
          frag.append(s);
        }
      }
      pre.append(frag);
      return i >= tokens.length;
    },
    () => pre.isConnected || i === 0,
  );
}

function renderText(pre: HTMLElement, text: string): Promise<void> {
  let at = 0;
  return progressive(
    () => {
      pre.append(document.createTextNode(text.slice(at, at + TEXT_BATCH)));
      at += TEXT_BATCH;
      return at >= text.length;
    },
    () => pre.isConnected || at === 0,
  );
}

/** Renders the body in the given mode; resolves once all of it is in the DOM (large bodies arrive in batches). */
export function renderBodyContent(h: HopView, mode: BodyMode, into: HTMLElement): Promise<void> {
  into.replaceChildren();
  const r = h.exchange.response;
  const b = h.body;
  if (!r || !b) return Promise.resolve();
  if (mode === 'image') {
    const img = el('img', 'body-image');
    img.alt = `Response image, ${b.mediaType}, ${formatBytes(b.totalBytes)}`;
    // Only raster types from a fixed list, as a data: URL (the CSP allows data: images and nothing remote).
    if (SAFE_IMAGE_TYPES.has(b.mediaType)) img.src = `data:${b.mediaType};base64,${r.body.base64}`;
    into.append(img);
    return Promise.resolve();
  }
  const pre = el('pre', 'body-text');
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', `Response body, ${MODE_LABELS[mode]} view`);
  if (mode === 'wire') {
    const bytes = wireBodyBytes(base64ToBytes(r.rawBase64), r.headSize);
    const dump = hexDump(bytes, HEX_BYTES);
    const total = Math.max(0, h.rawTotalBytes - (r.headSize ?? 0));
    pre.classList.add('hex');
    pre.setAttribute('aria-label', 'Response body as it crossed the wire, hex dump');
    pre.textContent = dump.lines.join('\n');
    into.append(
      el(
        'p',
        'body-info',
        `As received on the wire: ${formatBytes(total)}${(r.body.decodedFrom?.length ?? 0) > 0 ? `, ${r.body.decodedFrom?.join(', ')}-encoded` : ''}${(r.chunks?.length ?? 0) > 0 ? ', chunk framing kept' : ''}.`,
      ),
      pre,
    );
    if (total > dump.shown) into.append(el('p', 'cut-note', `Wire view shows the first ${formatBytes(dump.shown)} of ${formatBytes(total)}.`));
    return Promise.resolve();
  }
  if (mode === 'hex') {
    const bytes = base64ToBytes(r.body.base64);
    const dump = hexDump(bytes, HEX_BYTES);
    pre.classList.add('hex');
    pre.textContent = dump.lines.join('\n');
    into.append(pre);
    if (dump.total > dump.shown || b.totalBytes > dump.shown) {
      into.append(el('p', 'cut-note', `Hex view shows the first ${formatBytes(dump.shown)} of ${formatBytes(b.totalBytes)}.`));
    }
    return Promise.resolve();
  }
  const text = r.body.text ?? '';
  if (mode === 'pretty') {
    const tokens = b.kind === 'json' ? prettyJson(text) : prettyXml(text);
    if (tokens) {
      into.append(pre);
      return renderTokens(pre, tokens);
    }
    into.append(
      el('p', 'cut-note', b.kind === 'json' ? 'Not valid JSON, or too large to format: shown as received.' : 'Could not format: shown as received.'),
    );
  }
  into.append(pre);
  return renderText(pre, text);
}

/** Wraps matches of `query` (case-insensitive) in <mark> elements inside `root`'s text nodes. */
export function highlightMatches(root: HTMLElement, query: string): HTMLElement[] {
  const marks: HTMLElement[] = [];
  if (!query) return marks;
  const q = query.toLowerCase();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  for (const node of nodes) {
    if (marks.length >= MAX_MARKS) break;
    const text = node.data;
    const lower = text.toLowerCase();
    let at = lower.indexOf(q);
    if (at < 0) continue;
    const frag = document.createDocumentFragment();
    let from = 0;
    while (at >= 0 && marks.length < MAX_MARKS) {
      frag.append(document.createTextNode(text.slice(from, at)));
      const m = document.createElement('mark');
      m.textContent = text.slice(at, at + q.length);
      frag.append(m);
      marks.push(m);
      from = at + q.length;
      at = lower.indexOf(q, from);
    }
    frag.append(document.createTextNode(text.slice(from)));
    node.replaceWith(frag);
  }
  return marks;
}

export function defaultMode(h: HopView, remembered: BodyMode | undefined): BodyMode | null {
  const modes = modesFor(h);
  if (modes.length === 0) return null;
  if (remembered && modes.includes(remembered)) return remembered;
  return modes[0];
}

/** Builds the body section's content: toolbar (modes, search, Open in Editor, Save Body), cut notice, the view. */
export function bodyView(h: HopView, mode: BodyMode, actions: BodyActions, onMode: (m: BodyMode) => void): HTMLElement {
  const wrap = el('div', 'body');
  const b = h.body;
  const r = h.exchange.response;
  if (!b || !r || b.kind === 'empty') {
    wrap.append(el('p', 'muted', 'No body.'));
    return wrap;
  }
  const toolbar = el('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Body view');
  const group = el('div', 'segmented');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'View as');
  const content = el('div', 'body-content');
  for (const m of modesFor(h)) {
    const mb = el('button', 'segment', MODE_LABELS[m]);
    mb.type = 'button';
    mb.setAttribute('aria-pressed', String(m === mode));
    mb.title = MODE_TITLES[m];
    mb.addEventListener('click', () => {
      for (const other of group.querySelectorAll('button')) other.setAttribute('aria-pressed', String(other === mb));
      wrap.dataset.mode = m;
      marks = [];
      rendered = renderBodyContent(h, m, content);
      void runSearch();
      onMode(m);
    });
    group.append(mb);
  }
  const search = el('input', 'search');
  search.type = 'search';
  search.placeholder = 'Search body';
  search.setAttribute('aria-label', 'Search in body');
  const count = el('span', 'search-count');
  count.setAttribute('aria-live', 'polite');
  let marks: HTMLElement[] = [];
  let current = -1;
  let rendered: Promise<void> = Promise.resolve();
  const focusMark = (i: number): void => {
    if (marks.length === 0) return;
    marks[current]?.classList.remove('current');
    current = (i + marks.length) % marks.length;
    marks[current].classList.add('current');
    marks[current].scrollIntoView({ block: 'center' });
    count.textContent = `${current + 1} of ${marks.length}${marks.length >= MAX_MARKS ? '+' : ''}`;
  };
  const runSearch = async (): Promise<void> => {
    const q = search.value;
    if (marks.length) rendered = renderBodyContent(h, (wrap.dataset.mode as BodyMode) ?? mode, content);
    await rendered;
    if (q !== search.value) return;
    marks = [];
    current = -1;
    const target = content.querySelector('pre');
    if (!q || !target) {
      count.textContent = '';
      return;
    }
    marks = highlightMatches(target, q);
    count.textContent = marks.length ? '' : 'No results';
    if (marks.length) focusMark(0);
  };
  let timer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void runSearch(), 150);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      focusMark(current + (e.shiftKey ? -1 : 1));
    }
  });
  const prev = button('Previous match', 'arrow-up', () => focusMark(current - 1), { iconOnly: true, cls: 'icon-button' });
  const next = button('Next match', 'arrow-down', () => focusMark(current + 1), { iconOnly: true, cls: 'icon-button' });
  const searchBox = el('div', 'search-box');
  searchBox.append(icon('search'), search, count, prev, next);
  const open = button('Open in Editor', 'go-to-file', () => actions.open(), { title: 'Open the whole body in a read-only editor' });
  const save = button('Save Body', 'save', () => actions.save(), { title: 'Save the body to a file' });
  toolbar.append(group, searchBox, open, save);
  wrap.append(toolbar);
  const info: string[] = [`${b.mediaType || 'no Content-Type'}`, formatBytes(b.totalBytes)];
  const decoded = r.body.decodedFrom ?? [];
  if (decoded.length) info.push(`decoded from ${decoded.join(', ')} (${formatBytes(r.body.wireSize)} on the wire)`);
  if (r.body.charset) info.push(`charset ${r.body.charset}`);
  wrap.append(el('p', 'body-info', info.join(' · ')));
  if (b.cut) {
    const note = el('div', 'cut-banner');
    note.setAttribute('role', 'status');
    const shown = b.shownChars ?? b.shownBytes;
    const msg = r.body.truncated
      ? `The body was cut at the engine's size limit: ${formatBytes(r.body.size)} kept${shown < r.body.size ? `, the first ${formatBytes(shown)} shown here` : ''}.`
      : `Large body: showing the first ${formatBytes(shown)} of ${formatBytes(b.totalBytes)}.`;
    note.append(
      icon('info'),
      el('span', undefined, msg),
      button('Open in Editor', 'go-to-file', () => actions.open(), { cls: 'link-button' }),
    );
    wrap.append(note);
  }
  wrap.dataset.mode = mode;
  wrap.append(content);
  rendered = renderBodyContent(h, mode, content);
  return wrap;
}
