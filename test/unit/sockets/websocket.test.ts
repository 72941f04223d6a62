// WebSocket blocks against the `ws` package's server (a peer nobody here wrote): the handshake kept as an HTTP
// exchange and checked, masked client frames, text/binary/fragmented messages, ping/pong, the close handshake,
// subprotocols, permessage-deflate with its parameters, and wss:// with a certificate made in the test.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket, type ServerOptions } from 'ws';
import { makeSelfSigned } from '../../../src/demo/certs';
import { execute } from '../../../src/pipeline';
import type { Exchange } from '../../../src/shared/exchange';
import { messageText, socketRequest } from './helpers';

interface Peer {
  port: number;
  wss: WebSocketServer;
  received: { data: Buffer; isBinary: boolean }[];
  close(): Promise<void>;
}

async function peer(
  onConnection: (ws: WebSocket, peer: Peer) => void,
  options: ServerOptions = {},
  tlsOpts?: { key: string; cert: string },
): Promise<Peer> {
  const server = tlsOpts ? https.createServer(tlsOpts) : http.createServer();
  const wss = new WebSocketServer({ server, ...options });
  const p: Peer = {
    port: 0,
    wss,
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => server.close(() => resolve()));
      }),
  };
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer, isBinary: boolean) => p.received.push({ data: Buffer.from(data), isBinary }));
    ws.on('error', () => undefined);
    onConnection(ws, p);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  p.port = (server.address() as AddressInfo).port;
  return p;
}

const echo = (ws: WebSocket): void => {
  ws.on('message', (d: Buffer, isBinary: boolean) => ws.send(d, { binary: isBinary }));
};

function received(ex: Exchange): string[] {
  return (ex.messages ?? []).filter((m) => m.direction === 'received' && (m.opcodeName === 'text' || m.opcodeName === 'binary')).map(messageText);
}

describe('sockets/websocket: against the ws package', function () {
  this.timeout(30_000);
  let p: Peer | undefined;
  afterEach(async () => {
    await p?.close();
    p = undefined;
  });

  it('echo: the handshake is an HTTP exchange, frames are masked with a fresh key, the close handshake completes', async () => {
    p = await peer(echo, { perMessageDeflate: false });
    const ex = await execute(
      await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/chat\n\n===\nhello\n=== wait-for-server\n===\nsecond\n=== wait-for-server\n`),
    );
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.kind, 'websocket');
    assert.equal(ex.response?.status, 101);
    const head = Buffer.from(ex.request.rawBase64, 'base64').toString();
    assert.match(head, /^GET \/chat HTTP\/1\.1\r\n/);
    assert.match(head, /\r\nSec-WebSocket-Version: 13\r\n/);
    assert.match(head, /\r\nSec-WebSocket-Key: [A-Za-z0-9+/]{22}==\r\n/);
    assert.deepEqual(
      p.received.map((r) => r.data.toString()),
      ['hello', 'second'],
    );
    assert.deepEqual(received(ex), ['hello', 'second']);
    const sent = ex.messages!.filter((m) => m.direction === 'sent');
    assert.ok(sent.every((m) => m.masked === true));
    const keys = sent.map((m) => m.wireFrames?.[0].maskKey);
    assert.equal(new Set(keys).size, keys.length, 'a fresh masking key per frame');
    const closes = ex.messages!.filter((m) => m.opcodeName === 'close');
    assert.deepEqual(
      closes.map((m) => [m.direction, m.closeCode]),
      [
        ['sent', 1000],
        ['received', 1000],
      ],
    );
    assert.equal(ex.socket?.closedBy, 'client');
    assert.deepEqual(ex.socket?.closeReceived, { code: 1000, reason: '' });
    assert.ok(ex.notes.some((n) => n.id === 'ws-accept' && n.level === 'good'));
    assert.ok(ex.notes.some((n) => n.id === 'ws-deflate' && /did not accept/.test(n.summary)));
    assert.ok((ex.timings.connect ?? -1) >= 0 && ex.timings.firstByte !== null);
  });

  it("binary, fragmented and ping: the server's fragments become one message; pings are answered with pongs", async () => {
    p = await peer(
      (ws) => {
        ws.send(Buffer.from([0, 1, 2, 255]), { binary: true });
        // Three frames of one text message (the ws API's fin: false).
        ws.send('frag', { fin: false });
        ws.send('men', { fin: false });
        ws.send('ted', { fin: true });
        ws.ping('are you there');
      },
      { perMessageDeflate: false },
    );
    let pong = '';
    p.wss.on('connection', (ws) =>
      ws.on('pong', (d: Buffer) => {
        pong = d.toString();
      }),
    );
    const ex = await execute(await socketRequest(`# @until idle 500\nWEBSOCKET ws://127.0.0.1:${p.port}/\n`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    const ms = ex.messages!;
    const bin = ms.find((m) => m.opcodeName === 'binary');
    assert.deepEqual([...Buffer.from(bin!.base64, 'base64')], [0, 1, 2, 255]);
    assert.equal(bin!.text, null);
    const text = ms.find((m) => m.opcodeName === 'text');
    assert.equal(text?.text, 'fragmented');
    assert.deepEqual(
      text?.wireFrames?.map((f) => [f.opcode, f.fin]),
      [
        [1, false],
        [0, false],
        [0, true],
      ],
    );
    const ping = ms.find((m) => m.opcodeName === 'ping');
    assert.equal(ping?.text, 'are you there');
    const answer = ms.find((m) => m.opcodeName === 'pong' && m.direction === 'sent');
    assert.equal(answer?.automatic, true);
    assert.equal(messageText(answer!), 'are you there');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pong, 'are you there');
  });

  it('the server closes with a code and reason: it is echoed and explained', async () => {
    p = await peer((ws) => ws.close(4001, 'bye now'), { perMessageDeflate: false });
    const ex = await execute(await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\n`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.deepEqual(ex.socket?.closeReceived, { code: 4001, reason: 'bye now' });
    assert.equal(ex.socket?.closedBy, 'server');
    assert.match(ex.socket?.endReason ?? '', /server closed with 4001 \(bye now\)/);
    const echoClose = ex.messages!.find((m) => m.direction === 'sent' && m.opcodeName === 'close');
    assert.equal(echoClose?.closeCode, 4001);
    assert.ok(ex.notes.some((n) => n.id === 'ws-close' && /4001 Private use/.test(n.summary)));
  });

  it('subprotocol negotiation: the server picks one of those offered', async () => {
    p = await peer(echo, { perMessageDeflate: false, handleProtocols: (protocols) => (protocols.has('v2.chat') ? 'v2.chat' : false) });
    const ex = await execute(
      await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\nSec-WebSocket-Protocol: v1.chat, v2.chat\n\n===\nhi\n=== wait-for-server\n`),
    );
    assert.equal(ex.error, null);
    assert.equal(ex.socket?.protocol, 'v2.chat');
    assert.ok(ex.notes.some((n) => n.id === 'ws-protocol' && n.level === 'good'));
  });

  it('a non-WebSocket answer (404) is WL_WS_HANDSHAKE_STATUS with the response kept', async () => {
    p = await peer(echo, { perMessageDeflate: false, verifyClient: (_info, cb) => cb(false, 404, 'Not Here') });
    const ex = await execute(await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\n\n===\nhi\n`));
    assert.equal(ex.error?.code, 'WL_WS_HANDSHAKE_STATUS');
    assert.equal(ex.error?.phase, 'handshake');
    assert.equal(ex.response?.status, 404);
    assert.equal(ex.messages?.length, 0, 'nothing was sent');
  });

  describe('permessage-deflate', () => {
    const big = 'compress me '.repeat(200);

    it('negotiated by default: both directions compressed (RSV1), shown compressed and inflated', async () => {
      p = await peer(echo, { perMessageDeflate: { threshold: 0 } });
      const ex = await execute(
        await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\n\n===\n${big}\n=== wait-for-server\n===\n${big}\n=== wait-for-server\n`),
      );
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.match(ex.socket?.extensions ?? '', /permessage-deflate/);
      assert.deepEqual(
        p.received.map((r) => r.data.toString()),
        [big, big],
      );
      const data = ex.messages!.filter((m) => m.opcodeName === 'text');
      assert.equal(data.length, 4);
      for (const m of data) {
        assert.equal(m.text, big);
        assert.deepEqual(m.rsv, [true, false, false]);
        assert.ok((m.compressedSize ?? Infinity) < m.size, `${m.direction} ${m.compressedSize} < ${m.size}`);
        assert.ok(m.compressedBase64);
      }
      // Context takeover: the second message of each direction compresses better, reusing the first's window.
      const [s1, s2] = data.filter((m) => m.direction === 'sent');
      assert.ok(s2.compressedSize! < s1.compressedSize!, `${s2.compressedSize} < ${s1.compressedSize}`);
      assert.ok(ex.notes.some((n) => n.id === 'ws-deflate' && /negotiated/.test(n.summary)));
    });

    it('honours server_no_context_takeover and client_no_context_takeover / client_max_window_bits', async () => {
      p = await peer(echo, {
        perMessageDeflate: { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true, clientMaxWindowBits: 10 },
      });
      const ex = await execute(
        await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\n\n===\n${big}\n=== wait-for-server\n===\n${big}\n=== wait-for-server\n`),
      );
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.match(ex.socket?.extensions ?? '', /server_no_context_takeover/);
      assert.match(ex.socket?.extensions ?? '', /client_max_window_bits=10/);
      const sent = ex.messages!.filter((m) => m.direction === 'sent' && m.opcodeName === 'text');
      const got = ex.messages!.filter((m) => m.direction === 'received' && m.opcodeName === 'text');
      // No context kept: every message compresses the same.
      assert.equal(sent[0].compressedSize, sent[1].compressedSize);
      assert.equal(got[0].compressedSize, got[1].compressedSize);
      assert.deepEqual(
        p.received.map((r) => r.data.toString()),
        [big, big],
      );
    });

    it('a request that writes its own Sec-WebSocket-Extensions header without deflate gets no compression', async () => {
      p = await peer(echo, { perMessageDeflate: { threshold: 0 } });
      const ex = await execute(
        await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\nSec-WebSocket-Extensions: x-none\n\n===\nplain\n=== wait-for-server\n`),
      );
      assert.equal(ex.error, null);
      assert.equal(ex.socket?.extensions, null);
      assert.equal(received(ex)[0], 'plain');
    });
  });

  it('wss:// verifies the certificate; with @insecure it connects over TLS', async () => {
    const cert = await makeSelfSigned();
    p = await peer(echo, { perMessageDeflate: false }, { key: cert.key, cert: cert.cert });
    const refused = await execute(await socketRequest(`WEBSOCKET wss://localhost:${p.port}/\n\n===\nx\n`));
    assert.equal(refused.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    const ok = await execute(await socketRequest(`# @insecure\nWEBSOCKET wss://localhost:${p.port}/\n\n===\nsecure hello\n=== wait-for-server\n`));
    assert.equal(ok.error, null, JSON.stringify(ok.error));
    assert.equal(received(ok)[0], 'secure hello');
    assert.ok(ok.connection?.tls?.protocol);
  });

  it('live: another message sent while open, then closed with a chosen code', async () => {
    p = await peer(echo, { perMessageDeflate: false });
    let closeCode = 0;
    p.wss.on('connection', (ws) =>
      ws.on('close', (code: number) => {
        closeCode = code;
      }),
    );
    const live: string[] = [];
    const ex = await execute(await socketRequest(`WEBSOCKET ws://127.0.0.1:${p.port}/\n\n===\nfirst\n`), {
      socket: {
        live: true,
        onOpen: (control) => {
          setTimeout(() => control.send(Buffer.from('from the panel'), true), 100);
          setTimeout(() => control.close(4000, 'done here'), 500);
        },
        onMessage: (m) => live.push(`${m.direction}:${m.opcodeName}:${messageText(m)}`),
      },
    });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.ok(live.includes('received:text:from the panel'), live.join(' | '));
    assert.deepEqual(ex.socket?.closeSent, { code: 4000, reason: 'done here' });
    assert.equal(ex.socket?.endReason, 'closed from the panel with 4000 (done here)');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(closeCode, 4000);
  });
});
