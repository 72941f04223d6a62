// Notes on socket exchanges. WebSocket: the opening handshake checked as RFC 6455 Section 4.1 says a client
// must (101, Upgrade, Connection, Sec-WebSocket-Accept against the key sent, subprotocol, extensions), what
// permessage-deflate's parameters mean, and every close explained. TCP and UDP: how the exchange ended.
import type { Exchange, HeaderPair, Note } from '../shared/exchange';
import { acceptFor } from '../wire/websocket/handshake';
import { parseExtensions } from '../wire/websocket/deflate';
import { explainCloseCode } from './data/websocketClose';

const RFC6455 = 'RFC 6455, Section 4.1';
const RFC7692 = 'RFC 7692, Section 7.1';

function index(headers: HeaderPair[], name: string): number {
  const lower = name.toLowerCase();
  return headers.findIndex(([n]) => n.toLowerCase() === lower);
}

function note(id: string, subject: string, level: Note['level'], summary: string, detail: string, reference: string): Note {
  return { id, subject, level, category: 'websocket', summary, detail, reference };
}

const DEFLATE_PARAMS: Record<string, string> = {
  server_no_context_takeover: 'the server starts every message with an empty compression window (Wire Lens inflates each message on its own)',
  client_no_context_takeover: 'Wire Lens compresses every message on its own, with no memory of the previous ones',
  server_max_window_bits: 'the server compresses with a window of 2^N bytes',
  client_max_window_bits: 'Wire Lens compresses with a window of at most 2^N bytes',
};

export function handshakeNotes(ex: Exchange): Note[] {
  const r = ex.response;
  if (!r) return [];
  const out: Note[] = [];
  if (r.status !== 101) {
    out.push(
      note(
        'ws-status',
        'status',
        'bad',
        `The server answered ${r.status}, not 101 Switching Protocols: this is no WebSocket.`,
        'A WebSocket server answers the opening handshake with 101; anything else means the connection stays HTTP (and Wire Lens closed it).',
        RFC6455,
      ),
    );
    return out;
  }
  out.push(
    note(
      'ws-status',
      'status',
      'good',
      '101 Switching Protocols: from here on the connection speaks WebSocket frames.',
      'The bytes after this head are frames (RFC 6455 Section 5), shown in the transcript.',
      RFC6455,
    ),
  );
  const up = index(r.headers, 'upgrade');
  if (up >= 0 && r.headers[up][1].trim().toLowerCase() === 'websocket')
    out.push(
      note(
        'ws-upgrade',
        `header:${up}`,
        'good',
        'Upgrade: websocket, as the handshake requires.',
        'The value is compared case-insensitively.',
        RFC6455,
      ),
    );
  const conn = index(r.headers, 'connection');
  if (conn >= 0 && r.headers[conn][1].split(',').some((t) => t.trim().toLowerCase() === 'upgrade'))
    out.push(
      note(
        'ws-connection',
        `header:${conn}`,
        'good',
        'Connection: Upgrade, as the handshake requires.',
        'It tells intermediaries that the Upgrade applies to this connection only.',
        RFC6455,
      ),
    );
  const acc = index(r.headers, 'sec-websocket-accept');
  const key = ex.request.headers.find(([n]) => n.toLowerCase() === 'sec-websocket-key')?.[1];
  if (acc >= 0 && key !== undefined) {
    const expected = acceptFor(key);
    out.push(
      r.headers[acc][1].trim() === expected
        ? note(
            'ws-accept',
            `header:${acc}`,
            'good',
            'Sec-WebSocket-Accept matches the key sent.',
            `base64(SHA-1("${key}" + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")) = ${expected}: proof that the server read this handshake (not a cached or replayed answer).`,
            RFC6455,
          )
        : note(
            'ws-accept',
            `header:${acc}`,
            'bad',
            'Sec-WebSocket-Accept does not match the key sent.',
            `For the key ${key} it must be ${expected}.`,
            RFC6455,
          ),
    );
  }
  const offered = ex.request.headers.find(([n]) => n.toLowerCase() === 'sec-websocket-protocol')?.[1];
  const chosen = index(r.headers, 'sec-websocket-protocol');
  if (offered !== undefined) {
    out.push(
      chosen >= 0
        ? note(
            'ws-protocol',
            `header:${chosen}`,
            'good',
            `Subprotocol ${r.headers[chosen][1].trim()} chosen from the offer (${offered}).`,
            'Messages follow that application protocol.',
            RFC6455,
          )
        : note(
            'ws-protocol',
            'status',
            'warning',
            `The server chose none of the subprotocols offered (${offered}).`,
            'A server that does not speak any of them may still accept the connection; what it expects is then up to it.',
            RFC6455,
          ),
    );
  }
  const ext = index(r.headers, 'sec-websocket-extensions');
  if (ext >= 0) {
    const parsed = parseExtensions(r.headers[ext][1]);
    if (typeof parsed !== 'string') {
      for (const e of parsed) {
        if (e.name !== 'permessage-deflate') continue;
        const params = e.params.map(
          ([k, v]) => `${k}${v === null ? '' : `=${v}`}: ${(DEFLATE_PARAMS[k] ?? 'unknown parameter').replace('N', v ?? 'N')}`,
        );
        out.push(
          note(
            'ws-deflate',
            `header:${ext}`,
            'info',
            'permessage-deflate negotiated: messages may be compressed (RSV1 set), shown both compressed and inflated.',
            params.length ? params.join('; ') : 'No parameters: both sides keep their compression context across messages, with 32 KiB windows.',
            RFC7692,
          ),
        );
      }
    }
  } else if (ex.request.headers.some(([n, v]) => n.toLowerCase() === 'sec-websocket-extensions' && /permessage-deflate/i.test(v))) {
    out.push(
      note(
        'ws-deflate',
        'status',
        'info',
        'The server did not accept permessage-deflate: messages go uncompressed.',
        'Declining an extension is allowed; it only costs bandwidth.',
        RFC7692,
      ),
    );
  }
  return out;
}

/** Every close frame explained; a connection that ended without one is 1006. */
function closeNotes(ex: Exchange): Note[] {
  const out: Note[] = [];
  (ex.messages ?? []).forEach((m, i) => {
    if (m.opcodeName !== 'close') return;
    const who = m.direction === 'sent' ? 'Wire Lens' : 'The server';
    const normal = m.closeCode === 1000 || m.closeCode === 1001 || m.closeCode === null || m.closeCode === undefined;
    out.push(
      note(
        'ws-close',
        `message:${i}`,
        normal ? 'info' : 'warning',
        `${who} closed with ${explainCloseCode(m.closeCode).split(':')[0]}.`,
        `${explainCloseCode(m.closeCode)}${m.closeReason ? ` Reason: "${m.closeReason}".` : ''}`,
        'RFC 6455, Section 7.4',
      ),
    );
  });
  const s = ex.socket;
  if (ex.response?.status === 101 && s && !s.closeReceived && s.closedBy === 'server') {
    out.push(
      note(
        'ws-abnormal',
        'connection',
        'warning',
        'The connection closed without a close frame from the server (1006 Abnormal Closure).',
        explainCloseCode(1006),
        'RFC 6455, Section 7.1.5',
      ),
    );
  }
  return out;
}

function rawNotes(ex: Exchange): Note[] {
  const out: Note[] = [];
  const s = ex.socket;
  if (s?.endReason)
    out.push(
      note(
        'socket-end',
        'connection',
        'info',
        `Ended: ${s.endReason}.`,
        s.closedBy === 'server'
          ? "The peer closed its side first (recv() returned 0 bytes, as for the lecture's time server)."
          : "Wire Lens closed after the block's messages and its @until rule.",
        ex.kind === 'udp' ? 'RFC 768' : 'RFC 9293, Section 3.6',
      ),
    );
  (ex.messages ?? []).forEach((m, i) => {
    if (m.truncated && ex.kind === 'udp' && m.direction === 'received')
      out.push(
        note(
          'udp-truncated',
          `message:${i}`,
          'warning',
          'This datagram filled the receive buffer: it may have been cut.',
          'A UDP datagram longer than the buffer it is read into loses its tail silently.',
          'RFC 768',
        ),
      );
  });
  return out;
}

export function socketNotes(ex: Exchange): Note[] {
  if (ex.kind === 'websocket') return [...handshakeNotes(ex), ...closeNotes(ex)];
  if (ex.kind === 'tcp' || ex.kind === 'udp') return rawNotes(ex);
  return [];
}
