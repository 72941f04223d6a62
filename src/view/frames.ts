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
export function frameHeadLine(f: H2Frame): string {
  return `[${seconds(f.time)}] ${f.direction === 'sent' ? 'send' : 'recv'} ${f.type} frame <length=${f.length}, flags=0x${f.flags.toString(16).padStart(2, '0')}, stream_id=${f.stream}>`;
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

/** Every frame as nghttp -v prints them (a line for frames left out of the record). */
export function formatFramesNghttp(ex: Pick<Exchange, 'frames' | 'framesOmitted'>, opts: { hpack?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const f of ex.frames ?? []) {
    out.push(frameHeadLine(f));
    for (const l of frameDetailLines(f, opts)) out.push(`          ${l}`);
  }
  if (ex.framesOmitted && ex.framesOmitted.count > 0) {
    out.push(
      `[ ……… ] ${ex.framesOmitted.count} more frames (${ex.framesOmitted.bytes} bytes: DATA, WINDOW_UPDATE and other routine frames) not kept in the record`,
    );
  }
  return out;
}

export interface StreamTimeline {
  stream: number;
  /** `connection` for stream 0, else `stream N`. */
  label: string;
  frames: { index: number; frame: H2Frame }[];
}

/** Frames grouped by stream, stream 0 (the connection) first, each in time order, with their index in the record. */
export function streamTimelines(frames: readonly H2Frame[]): StreamTimeline[] {
  const by = new Map<number, StreamTimeline>();
  frames.forEach((frame, index) => {
    let t = by.get(frame.stream);
    if (!t) {
      t = { stream: frame.stream, label: frame.stream === 0 ? 'connection' : `stream ${frame.stream}`, frames: [] };
      by.set(frame.stream, t);
    }
    t.frames.push({ index, frame });
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
  direction: H2Frame['direction'];
  type: string;
}

/** Markers for a per-stream timeline: each frame placed by its time on a lane of its stream. */
export function frameLanes(frames: readonly H2Frame[]): { stream: number; label: string; marks: FrameLaneMark[] }[] {
  const end = frames.reduce((m, f) => Math.max(m, f.time), 0) || 1;
  return streamTimelines(frames).map((t) => ({
    stream: t.stream,
    label: t.label,
    marks: t.frames.map(({ index, frame }) => ({
      index,
      left: Math.min(100, (frame.time / end) * 100),
      direction: frame.direction,
      type: frame.type,
    })),
  }));
}

/** `send`/`recv` counts and streams, for a section hint. */
export function framesHint(ex: Pick<Exchange, 'frames' | 'framesOmitted'>): string {
  const f = ex.frames ?? [];
  const sent = f.filter((x) => x.direction === 'sent').length;
  const streams = new Set(f.map((x) => x.stream)).size;
  const more = ex.framesOmitted?.count ? ` · ${ex.framesOmitted.count} more not kept` : '';
  return `${sent} sent · ${f.length - sent} received · ${streams} stream${streams === 1 ? '' : 's'}${more}`;
}

/** `12.3 ms` for a frame's time offset. */
export function frameTime(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(3)} s`;
}
