// The lecture's servers on the demo origin: the TCP time server (every connection gets the current time in ISO
// 8601 and a newline, then the server closes it), a UDP echo, and a WebSocket echo at /ws on the HTTP port.
// The WebSocket server uses Wire Lens's own frame codec (src/wire/websocket/frame.ts) from the server's side.
import * as dgram from 'node:dgram';
import type * as http from 'node:http';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptFor } from '../wire/websocket/handshake';
import { closePayload, encodeFrame, FrameDecoder, OP } from '../wire/websocket/frame';

/** What the Python time server of the lecture does: accept, send the time, close. */
export function startTimeServer(host: string, port: number): Promise<net.Server> {
  const server = net.createServer((conn) => {
    conn.on('error', () => undefined);
    conn.end(`${localIso(new Date())}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** `datetime.now().isoformat()`: local time, microseconds, no zone. */
function localIso(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds() * 1000, 6)}`;
}

/** Every datagram goes back to its sender as it came. */
export function startUdpEcho(host: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (msg, rinfo) => socket.send(msg, rinfo.port, rinfo.address));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve(socket));
  });
}

/** Handles `Upgrade: websocket` on the demo's HTTP server: /ws echoes every message, answers pings, closes politely. */
export function attachWebSocketEcho(server: http.Server): void {
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const key = req.headers['sec-websocket-key'];
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/ws' || typeof key !== 'string' || (req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      socket.end(
        'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 34\r\nConnection: close\r\n\r\nWebSocket echo is at /ws (ws://…)\n',
      );
      return;
    }
    // The subprotocol `echo` is chosen when offered; any other is declined (the client sees none chosen).
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const protocol = offered.includes('echo') ? 'Sec-WebSocket-Protocol: echo\r\n' : '';
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n${protocol}\r\n`,
    );
    const decoder = new FrameDecoder({ side: 'server', maxFrameBytes: 16 * 1024 * 1024 });
    let parts: Buffer[] = [];
    let opcode = 0;
    let closed = false;
    const send = (op: number, payload: Uint8Array): void => {
      if (!closed) socket.write(encodeFrame({ opcode: op, payload, mask: null }));
    };
    const onData = (d: Buffer): void => {
      const { frames, error } = decoder.push(d);
      for (const f of frames) {
        if (f.opcode === OP.PING) send(OP.PONG, f.payload);
        else if (f.opcode === OP.CLOSE) {
          const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : null;
          send(OP.CLOSE, closePayload(code === null ? null : code, ''));
          closed = true;
          socket.end();
          return;
        } else if (f.opcode !== OP.PONG) {
          if (f.opcode !== OP.CONTINUATION) {
            opcode = f.opcode;
            parts = [];
          }
          parts.push(f.payload);
          if (f.fin) send(opcode, Buffer.concat(parts));
        }
      }
      if (error) {
        send(OP.CLOSE, closePayload(1002, 'protocol error'));
        closed = true;
        socket.end();
      }
    };
    socket.on('data', onData);
    if (head.length) onData(head);
  });
}
