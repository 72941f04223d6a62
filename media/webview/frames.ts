// The Frames section of an HTTP/2 exchange: a lane per stream with every frame placed by time, then each frame
// as an expandable row: its fields, the header block with each field's HPACK coding and sizes, and its bytes.
import type { H2Frame } from '../../src/shared/exchange';
import type { HopView } from '../../src/shared/protocol';
import { base64ToBytes } from '../../src/view/bytes';
import {
  frameBytes,
  frameDetailLines,
  frameLanes,
  frameTime,
  framesHint,
  headerBlockSizes,
  representationLabel,
  representationTag,
  streamTimelines,
} from '../../src/view/frames';
import { hexDump } from '../../src/view/hexdump';
import { formatBytes } from '../../src/view/units';
import { disclosure, el, facts } from './dom';

type MakeSection = (
  id: string,
  title: string,
  iconName: string,
  extra: { count?: number; hint?: string },
) => { root: HTMLElement; body: HTMLElement };

function fieldTable(f: H2Frame): HTMLElement {
  const wrap = el('div', 'hpack');
  const s = headerBlockSizes(f);
  if (s) {
    const pct = s.plain > 0 ? Math.round((s.compressed / s.plain) * 100) : 100;
    wrap.append(
      el(
        'p',
        'hpack-sizes',
        `Header block: ${s.compressed} bytes compressed, ${s.plain} bytes as HTTP/1.1 text (${pct}%); ${s.tableSize} bytes by the HPACK table's count.`,
      ),
    );
  }
  const table = el('table', 'hpack-fields');
  const head = el('tr');
  for (const h of ['Name', 'Value', 'HPACK', 'Bytes', 'Size']) head.append(el('th', undefined, h));
  table.append(head);
  for (const x of f.fields ?? []) {
    const tr = el('tr', `hpack-${x.representation}`);
    if (x.representation === 'size-update') {
      const td = el('td', 'muted', representationLabel(x));
      td.colSpan = 5;
      tr.append(td);
    } else {
      const tag = el('span', `hpack-tag hpack-tag-${representationTag(x).replace(/[^a-z]+/g, '-')}`, representationTag(x));
      const rep = el('td');
      rep.title = representationLabel(x);
      rep.append(tag, el('span', 'muted', ` ${representationLabel(x)}`));
      tr.append(
        el('td', x.name.startsWith(':') ? 'header-name pseudo' : 'header-name', x.name),
        el('td', 'header-value', x.value),
        rep,
        el('td', 'num', String(x.encodedLength)),
        el('td', 'num', String(x.size)),
      );
    }
    table.append(tr);
  }
  wrap.append(table);
  return wrap;
}

function frameRow(f: H2Frame, index: number, sent: Uint8Array, received: Uint8Array): HTMLElement {
  const summary = el('span', `frame-summary frame-${f.direction}`);
  summary.append(
    el('span', 'frame-time', frameTime(f.time)),
    el('span', 'frame-dir', f.direction === 'sent' ? '→' : '←'),
    el('span', 'frame-type', f.type),
    el('span', 'frame-flags', f.flagNames.join(' ')),
    el('span', 'frame-len', `${f.length} B`),
    el('span', 'frame-text', f.summary),
  );
  const detail = el('div', 'frame-detail');
  const row = el('div', 'frame-row');
  row.dataset.frame = String(index);
  const d = disclosure(summary, detail, `${f.direction} ${f.type} on stream ${f.stream}, ${f.length} bytes: ${f.summary}`);
  // Details (hex dumps above all) are built on first opening: a download has hundreds of frames.
  d.querySelector('button')?.addEventListener('click', () => fillDetail(detail, f, index, sent, received), { once: true });
  row.append(d);
  return row;
}

function fillDetail(detail: HTMLElement, f: H2Frame, index: number, sent: Uint8Array, received: Uint8Array): void {
  detail.append(
    facts([
      ['Direction', f.direction === 'sent' ? 'sent by Wire Lens' : 'received from the server'],
      ['Type', `${f.type} (0x${f.typeCode.toString(16).padStart(2, '0')})`],
      ['Stream', f.stream === 0 ? '0 (the connection)' : String(f.stream)],
      ['Flags', `0x${f.flags.toString(16).padStart(2, '0')}${f.flagNames.length ? ` ${f.flagNames.join(' | ')}` : ''}`],
      ['Length', `${f.length} bytes of payload (+ 9 of frame header)`],
      ['Time', frameTime(f.time)],
      ['Offset', `${f.offset} in the bytes ${f.direction === 'sent' ? 'sent' : 'received'}`],
    ]),
  );
  if (f.fields) detail.append(fieldTable(f));
  else {
    const lines = frameDetailLines(f).filter((l) => !l.startsWith('; '));
    if (lines.length) detail.append(el('pre', 'frame-fields', lines.join('\n')));
  }
  const bytes = frameBytes(f, sent, received);
  if (bytes) {
    const dump = hexDump(bytes, 4096);
    const pre = el('pre', 'hex frame-bytes', dump.lines.join('\n'));
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `Bytes of frame ${index + 1}`);
    detail.append(pre);
    if (dump.total > dump.shown) detail.append(el('p', 'cut-note', `First ${formatBytes(dump.shown)} of ${formatBytes(dump.total)} shown.`));
  } else detail.append(el('p', 'muted', 'Bytes not kept: the raw record holds only the start of the connection.'));
}

/** Rows per stream drawn in the panel (the record may hold up to 2000 frames). */
const ROWS_PER_STREAM = 400;

/** Frames of the hop, or null when it is not HTTP/2. */
export function framesSection(h: HopView, mk: MakeSection): HTMLElement | null {
  const ex = h.exchange;
  const frames = ex.frames;
  if (!frames) return null;
  const { root, body } = mk('frames', 'Frames', 'layers', { count: frames.length, hint: framesHint(ex) });
  if (frames.length === 0) {
    body.append(el('p', 'muted', 'No frame was exchanged.'));
    return root;
  }
  const sent = base64ToBytes(ex.request.rawBase64);
  const received = base64ToBytes(ex.response?.rawBase64 ?? '');
  // The lanes: one per stream, a marker per frame at its time.
  const lanes = el('div', 'frame-lanes');
  lanes.setAttribute('aria-label', 'Frames over time, one lane per stream');
  for (const lane of frameLanes(frames)) {
    const row = el('div', 'frame-lane');
    const track = el('span', 'frame-track');
    for (const m of lane.marks) {
      const dot = el('span', `frame-mark frame-${m.direction} frame-type-${m.type.toLowerCase().replace(/[^a-z_]/g, '')}`);
      dot.style.left = `${m.left}%`;
      dot.title = `${m.direction} ${m.type}`;
      track.append(dot);
    }
    row.append(el('span', 'frame-lane-label', lane.label), track);
    lanes.append(row);
  }
  body.append(lanes);
  for (const t of streamTimelines(frames)) {
    body.append(
      el(
        'h3',
        'subhead',
        `${t.label === 'connection' ? 'Connection (stream 0)' : `Stream ${t.stream}`} — ${t.frames.length} frame${t.frames.length === 1 ? '' : 's'}`,
      ),
    );
    const list = el('div', 'frame-list');
    list.setAttribute('role', 'list');
    for (const { index, frame } of t.frames.slice(0, ROWS_PER_STREAM)) list.append(frameRow(frame, index, sent, received));
    body.append(list);
    if (t.frames.length > ROWS_PER_STREAM)
      body.append(
        el(
          'p',
          'cut-note',
          `First ${ROWS_PER_STREAM} of ${t.frames.length} frames of this stream listed; the CLI's --frames or --json prints them all.`,
        ),
      );
  }
  if (ex.framesOmitted?.count)
    body.append(
      el(
        'p',
        'cut-note',
        `${ex.framesOmitted.count} more frames (${formatBytes(ex.framesOmitted.bytes)}, mostly DATA and WINDOW_UPDATE) are counted but not kept.`,
      ),
    );
  return root;
}
