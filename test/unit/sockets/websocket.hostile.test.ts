// Hostile WebSocket servers: each violation of RFC 6455 (and of the handshake) ends in its typed WL_WS_* error,
// with everything received before it kept and, once the connection is open, a close frame with the RFC's code.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as zlib from 'node:zlib';
import { execute } from '../../../src/pipeline';
import type { Exchange } from '../../../src/shared/exchange';
import { encodeFrame, FrameDecoder, OP } from '../../../src/wire/websocket/frame';
import { socketRequest } from './helpers';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

interface Hostile {
  port: number;
  /** Frames the client sent (decoded as a server would). */
  fromClient: { opcode: number; payload: Buffer }[];
  close(): Promise<void>;
}

type Head = (accept: string, request?: string) => string;
const GOOD_HEAD: Head = (accept) =>
  `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;

/** A server that answers the handshake with `head` and then writes what `script` says, byte for byte. */
async function hostile(script: (s: net.Socket) => void, head: Head = GOOD_HEAD): Promise<Hostile> {
  const sockets = new Set<net.Socket>();
  const h: Hostile = {
    port: 0,
    fromClient: [],
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let open = false;
    const decoder = new FrameDecoder({ side: 'server', maxFrameBytes: 1 << 20 });
    s.on('data', (d: Buffer) => {
      if (open) {
        for (const f of decoder.push(d).frames) h.fromClient.push({ opcode: f.opcode, payload: f.payload });
        return;
      }
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const request = buf.subarray(0, end).toString('latin1');
      const key = /\r\nSec-WebSocket-Key: *(\S+)/i.exec(request)?.[1] ?? '';
      const accept = crypto
        .createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      open = true;
      s.write(head(accept, request));
      const rest = buf.subarray(end + 4);
      if (rest.length) for (const f of decoder.push(rest).frames) h.fromClient.push({ opcode: f.opcode, payload: f.payload });
      script(s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.port = (server.address() as net.AddressInfo).port;
  return h;
}

const frame = (opcode: number, payload: Buffer | string, o: { fin?: boolean; rsv1?: boolean; mask?: boolean } = {}): Buffer =>
  encodeFrame({
    opcode,
    payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
    fin: o.fin,
    rsv1: o.rsv1,
    mask: o.mask ? Buffer.from([1, 2, 3, 4]) : null,
  });

async function run(h: Hostile, extra = '', until = 'idle 1500'): Promise<Exchange> {
  return execute(await socketRequest(`# @until ${until}\n# @timeout 5000 ms\nWEBSOCKET ws://127.0.0.1:${h.port}/\n${extra}\n`));
}

function kept(ex: Exchange): string[] {
  return (ex.messages ?? []).filter((m) => m.direction === 'received').map((m) => `${m.opcodeName}:${m.text ?? ''}`);
}

describe('sockets/websocket: hostile servers', function () {
  this.timeout(30_000);
  let h: Hostile | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const violations: [string, string, number, () => Buffer][] = [
    ['a masked frame from the server', 'WL_WS_MASKED_FRAME', 1002, () => frame(OP.TEXT, 'masked!', { mask: true })],
    ['RSV1 set with no extension negotiated', 'WL_WS_RSV_BITS', 1002, () => frame(OP.TEXT, 'x', { rsv1: true })],
    [
      'RSV2 set',
      'WL_WS_RSV_BITS',
      1002,
      () => {
        const f = frame(OP.TEXT, 'x');
        f[0] |= 0x20;
        return f;
      },
    ],
    ['a text message that is not UTF-8', 'WL_WS_INVALID_UTF8', 1007, () => frame(OP.TEXT, Buffer.from([0xc3, 0x28]))],
    ['a ping with 126 bytes', 'WL_WS_CONTROL_TOO_LARGE', 1002, () => frame(OP.PING, Buffer.alloc(126))],
    ['a fragmented ping', 'WL_WS_CONTROL_FRAGMENTED', 1002, () => frame(OP.PING, 'p', { fin: false })],
    ['a continuation with nothing to continue', 'WL_WS_BAD_CONTINUATION', 1002, () => frame(OP.CONTINUATION, 'orphan')],
    [
      'a new text frame inside a fragmented message',
      'WL_WS_BAD_CONTINUATION',
      1002,
      () => Buffer.concat([frame(OP.TEXT, 'part', { fin: false }), frame(OP.TEXT, 'again')]),
    ],
    ['a reserved opcode (0x3)', 'WL_WS_UNKNOWN_OPCODE', 1002, () => frame(0x3, 'x')],
    ['a reserved control opcode (0xB)', 'WL_WS_UNKNOWN_OPCODE', 1002, () => frame(0xb, 'x')],
    ['a 64-bit length with the top bit set', 'WL_WS_BAD_LENGTH', 1002, () => Buffer.from([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1])],
    ['a close frame with a one-byte payload', 'WL_WS_BAD_CLOSE', 1002, () => frame(OP.CLOSE, Buffer.from([3]))],
    ['a close code that may not be sent (1005)', 'WL_WS_BAD_CLOSE', 1002, () => frame(OP.CLOSE, Buffer.from([0x03, 0xed]))],
    ['a close reason that is not UTF-8', 'WL_WS_INVALID_UTF8', 1007, () => frame(OP.CLOSE, Buffer.from([0x03, 0xe8, 0xff]))],
  ];

  for (const [what, code, closeCode, bad] of violations) {
    it(`${what}: ${code}, close ${closeCode} sent, the earlier message kept`, async () => {
      h = await hostile((s) => s.write(Buffer.concat([frame(OP.TEXT, 'before'), bad()])));
      const ex = await run(h);
      assert.equal(ex.error?.code, code, JSON.stringify(ex.error));
      assert.equal(ex.error?.phase, 'messages');
      assert.equal(kept(ex)[0], 'text:before');
      const close = ex.messages!.find((m) => m.direction === 'sent' && m.opcodeName === 'close');
      assert.equal(close?.closeCode, closeCode);
      assert.equal(ex.socket?.closedBy, 'error');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(h.fromClient.find((f) => f.opcode === OP.CLOSE)?.payload.readUInt16BE(0), closeCode, 'the server received the close');
    });
  }

  it('a frame larger than the frame limit: WL_WS_FRAME_TOO_LARGE (1009), checked from its header', async () => {
    h = await hostile((s) => s.write(Buffer.from([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0])));
    const ex = await execute(await socketRequest(`WEBSOCKET ws://127.0.0.1:${h.port}/\n`), { maxFrameBytes: 1 << 20 });
    assert.equal(ex.error?.code, 'WL_WS_FRAME_TOO_LARGE');
  });

  it('an endless fragmented message: WL_WS_MESSAGE_TOO_LARGE at the message limit, memory bounded', async () => {
    h = await hostile((s) => {
      s.write(frame(OP.BINARY, Buffer.alloc(16 * 1024), { fin: false }));
      const t = setInterval(() => {
        if (s.destroyed) clearInterval(t);
        else s.write(frame(OP.CONTINUATION, Buffer.alloc(64 * 1024), { fin: false }));
      }, 1);
    });
    const ex = await execute(await socketRequest(`WEBSOCKET ws://127.0.0.1:${h.port}/\n`), { maxMessageBytes: 1 << 20 });
    assert.equal(ex.error?.code, 'WL_WS_MESSAGE_TOO_LARGE');
  });

  it('a permessage-deflate bomb: WL_WS_MESSAGE_TOO_LARGE, not 1 GiB of memory', async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, -4);
    h = await hostile(
      (s) => s.write(frame(OP.BINARY, bomb, { rsv1: true })),
      (accept) =>
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`,
    );
    const ex = await execute(await socketRequest(`WEBSOCKET ws://127.0.0.1:${h.port}/\n`), { maxMessageBytes: 4 << 20 });
    assert.equal(ex.error?.code, 'WL_WS_MESSAGE_TOO_LARGE');
  });

  it('garbage marked as compressed: WL_WS_INFLATE (1007)', async () => {
    h = await hostile(
      (s) => s.write(frame(OP.TEXT, Buffer.from([0xff, 0xff, 0xff, 0xff]), { rsv1: true })),
      (accept) =>
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`,
    );
    const ex = await run(h);
    assert.equal(ex.error?.code, 'WL_WS_INFLATE');
  });

  it('RSV1 on a continuation frame with deflate negotiated is RSV_BITS', async () => {
    h = await hostile(
      (s) => s.write(Buffer.concat([frame(OP.TEXT, 'a', { fin: false }), frame(OP.CONTINUATION, 'b', { rsv1: true })])),
      (accept) =>
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n`,
    );
    const ex = await run(h);
    assert.equal(ex.error?.code, 'WL_WS_RSV_BITS');
  });

  const handshakes: [string, string, Head][] = [
    ['a wrong Sec-WebSocket-Accept', 'WL_WS_HANDSHAKE_ACCEPT', () => GOOD_HEAD('dGhlIHNhbXBsZSBub25jZQ==')],
    [
      'no Sec-WebSocket-Accept',
      'WL_WS_HANDSHAKE_ACCEPT',
      () => 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    ],
    [
      'no Upgrade header',
      'WL_WS_HANDSHAKE_UPGRADE',
      (a) => `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${a}\r\n\r\n`,
    ],
    [
      'Upgrade: h2c',
      'WL_WS_HANDSHAKE_UPGRADE',
      (a) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${a}\r\n\r\n`,
    ],
    [
      'no Connection: Upgrade',
      'WL_WS_HANDSHAKE_CONNECTION',
      (a) => `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ${a}\r\n\r\n`,
    ],
    ['a subprotocol nobody offered', 'WL_WS_HANDSHAKE_PROTOCOL', (a) => `${GOOD_HEAD(a).slice(0, -2)}Sec-WebSocket-Protocol: evil\r\n\r\n`],
    [
      'an extension nobody offered',
      'WL_WS_HANDSHAKE_EXTENSION',
      (a) => `${GOOD_HEAD(a).slice(0, -2)}Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n\r\n`,
    ],
    [
      'an unknown permessage-deflate parameter',
      'WL_WS_HANDSHAKE_EXTENSION',
      (a) => `${GOOD_HEAD(a).slice(0, -2)}Sec-WebSocket-Extensions: permessage-deflate; turbo\r\n\r\n`,
    ],
    [
      'client_max_window_bits=16',
      'WL_WS_HANDSHAKE_EXTENSION',
      (a) => `${GOOD_HEAD(a).slice(0, -2)}Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=16\r\n\r\n`,
    ],
    ['a 200 instead of 101', 'WL_WS_HANDSHAKE_STATUS', () => 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
  ];
  for (const [what, code, head] of handshakes) {
    it(`handshake with ${what}: ${code}, the response kept, no message sent`, async () => {
      h = await hostile(() => undefined, head);
      const ex = await run(h, '\n===\nmust not be sent');
      assert.equal(ex.error?.code, code, JSON.stringify(ex.error));
      assert.equal(ex.error?.phase, 'handshake');
      assert.ok(ex.response, 'the response head is kept');
      assert.equal(ex.messages?.length, 0);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(h.fromClient.length, 0, 'no frame reached the server');
    });
  }

  it('a server that drops the connection without a close frame: 1006 explained', async () => {
    h = await hostile((s) => {
      s.write(frame(OP.TEXT, 'then silence'));
      setTimeout(() => s.destroy(), 50);
    });
    const ex = await run(h, '', 'close');
    assert.equal(ex.error, null);
    assert.equal(ex.socket?.closedBy, 'server');
    assert.match(ex.socket?.endReason ?? '', /1006/);
    assert.ok(ex.notes.some((n) => n.id === 'ws-abnormal'));
  });

  it('frames split across reads at every byte still decode (the 101 and the first frame in one write)', async () => {
    h = await hostile((s) => {
      const all = Buffer.concat([frame(OP.TEXT, 'split'), frame(OP.TEXT, 'x'.repeat(300))]);
      let i = 0;
      const t = setInterval(() => {
        if (i >= all.length || s.destroyed) {
          clearInterval(t);
          return;
        }
        s.write(all.subarray(i, i + 1));
        i++;
      }, 0);
    });
    const ex = await run(h, '', 'bytes 305');
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.deepEqual(kept(ex).slice(0, 2), ['text:split', `text:${'x'.repeat(300)}`]);
  });
});
