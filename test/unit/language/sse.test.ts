// httpyac's `SSE url` end to end on loopback: sent as a GET with Accept: text/event-stream, the events read as
// they arrive until the stream ends, the timeout passes without data, or the exchange is cancelled; what arrived
// is kept every time.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { parseHttp, resolveRequest } from '../../../src/language';
import type { Exchange } from '../../../src/shared/exchange';
import { send } from '../../../src/wire';

interface Sse {
  port: number;
  heads: string[];
  close(): Promise<void>;
}

/** A server that answers every request with an event stream driven by `play`. */
async function sseServer(play: (sock: net.Socket) => void): Promise<Sse> {
  const heads: string[] = [];
  const socks = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    socks.add(sock);
    sock.on('error', () => undefined);
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0 || heads.length > 0) return;
      heads.push(buf.slice(0, end));
      play(sock);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    heads,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n';

async function sendSse(text: string, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<Exchange> {
  const doc = parseHttp(text);
  const r = await resolveRequest(doc, doc.requests[0]);
  assert.ok(r.request, JSON.stringify(r.errors));
  return send(r.request, { signal, onProgress: (p) => onBytes?.(p.bytes) });
}

describe('language/sse: httpyac SSE requests on the wire', function () {
  this.timeout(30_000);
  let srv: Sse | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('sends a GET with Accept: text/event-stream and reads the events until the server ends the stream', async () => {
    srv = await sseServer((sock) => {
      sock.write(HEAD);
      sock.write('data: one\n\n');
      setTimeout(() => sock.write('event: ping\ndata: two\n\n'), 20);
      setTimeout(() => sock.end('id: 3\ndata: three\n\n'), 40);
    });
    const ex = await sendSse(`SSE http://127.0.0.1:${srv.port}/events\nEvent: message\n`);
    assert.equal(ex.error, null);
    assert.equal(ex.request.method, 'GET');
    assert.match(srv.heads[0], /^GET \/events HTTP\/1\.1\r\n/);
    assert.match(srv.heads[0], /\r\nAccept: text\/event-stream\r\n/);
    assert.match(srv.heads[0], /\r\nCache-Control: no-cache\r\n/);
    assert.doesNotMatch(srv.heads[0], /\r\nEvent:/i);
    assert.equal(ex.response?.body.text, 'data: one\n\nevent: ping\ndata: two\n\nid: 3\ndata: three\n\n');
    assert.ok(ex.notes.some((n) => n.id === 'sse-request'));
  });

  it('ends with ETIMEDOUT when no event comes within @timeout, the events so far kept', async () => {
    srv = await sseServer((sock) => sock.write(`${HEAD}data: one\n\ndata: two\n\n`));
    const ex = await sendSse(`# @timeout 400 ms\nSSE http://127.0.0.1:${srv.port}/events\n`);
    assert.equal(ex.error?.code, 'ETIMEDOUT');
    assert.equal(ex.response?.status, 200);
    assert.equal(ex.response?.body.text, 'data: one\n\ndata: two\n\n');
  });

  it('with @keepStreaming reads until cancelled (no idle timeout), the events so far kept', async () => {
    let timer: NodeJS.Timeout | undefined;
    srv = await sseServer((sock) => {
      sock.write(HEAD);
      let n = 0;
      timer = setInterval(() => sock.writable && sock.write(`data: ${++n}\n\n`), 30);
    });
    const ac = new AbortController();
    try {
      // Progress counts what was received (at most every 100 ms): cancel once two events are surely in.
      const ex = await sendSse(`# @keepStreaming\nSSE http://127.0.0.1:${srv.port}/events\n`, ac.signal, (bytes) => {
        if (bytes >= HEAD.length + 20) ac.abort();
      });
      assert.equal(ex.error?.code, 'cancelled');
      assert.equal(ex.response?.status, 200);
      assert.match(ex.response?.body.text ?? '', /^data: 1\n\ndata: 2\n\n/);
    } finally {
      clearInterval(timer);
    }
  });
});
