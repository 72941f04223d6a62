// The transcript of a WebSocket, TCP or UDP exchange, for the panel and the CLI alike: one row per message
// (direction, time, what it is, text or hex, the frame facts), and summary lines (who closed, why, the close
// code explained). Bounded: rows, characters and bytes per row. Plain code: no vscode, no DOM, no Node Buffer.
import { explainCloseCode } from '../annotate/data/websocketClose';
import type { Exchange, SocketMessage } from '../shared/exchange';
import type { TranscriptRow, TranscriptView } from '../shared/protocol';
import { base64ToBytes, latin1 } from './bytes';
import { hexDump } from './hexdump';
import { maskSecrets, maskSecretsLatin1 } from './mask';
import { formatBytes, formatMs, hostPort } from './units';

export const MAX_ROWS = 2000;
const MAX_TEXT = 16 * 1024;
const MAX_HEX = 4 * 1024;

export interface RowOptions {
  secrets?: readonly string[];
  kind: TranscriptView['kind'];
}

export function transcriptRow(m: SocketMessage, index: number, opts: RowOptions): TranscriptRow {
  const bytes = base64ToBytes(m.base64);
  const sent = m.direction === 'sent';
  // Sent messages may carry secrets from private env files, and an echo sends them back: masked both ways.
  const secrets = opts.secrets;
  let text: string | null = null;
  let hex: string[] | null = null;
  let cut = m.truncated === true;
  if (m.text !== null && m.text !== undefined) {
    const t = maskSecrets(m.text, secrets);
    text = t.length > MAX_TEXT ? t.slice(0, MAX_TEXT) : t;
    cut ||= t.length > MAX_TEXT;
  } else if (bytes.length > 0) {
    const shown = secrets && secrets.length ? stringBytes(maskSecretsLatin1(latin1(bytes, 0, Math.min(bytes.length, MAX_HEX * 2)), secrets)) : bytes;
    const dump = hexDump(shown, MAX_HEX);
    hex = dump.lines;
    cut ||= dump.shown < bytes.length;
  }
  const details: string[] = [];
  if (m.opcode !== undefined) {
    const frames = m.wireFrames ?? [];
    if (frames.length > 1) details.push(`${frames.length} frames (fragmented: ${frames.map((f) => f.length).join(' + ')} B)`);
    details.push(m.fin === false ? 'FIN not set' : 'FIN');
    const key = frames[0]?.maskKey;
    details.push(m.masked ? `masked${key ? ` with ${key}` : ''}` : 'unmasked');
    const rsv = m.rsv ?? [false, false, false];
    if (rsv.some(Boolean)) details.push(`RSV ${rsv.map((b) => (b ? 1 : 0)).join('')}`);
    if (m.compressedSize !== undefined) details.push(`permessage-deflate: ${formatBytes(m.compressedSize)} on the wire → ${formatBytes(m.size)}`);
  }
  if (m.automatic) details.push(m.opcodeName === 'pong' ? 'sent automatically in answer to a ping' : 'sent automatically');
  if (m.truncated && opts.kind === 'udp' && !sent) details.push('the datagram may have been cut by the receive buffer');
  else if (m.truncated) details.push('only the start is kept in the record');
  const type = m.opcodeName ?? (opts.kind === 'udp' ? 'datagram' : 'data');
  return {
    index,
    direction: m.direction,
    at: m.at,
    time: `+${formatMs(m.at)}`,
    type,
    size: m.size,
    text,
    hex,
    details,
    close: m.opcodeName === 'close' ? explainCloseCode(m.closeCode) : null,
    cut,
  };
}

function stringBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function transcriptKind(ex: Exchange): TranscriptView['kind'] | null {
  return ex.kind === 'websocket' || ex.kind === 'tcp' || ex.kind === 'udp' ? ex.kind : null;
}

/** Summary lines: the endpoint, what was negotiated, who closed and why, the totals. */
export function transcriptSummary(ex: Exchange, live = false): string[] {
  const out: string[] = [];
  const c = ex.connection;
  const s = ex.socket;
  const kind = transcriptKind(ex);
  const label = kind === 'websocket' ? 'WebSocket' : ex.request.method === 'TLS' ? 'TLS' : kind === 'udp' ? 'UDP' : 'TCP';
  if (c?.remoteAddress)
    out.push(
      `${label} ${kind === 'udp' ? 'socket to' : 'connection to'} ${hostPort(c.remoteAddress, c.remotePort)} from ${hostPort(c.localAddress, c.localPort)}`,
    );
  if (s?.protocol) out.push(`Subprotocol: ${s.protocol}`);
  if (kind === 'websocket' && ex.response?.status === 101) out.push(`Extensions: ${s?.extensions ?? 'none'}`);
  if (live) out.push('Open: received messages appear as they arrive.');
  else if (s) {
    if (s.endReason)
      out.push(
        `Ended: ${s.endReason}${s.closedBy ? ` (closed by ${s.closedBy === 'client' ? 'Wire Lens' : s.closedBy === 'server' ? 'the server' : 'an error'})` : ''}.`,
      );
    if (s.closeReceived)
      out.push(`Server's close: ${explainCloseCode(s.closeReceived.code)}${s.closeReceived.reason ? ` Reason: "${s.closeReceived.reason}".` : ''}`);
    if (s.closeSent)
      out.push(`Wire Lens's close: ${explainCloseCode(s.closeSent.code)}${s.closeSent.reason ? ` Reason: "${s.closeSent.reason}".` : ''}`);
    if (kind === 'websocket' && ex.response?.status === 101 && !s.closeReceived && s.closedBy === 'server')
      out.push(`Close: ${explainCloseCode(1006)}`);
  }
  if (s && !live) {
    const n = ex.messages?.length ?? 0;
    out.push(
      `${n} message${n === 1 ? '' : 's'}: ${formatBytes(s.bytesSent)} sent, ${formatBytes(s.bytesReceived)} received${s.droppedMessages ? `; ${s.droppedMessages} more not kept (record limit)` : ''}.`,
    );
  }
  return out;
}

export function transcriptView(ex: Exchange, opts: { secrets?: readonly string[]; live?: boolean } = {}): TranscriptView | null {
  const kind = transcriptKind(ex);
  if (!kind) return null;
  const messages = ex.messages ?? [];
  const rows = messages.slice(0, MAX_ROWS).map((m, i) => transcriptRow(m, i, { secrets: opts.secrets, kind }));
  return {
    kind,
    rows,
    omitted: Math.max(0, messages.length - MAX_ROWS),
    summary: transcriptSummary(ex, opts.live === true).map((l) => maskSecrets(l, opts.secrets)),
    live: opts.live === true,
  };
}

export type { TranscriptRow, TranscriptView };
