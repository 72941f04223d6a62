// The Frames section of an HTTP/2 exchange: a lane per stream with every frame placed by time, then each frame
// as an expandable row: its fields, the header block with each field's HPACK coding and sizes, and its bytes.
import type { H2Frame } from '../../src/shared/exchange';
import type { HopView } from '../../src/shared/protocol';
import { base64ToBytes } from '../../src/view/bytes';
import {
  FRAMES_PAGE,
  frameBytes,
  frameDetailLines,
  frameLanes,
  frameTime,
  framesHint,
  groupFrames,
  groupMembers,
  groupSpan,
  groupSummary,
  groupTitle,
  headerBlockSizes,
  representationLabel,
  representationTag,
  streamTimelines,
  totalFrames,
  type FrameGroup,
  type FrameItem,
  type GroupMember,
} from '../../src/view/frames';
import { hexDump } from '../../src/view/hexdump';
import { formatBytes } from '../../src/view/units';
import { button, disclosure, el, facts } from './dom';

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

interface RawBytes {
  sent: Uint8Array;
  received: Uint8Array;
}

function frameRow(f: H2Frame, index: number, raw: RawBytes, member?: GroupMember): HTMLElement {
  const timeKnown = member?.timeKnown ?? true;
  const summary = el('span', `frame-summary frame-${f.direction}`);
  summary.append(
    el('span', 'frame-time', timeKnown ? frameTime(f.time) : '…'),
    el('span', 'frame-dir', f.direction === 'sent' ? '→' : '←'),
    el('span', 'frame-type', f.type),
    el('span', 'frame-flags', f.flagNames.join(' ')),
    el('span', 'frame-len', `${f.length} B`),
    el('span', 'frame-text', f.summary),
  );
  const detail = el('div', 'frame-detail');
  const row = el('div', 'frame-row');
  row.setAttribute('role', 'listitem');
  row.dataset.frame = String(index);
  if (member) row.dataset.member = String(member.ordinal);
  const d = disclosure(summary, detail, `${f.direction} ${f.type} on stream ${f.stream}, ${f.length} bytes: ${f.summary}`);
  // Details (hex dumps above all) are built on first opening: a download has thousands of frames.
  d.querySelector('button')?.addEventListener('click', () => fillDetail(detail, f, index, raw, member), { once: true });
  row.append(d);
  return row;
}

function fillDetail(detail: HTMLElement, f: H2Frame, index: number, raw: RawBytes, member?: GroupMember): void {
  const inRun = member?.inRun;
  const time = member && !member.timeKnown ? 'not kept for each frame of a run (see the group for its span)' : frameTime(f.time);
  detail.append(
    facts([
      ['Direction', f.direction === 'sent' ? 'sent by Wire Lens' : 'received from the server'],
      ['Type', `${f.type} (0x${f.typeCode.toString(16).padStart(2, '0')})`],
      ['Stream', f.stream === 0 ? '0 (the connection)' : String(f.stream)],
      ['Flags', `0x${f.flags.toString(16).padStart(2, '0')}${f.flagNames.length ? ` ${f.flagNames.join(' | ')}` : ''}`],
      ['Length', `${f.length} bytes of payload (+ 9 of frame header)`],
      ['Time', time],
      ['Offset', `${f.offset} in the bytes ${f.direction === 'sent' ? 'sent' : 'received'}`],
      ...(inRun
        ? ([['Record', `frame ${inRun.position + 1} of a run of ${inRun.of.toLocaleString('en-US')} kept as one entry`]] as [string, string][])
        : []),
    ]),
  );
  if (f.fields) detail.append(fieldTable(f));
  else {
    const lines = frameDetailLines(f).filter((l) => !l.startsWith('; '));
    if (lines.length) detail.append(el('pre', 'frame-fields', lines.join('\n')));
  }
  const bytes = frameBytes(f, raw.sent, raw.received);
  if (bytes) {
    const dump = hexDump(bytes, 4096);
    const pre = el('pre', 'hex frame-bytes', dump.lines.join('\n'));
    pre.tabIndex = 0;
    pre.setAttribute('aria-label', `Bytes of frame ${index + 1}`);
    detail.append(pre);
    if (dump.total > dump.shown) detail.append(el('p', 'cut-note', `First ${formatBytes(dump.shown)} of ${formatBytes(dump.total)} shown.`));
  } else detail.append(el('p', 'muted', 'Bytes not kept: the raw record holds only the start of the connection.'));
}

/**
 * Draws `total` rows into `list` a page at a time: the first page now, then a "Show next" button under the
 * list for each further page (a long stream has tens of thousands of frames; the panel draws what is asked for).
 */
function paged(list: HTMLElement, total: number, rows: (from: number, to: number) => HTMLElement[], what: string): HTMLElement {
  const wrap = el('div', 'frame-paged');
  let shown = 0;
  const more = el('div', 'frame-more');
  const next = (): void => {
    const to = Math.min(total, shown + FRAMES_PAGE);
    list.append(...rows(shown, to));
    shown = to;
    more.replaceChildren();
    if (shown >= total) return;
    const left = total - shown;
    more.append(
      el('span', 'cut-note', `${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${what} shown. `),
      button(`Show next ${Math.min(FRAMES_PAGE, left).toLocaleString('en-US')}`, 'chevron-down', next, {
        cls: 'action frame-next',
        title: `Show the next ${Math.min(FRAMES_PAGE, left)} of the ${left.toLocaleString('en-US')} ${what} not shown yet`,
      }),
    );
  };
  wrap.append(list, more);
  next();
  return wrap;
}

function groupRow(g: FrameGroup, raw: RawBytes): HTMLElement {
  const summary = el('span', `frame-summary frame-group frame-${g.direction}`);
  summary.append(
    el('span', 'frame-time', frameTime(g.firstTime)),
    el('span', 'frame-dir', g.direction === 'sent' ? '→' : '←'),
    el('span', 'frame-type', groupTitle(g)),
    el('span', 'frame-flags', g.flagNames.join(' ')),
    el('span', 'frame-len', binaryLen(g)),
    el('span', 'frame-text', `${groupSummary(g)} · ${groupSpan(g)}`),
  );
  const detail = el('div', 'frame-detail frame-group-members');
  const row = el('div', 'frame-row frame-group-row');
  row.setAttribute('role', 'listitem');
  row.dataset.group = String(g.entries[0].index);
  const d = disclosure(summary, detail, `${g.count} ${g.direction} ${g.type} frames on stream ${g.stream}, ${groupSummary(g)}: expand to list them`);
  d.querySelector('button')?.addEventListener(
    'click',
    () => {
      const list = el('div', 'frame-list');
      list.setAttribute('role', 'list');
      detail.append(paged(list, g.count, (from, to) => groupMembers(g, from, to).map((m) => frameRow(m.frame, m.index, raw, m)), `${g.type} frames`));
    },
    { once: true },
  );
  row.append(d);
  return row;
}

function binaryLen(g: FrameGroup): string {
  return g.minLength === g.maxLength ? `${g.minLength} B` : `≤${g.maxLength} B`;
}

function itemRow(item: FrameItem, raw: RawBytes): HTMLElement {
  return item.kind === 'frame' ? frameRow(item.frame, item.index, raw) : groupRow(item, raw);
}

/** Frames of the hop, or null when it is not HTTP/2. */
export function framesSection(h: HopView, mk: MakeSection): HTMLElement | null {
  const ex = h.exchange;
  const frames = ex.frames;
  if (!frames) return null;
  const { root, body } = mk('frames', 'Frames', 'layers', { count: totalFrames(frames), hint: framesHint(ex) });
  if (frames.length === 0) {
    body.append(el('p', 'muted', 'No frame was exchanged.'));
    return root;
  }
  const raw: RawBytes = { sent: base64ToBytes(ex.request.rawBase64), received: base64ToBytes(ex.response?.rawBase64 ?? '') };
  // The lanes: one per stream, a marker per frame at its time (a run of frames: a bar over its span).
  const lanes = el('div', 'frame-lanes');
  lanes.setAttribute('aria-label', 'Frames over time, one lane per stream');
  for (const lane of frameLanes(frames)) {
    const row = el('div', 'frame-lane');
    const track = el('span', 'frame-track');
    for (const m of lane.marks) {
      const dot = el('span', `frame-mark frame-${m.direction} frame-type-${m.type.toLowerCase().replace(/[^a-z_]/g, '')}`);
      dot.style.left = `${m.left}%`;
      if (m.width > 0) dot.style.width = `${m.width}%`;
      dot.title = m.count > 1 ? `${m.direction} ${m.type} ×${m.count}` : `${m.direction} ${m.type}`;
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
        `${t.label === 'connection' ? 'Connection (stream 0)' : `Stream ${t.stream}`} — ${t.count.toLocaleString('en-US')} frame${t.count === 1 ? '' : 's'}`,
      ),
    );
    // Consecutive frames of one shape (a download's DATA) are one row that expands to them, page by page.
    const items = groupFrames(t.frames);
    const list = el('div', 'frame-list');
    list.setAttribute('role', 'list');
    list.dataset.stream = String(t.stream);
    body.append(paged(list, items.length, (from, to) => items.slice(from, to).map((item) => itemRow(item, raw)), 'rows'));
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
