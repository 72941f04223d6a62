// HTTP/2 frames for people: the nghttp -v style lines the CLI prints, the per-stream timeline and the per-frame
// details the panel shows, and the HPACK representation of a field in words. Plain data in, strings out: the
// CLI and the webview both draw from here, so they never disagree.
import type { Exchange, H2Frame, H2HeaderField } from '../shared/exchange';

const utf8 = new TextEncoder();
const byteLength = (s: string): number => utf8.encode(s).length;

/** `indexed (static 2)`, `literal, incremental indexing, name static 4, huffman`… */
export function representationLabel(f: H2HeaderField): string {
  if (f.representation === 'size-update') return `dynamic table size update to ${f.newTableSize ?? '?'}`;
  const where = f.index !== null ? `${f.table ?? '?'} ${f.index}` : null;
  const huff = [f.huffmanName ? 'name' : '', f.huffmanValue ? 'value' : ''].filter(Boolean);
  const h = huff.length > 0 ? `, huffman ${huff.join('+')}` : '';
  switch (f.representation) {
    case 'indexed':
      return `indexed (${where ?? '?'})`;
    case 'literal-incremental':
      return `literal, incremental indexing, ${where ? `name ${where}` : 'new name'}${h}`;
    case 'literal-without-indexing':
      return `literal, without indexing, ${where ? `name ${where}` : 'new name'}${h}`;
    case 'literal-never-indexed':
      return `literal, never indexed, ${where ? `name ${where}` : 'new name'}${h}`;
  }
}

/** Short tag for tables: `static`, `dynamic`, `literal`, `never-indexed`, `size update`. */
export function representationTag(f: H2HeaderField): string {
  switch (f.representation) {
    case 'indexed':
      return f.table === 'dynamic' ? 'dynamic' : 'static';
    case 'literal-never-indexed':
      return 'never-indexed';
    case 'size-update':
      return 'size update';
    default:
      return f.index !== null ? `literal, name ${f.table ?? ''}`.trim() : 'literal';
  }
}

export interface HeaderBlockSizes {
  /** Bytes of the block on the wire. */
  compressed: number;
  /** The fields as HTTP/1.1 text would carry them (`name: value\r\n`). */
  plain: number;
  /** RFC 7541 sizes (name + value + 32 each), what the tables count. */
  tableSize: number;
}

export function headerBlockSizes(frame: H2Frame): HeaderBlockSizes | null {
  if (!frame.fields) return null;
  const real = frame.fields.filter((f) => f.representation !== 'size-update');
  return {
    compressed: frame.blockLength ?? real.reduce((n, f) => n + f.encodedLength, 0),
    plain: real.reduce((n, f) => n + byteLength(f.name) + byteLength(f.value) + 4, 0),
    tableSize: real.reduce((n, f) => n + f.size, 0),
  };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3).padStart(7);
}

/** The frame's head line, as nghttp -v prints it. */
export function frameHeadLine(f: H2Frame, timeKnown = true): string {
  return `[${timeKnown ? seconds(f.time) : '      …'}] ${f.direction === 'sent' ? 'send' : 'recv'} ${f.type} frame <length=${f.length}, flags=0x${f.flags.toString(16).padStart(2, '0')}, stream_id=${f.stream}>`;
}

/** The indented lines under the head line: flags, settings, fields, codes, debug data. */
export function frameDetailLines(f: H2Frame, opts: { hpack?: boolean } = {}): string[] {
  const out: string[] = [];
  if (f.flagNames.length > 0) out.push(`; ${f.flagNames.join(' | ')}`);
  if (f.padding) out.push(`(padlen=${f.padding})`);
  switch (f.type) {
    case 'SETTINGS':
      if (f.settings) {
        out.push(`(niv=${f.settings.length})`);
        for (const [name, v] of f.settings) out.push(`[SETTINGS_${name}:${v}]`);
      }
      break;
    case 'HEADERS':
    case 'PUSH_PROMISE':
      if (f.fields) {
        const s = headerBlockSizes(f);
        if (s) out.push(`; header block ${s.compressed} bytes (${s.plain} as HTTP/1.1 text)`);
        for (const h of f.fields) {
          if (h.representation === 'size-update') {
            out.push(`; ${representationLabel(h)}`);
            continue;
          }
          out.push(`${h.name}: ${h.value}${opts.hpack ? `    ; ${representationLabel(h)}, ${h.encodedLength} bytes` : ''}`);
        }
      }
      break;
    case 'WINDOW_UPDATE':
      out.push(`(window_size_increment=${f.windowIncrement ?? '?'})`);
      break;
    case 'RST_STREAM':
      out.push(`(error_code=${f.errorCode ?? '?'})`);
      break;
    case 'GOAWAY':
      out.push(
        `(last_stream_id=${f.lastStreamId ?? '?'}, error_code=${f.errorCode ?? '?'}, opaque_data(${byteLength(f.debugData ?? '')})=[${f.debugData ?? ''}])`,
      );
      break;
    case 'PING':
    case 'PRIORITY':
      out.push(`(${f.summary})`);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Every frame as nghttp -v prints them. Consecutive frames of one shape (a download's DATA) are a group: its
 * first and last frame printed and a line for those between, unless `all` asks for each of them.
 */
export function formatFramesNghttp(ex: Pick<Exchange, 'frames' | 'framesOmitted'>, opts: { hpack?: boolean; all?: boolean } = {}): string[] {
  const out: string[] = [];
  const print = (f: H2Frame, timeKnown = true): void => {
    out.push(frameHeadLine(f, timeKnown));
    for (const l of frameDetailLines(f, opts)) out.push(`          ${l}`);
  };
  const entries = (ex.frames ?? []).map((frame, index) => ({ index, frame }));
  for (const item of groupFrames(entries)) {
    if (item.kind === 'frame') {
      print(item.frame);
      continue;
    }
    if (opts.all) {
      for (const m of groupMembers(item, 0, item.count)) print(m.frame, m.timeKnown);
      continue;
    }
    const [first] = groupMembers(item, 0, 1);
    const [last] = groupMembers(item, item.count - 1, item.count);
    print(first.frame, first.timeKnown);
    const between = item.count - 2;
    if (between > 0)
      out.push(
        `          [… ${between.toLocaleString('en-US')} more ${item.type} frame${between === 1 ? '' : 's'} like these (${groupSummary(item)}); --frames=all prints each]`,
      );
    print(last.frame, last.timeKnown);
  }
  if (ex.framesOmitted && ex.framesOmitted.count > 0) {
    out.push(
      `[ ……… ] ${ex.framesOmitted.count} more frames (${ex.framesOmitted.bytes} bytes: DATA, WINDOW_UPDATE and other routine frames) not kept in the record`,
    );
  }
  return out;
}

// ---- groups: consecutive frames of one shape, drawn as one expandable row ----

/** Rows of a stream (or of a group) drawn at once; a "show next" control draws the next page. */
export const FRAMES_PAGE = 400;
/** Consecutive frames of one shape drawn as a group from this many on (fewer are drawn one by one). */
export const GROUP_MIN = 4;

export interface FrameEntry {
  /** Index of the entry in `Exchange.frames`. */
  index: number;
  frame: H2Frame;
}

/** Consecutive frames of one direction, type, stream and flags (record entries and the runs in them). */
export interface FrameGroup {
  kind: 'group';
  direction: H2Frame['direction'];
  type: string;
  typeCode: number;
  stream: number;
  flags: number;
  flagNames: string[];
  entries: FrameEntry[];
  /** Frames in the group (a run entry counts each of its frames). */
  count: number;
  /** Payload bytes of all of them. */
  bytes: number;
  minLength: number;
  maxLength: number;
  firstTime: number;
  lastTime: number;
}

export type FrameItem = ({ kind: 'frame' } & FrameEntry) | FrameGroup;

/** Frames a record entry stands for (a run entry: each of its frames). */
export function frameCount(f: H2Frame): number {
  return f.run?.count ?? 1;
}

/** Frames whose details are their header and bytes: these group; HEADERS, GOAWAY, RST_STREAM… never do. */
function groupable(f: H2Frame): boolean {
  if (f.fields) return false;
  switch (f.type) {
    case 'DATA':
    case 'CONTINUATION':
    case 'WINDOW_UPDATE':
    case 'PING':
    case 'PRIORITY':
      return true;
    case 'SETTINGS':
      return f.flagNames.includes('ACK');
    default:
      return f.type.startsWith('UNKNOWN');
  }
}

const sameShape = (a: H2Frame, b: H2Frame): boolean =>
  a.direction === b.direction && a.typeCode === b.typeCode && a.stream === b.stream && a.flags === b.flags;

/** The entries as rows: single frames, and groups for runs of `min` or more frames of one shape. */
export function groupFrames(entries: readonly FrameEntry[], min = GROUP_MIN): FrameItem[] {
  const out: FrameItem[] = [];
  let i = 0;
  while (i < entries.length) {
    const head = entries[i].frame;
    let j = i + 1;
    if (groupable(head)) while (j < entries.length && groupable(entries[j].frame) && sameShape(head, entries[j].frame)) j++;
    const block = entries.slice(i, j);
    const count = block.reduce((n, e) => n + frameCount(e.frame), 0);
    if (count >= min || (count > 1 && block.some((e) => e.frame.run))) out.push(makeGroup(block, count));
    else for (const e of block) out.push({ kind: 'frame', ...e });
    i = j;
  }
  return out;
}

function makeGroup(entries: FrameEntry[], count: number): FrameGroup {
  const f = entries[0].frame;
  let bytes = 0;
  let minLength = Infinity;
  let maxLength = 0;
  let lastTime = f.time;
  for (const { frame } of entries) {
    const lengths = frame.run ? frame.run.lengths.map(([l]) => l) : [frame.length];
    for (const l of lengths) {
      minLength = Math.min(minLength, l);
      maxLength = Math.max(maxLength, l);
    }
    bytes += frame.run ? frame.run.bytes : frame.length;
    lastTime = Math.max(lastTime, frame.run ? frame.run.lastTime : frame.time);
  }
  return {
    kind: 'group',
    direction: f.direction,
    type: f.type,
    typeCode: f.typeCode,
    stream: f.stream,
    flags: f.flags,
    flagNames: f.flagNames,
    entries,
    count,
    bytes,
    minLength,
    maxLength,
    firstTime: f.time,
    lastTime,
  };
}

/** Bytes in binary units, as lengths of frames are thought of: `16 KiB`, `19.3 MiB`. */
export function binaryBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) || v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** `DATA ×1,234`. */
export function groupTitle(g: FrameGroup): string {
  return `${g.type} ×${g.count.toLocaleString('en-US')}`;
}

/** `16 KiB each, 19.3 MiB` (or `1 B–16 KiB each`), what a group carries. */
export function groupSummary(g: FrameGroup): string {
  const each = g.minLength === g.maxLength ? `${binaryBytes(g.minLength)} each` : `${binaryBytes(g.minLength)}–${binaryBytes(g.maxLength)} each`;
  if (g.typeCode === 0 || g.typeCode === 9 || g.maxLength > 16) return `${each}, ${binaryBytes(g.bytes)}`;
  return each;
}

/** `0.012 s – 1.234 s`: when a group's frames went by. */
export function groupSpan(g: FrameGroup): string {
  return `${frameTime(g.firstTime)} – ${frameTime(g.lastTime)}`;
}

export interface GroupMember {
  /** Position in the group, from 0. */
  ordinal: number;
  /** The record entry the frame is (or is in). */
  index: number;
  /** The frame: the entry itself, or, inside a run, the frame as its run tells it (offset, length). */
  frame: H2Frame;
  /** False for a frame inside a run that is neither its first nor its last: the record keeps no time for it. */
  timeKnown: boolean;
  /** Inside a run entry: its position there and the run's size. */
  inRun: { position: number; of: number } | null;
}

/** Frames `from`…`to` (exclusive) of a group, each as its own frame (what a page of the expanded group shows). */
export function groupMembers(g: FrameGroup, from: number, to: number): GroupMember[] {
  const out: GroupMember[] = [];
  let ordinal = 0;
  for (const { index, frame } of g.entries) {
    const run = frame.run;
    if (!run) {
      if (ordinal >= from && ordinal < to) out.push({ ordinal, index, frame, timeKnown: true, inRun: null });
      ordinal++;
      if (ordinal >= to) break;
      continue;
    }
    if (ordinal + run.count <= from) {
      ordinal += run.count;
      continue;
    }
    // Consecutive frames of one direction follow each other on the wire: each offset is the one before plus 9
    // bytes of header and the length.
    let offset = frame.offset;
    let position = 0;
    for (const [length, n] of run.lengths) {
      if (ordinal + n <= from) {
        ordinal += n;
        position += n;
        offset += n * (9 + length);
        continue;
      }
      for (let k = 0; k < n && ordinal < to; k++, ordinal++, position++, offset += 9 + length) {
        if (ordinal < from) continue;
        const first = position === 0;
        const last = position === run.count - 1;
        const member: H2Frame = { ...frame };
        delete member.run;
        if (!first) {
          member.length = length;
          member.offset = offset;
          member.time = last ? run.lastTime : frame.time;
          member.summary = memberSummary(frame, length);
          delete member.windowIncrement;
        }
        out.push({ ordinal, index, frame: member, timeKnown: first || last, inRun: { position, of: run.count } });
      }
      if (ordinal >= to) break;
    }
    if (ordinal >= to) break;
  }
  return out;
}

function memberSummary(f: H2Frame, length: number): string {
  switch (f.type) {
    case 'DATA':
      return `${length} bytes`;
    case 'CONTINUATION':
      return `${length} bytes of header block`;
    case 'WINDOW_UPDATE':
      return 'window_size_increment in the bytes (the run keeps their sum)';
    default:
      return `${length} bytes`;
  }
}

export interface StreamTimeline {
  stream: number;
  /** `connection` for stream 0, else `stream N`. */
  label: string;
  /** The stream's record entries. */
  frames: FrameEntry[];
  /** Frames on the stream (a run entry counts each of its frames). */
  count: number;
}

/** Frames grouped by stream, stream 0 (the connection) first, each in time order, with their index in the record. */
export function streamTimelines(frames: readonly H2Frame[]): StreamTimeline[] {
  const by = new Map<number, StreamTimeline>();
  frames.forEach((frame, index) => {
    let t = by.get(frame.stream);
    if (!t) {
      t = { stream: frame.stream, label: frame.stream === 0 ? 'connection' : `stream ${frame.stream}`, frames: [], count: 0 };
      by.set(frame.stream, t);
    }
    t.frames.push({ index, frame });
    t.count += frameCount(frame);
  });
  return [...by.values()].sort((a, b) => a.stream - b.stream);
}

/** A frame's bytes as kept in the record (header and payload), or null when the raw record was cut before it. */
export function frameBytes(f: H2Frame, sent: Uint8Array, received: Uint8Array): Uint8Array | null {
  const raw = f.direction === 'sent' ? sent : received;
  const end = f.offset + 9 + f.length;
  if (end > raw.length) return null;
  return raw.subarray(f.offset, end);
}

export interface FrameLaneMark {
  index: number;
  /** Position on the lane, 0–100 (% of the connection's duration). */
  left: number;
  /** A run entry: the span of its frames on the lane, in % (0 for a single frame). */
  width: number;
  /** Frames the mark stands for. */
  count: number;
  direction: H2Frame['direction'];
  type: string;
}

/** Markers for a per-stream timeline: each frame placed by its time on a lane of its stream. */
export function frameLanes(frames: readonly H2Frame[]): { stream: number; label: string; marks: FrameLaneMark[] }[] {
  const end = frames.reduce((m, f) => Math.max(m, f.run ? f.run.lastTime : f.time), 0) || 1;
  return streamTimelines(frames).map((t) => ({
    stream: t.stream,
    label: t.label,
    marks: t.frames.map(({ index, frame }) => ({
      index,
      left: Math.min(100, (frame.time / end) * 100),
      width: frame.run ? Math.min(100, ((frame.run.lastTime - frame.time) / end) * 100) : 0,
      count: frameCount(frame),
      direction: frame.direction,
      type: frame.type,
    })),
  }));
}

/** `send`/`recv` counts and streams, for a section hint. */
export function framesHint(ex: Pick<Exchange, 'frames' | 'framesOmitted'>): string {
  const f = ex.frames ?? [];
  let sent = 0;
  let received = 0;
  for (const x of f) {
    if (x.direction === 'sent') sent += frameCount(x);
    else received += frameCount(x);
  }
  const streams = new Set(f.map((x) => x.stream)).size;
  const more = ex.framesOmitted?.count ? ` · ${ex.framesOmitted.count} more not kept` : '';
  return `${sent} sent · ${received} received · ${streams} stream${streams === 1 ? '' : 's'}${more}`;
}

/** Frames in the record, a run entry counting each of its frames. */
export function totalFrames(frames: readonly H2Frame[]): number {
  return frames.reduce((n, f) => n + frameCount(f), 0);
}

/** `12.3 ms` for a frame's time offset. */
export function frameTime(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
