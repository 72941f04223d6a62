// Hostile HTTP/2 servers: each misbehaviour ends in a typed error, with the frames seen so far kept in the record
// and memory bounded (the record's frames and raw bytes stay within their limits).
import * as assert from 'node:assert/strict';
import { makeSelfSigned } from '../../../../src/demo/certs';
import type { Exchange } from '../../../../src/shared/exchange';
import { send, type SendOptions } from '../../../../src/wire';
import { ErrorCode, FrameType } from '../../../../src/wire/h2/constants';
import { tlsServer, reply, request } from '../servers';
import { frameBytes, groupFrames, groupMembers, streamTimelines, type FrameGroup } from '../../../../src/view/frames';
import { h2Server, type H2TestServer, type Peer } from './hostile';

const END_STREAM = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
const OK: [string, string][] = [
  [':status', '200'],
  ['content-type', 'text/plain'],
];

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
function goaway(last: number, code: number, debug = ''): Buffer {
  return Buffer.concat([u32(last), u32(code), Buffer.from(debug)]);
}

describe('wire/h2: hostile servers', function () {
  this.timeout(30000);
  let srv: H2TestServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  async function run(script: (p: Peer) => void, opts: SendOptions = {}, extra: Parameters<typeof request>[1] = {}): Promise<Exchange> {
    srv = await h2Server(script);
    return send(request(`${srv.url}/`, { httpVersion: 'HTTP/2', ...extra }), { timeoutMs: 5000, ...opts });
  }

  function kept(ex: Exchange): void {
    assert.ok((ex.frames ?? []).length > 0, 'frames so far are kept');
    assert.ok((ex.frames ?? []).length <= 2000, 'frames are bounded');
    assert.ok(Buffer.from(ex.request.rawBase64, 'base64').toString('latin1').startsWith('PRI * HTTP/2.0'), 'the bytes sent are kept');
  }

  it('bad preface: a first frame other than SETTINGS is H2_PROTOCOL_ERROR, answered with GOAWAY', async () => {
    const ex = await run((p) => {
      p.send(FrameType.PING, 0, 0, Buffer.alloc(8));
    });
    assert.equal(ex.error?.code, 'H2_PROTOCOL_ERROR');
    assert.match(ex.error?.message ?? '', /preface/i);
    kept(ex);
    const g = (ex.frames ?? []).find((f) => f.direction === 'sent' && f.type === 'GOAWAY');
    assert.equal(g?.errorCode, 'PROTOCOL_ERROR');
    assert.ok((ex.frames ?? []).some((f) => f.direction === 'received' && f.type === 'PING'));
  });

  it('an HTTP/1.1 answer to the h2c preface says so', async () => {
    const ex = await run((p) => {
      p.sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    });
    assert.equal(ex.error?.code, 'WL_H2_HTTP1_RESPONSE');
  });

  it('oversized frame: longer than SETTINGS_MAX_FRAME_SIZE is H2_FRAME_SIZE_ERROR before its payload is buffered', async () => {
    const ex = await run((p) => {
      p.settings();
      p.headers(OK, END_HEADERS);
      p.send(FrameType.DATA, 0, 1, Buffer.alloc(20_000));
    });
    assert.equal(ex.error?.code, 'H2_FRAME_SIZE_ERROR');
    assert.equal(ex.response?.status, 200, 'the head that arrived is kept');
    kept(ex);
  });

  it('window violation: DATA beyond the stream window is H2_FLOW_CONTROL_ERROR (RST_STREAM)', async () => {
    const ex = await run(
      (p) => {
        p.settings();
        p.headers(OK, END_HEADERS);
        p.send(FrameType.DATA, 0, 1, Buffer.alloc(5000));
      },
      { http2Window: 1000 },
    );
    assert.equal(ex.error?.code, 'H2_FLOW_CONTROL_ERROR');
    const rst = (ex.frames ?? []).find((f) => f.direction === 'sent' && f.type === 'RST_STREAM');
    assert.equal(rst?.errorCode, 'FLOW_CONTROL_ERROR');
    assert.equal(
      ex.frames?.find((f) => f.direction === 'sent' && f.type === 'SETTINGS')?.settings?.find(([n]) => n === 'INITIAL_WINDOW_SIZE')?.[1],
      1000,
    );
  });

  it('a WINDOW_UPDATE that overflows the window is H2_FLOW_CONTROL_ERROR', async () => {
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.WINDOW_UPDATE, 0, 0, u32(0x7fffffff));
    });
    assert.equal(ex.error?.code, 'H2_FLOW_CONTROL_ERROR');
  });

  it('HEADERS flood: endless interim responses stop at a limit (H2_ENHANCE_YOUR_CALM)', async () => {
    const ex = await run((p) => {
      p.settings();
      for (let i = 0; i < 500; i++)
        p.headers(
          [
            [':status', '103'],
            ['link', `</s${i}.css>; rel=preload`],
          ],
          END_HEADERS,
        );
    });
    assert.equal(ex.error?.code, 'H2_ENHANCE_YOUR_CALM');
    assert.match(ex.error?.message ?? '', /HEADERS flood/);
    assert.ok((ex.response?.interim.length ?? 0) <= 64);
    kept(ex);
  });

  it('a second head without END_STREAM after the final one is H2_PROTOCOL_ERROR', async () => {
    const ex = await run((p) => {
      p.settings();
      p.headers(OK, END_HEADERS);
      p.headers(OK, END_HEADERS);
    });
    assert.equal(ex.error?.code, 'H2_PROTOCOL_ERROR');
  });

  it('CONTINUATION flood: endless empty CONTINUATIONs stop at a limit', async () => {
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.HEADERS, 0, 1, p.block(OK));
      for (let i = 0; i < 5000; i++) p.send(FrameType.CONTINUATION, 0, 1, Buffer.alloc(0));
    });
    assert.equal(ex.error?.code, 'H2_ENHANCE_YOUR_CALM');
    assert.match(ex.error?.message ?? '', /CONTINUATION flood/);
    kept(ex);
  });

  it('CONTINUATION flood: a header block beyond the header limit stops before it is held', async () => {
    const ex = await run(
      (p) => {
        p.settings();
        p.send(FrameType.HEADERS, 0, 1, p.block(OK));
        for (let i = 0; i < 40; i++) p.send(FrameType.CONTINUATION, 0, 1, Buffer.alloc(16_000, 0x40));
      },
      { maxHeaderBytes: 64 * 1024 },
    );
    assert.equal(ex.error?.code, 'H2_ENHANCE_YOUR_CALM');
    assert.match(ex.error?.message ?? '', /Header block larger/);
  });

  it('a frame inside a header block (not CONTINUATION) is H2_PROTOCOL_ERROR', async () => {
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.HEADERS, 0, 1, p.block(OK));
      p.send(FrameType.DATA, 0, 1, 'x');
    });
    assert.equal(ex.error?.code, 'H2_PROTOCOL_ERROR');
  });

  it('HPACK bomb: a dynamic table size update beyond our setting is H2_COMPRESSION_ERROR', async () => {
    // 001xxxxx with a 5-bit prefix: 31 + 0xffff… → a table far beyond SETTINGS_HEADER_TABLE_SIZE 4096.
    const update = Buffer.from([0x3f, 0xe1, 0xff, 0x03]);
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.HEADERS, END_HEADERS, 1, Buffer.concat([update, Buffer.from([0x88])]));
    });
    assert.equal(ex.error?.code, 'H2_COMPRESSION_ERROR');
    assert.equal((ex.frames ?? []).find((f) => f.direction === 'sent' && f.type === 'GOAWAY')?.errorCode, 'COMPRESSION_ERROR');
    kept(ex);
  });

  it('HPACK bomb: one big table entry referenced again and again is a header list beyond the limit', async () => {
    const ex = await run(
      (p) => {
        p.settings();
        // Literal with incremental indexing, new name: the 3000-byte value enters the dynamic table (index 62)...
        const name = Buffer.from('x-bomb');
        const value = Buffer.alloc(3000, 0x61);
        const lit = Buffer.concat([
          Buffer.from([0x40, name.length]),
          name,
          Buffer.from([0x7f, 3000 - 127 - 128 * Math.floor((3000 - 127) / 128) + 128, Math.floor((3000 - 127) / 128)]),
          value,
        ]);
        // ...then 1-byte references to it (0xbe = indexed 62): 200 × 3 KB from a 3 KB block.
        const refs = Buffer.alloc(200, 0xbe);
        p.send(FrameType.HEADERS, END_HEADERS, 1, Buffer.concat([Buffer.from([0x88]), lit, refs]));
      },
      { maxHeaderBytes: 64 * 1024 },
    );
    assert.equal(ex.error?.code, 'H2_COMPRESSION_ERROR');
    assert.match(ex.error?.message ?? '', /header list/i, ex.error?.message);
  });

  it("GOAWAY mid-stream with an error: the peer's code and debug data, the partial body kept", async () => {
    const ex = await run((p) => {
      p.settings();
      p.headers(OK, END_HEADERS);
      p.send(FrameType.DATA, 0, 1, 'partial ');
      setTimeout(() => p.send(FrameType.GOAWAY, 0, 0, goaway(1, ErrorCode.INTERNAL_ERROR, 'database on fire')), 50);
    });
    assert.equal(ex.error?.code, 'H2_INTERNAL_ERROR');
    assert.match(ex.error?.message ?? '', /database on fire/);
    assert.equal(ex.response?.body.text, 'partial ');
    const g = (ex.frames ?? []).find((f) => f.direction === 'received' && f.type === 'GOAWAY');
    assert.equal(g?.debugData, 'database on fire');
    assert.equal(g?.lastStreamId, 1);
  });

  it('GOAWAY NO_ERROR before the stream was processed is H2_REFUSED_STREAM (safe to retry)', async () => {
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.GOAWAY, 0, 0, goaway(0, ErrorCode.NO_ERROR));
    });
    assert.equal(ex.error?.code, 'H2_REFUSED_STREAM');
    assert.match(ex.error?.message ?? '', /retry/);
  });

  it('GOAWAY NO_ERROR that lets the stream finish is not an error', async () => {
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.GOAWAY, 0, 0, goaway(1, ErrorCode.NO_ERROR));
      p.headers(OK, END_HEADERS);
      p.send(FrameType.DATA, END_STREAM, 1, 'done');
    });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, 'done');
  });

  it("RST_STREAM: the peer's code becomes the error, REFUSED_STREAM called safe to retry", async () => {
    const a = await run((p) => {
      p.settings();
      p.send(FrameType.RST_STREAM, 0, 1, u32(ErrorCode.REFUSED_STREAM));
    });
    assert.equal(a.error?.code, 'H2_REFUSED_STREAM');
    assert.match(a.error?.message ?? '', /retry/);
    await srv?.close();
    const b = await run((p) => {
      p.settings();
      p.headers(OK, END_HEADERS);
      p.send(FrameType.DATA, 0, 1, 'abc');
      p.send(FrameType.RST_STREAM, 0, 1, u32(ErrorCode.INTERNAL_ERROR));
    });
    assert.equal(b.error?.code, 'H2_INTERNAL_ERROR');
    assert.equal(b.response?.body.text, 'abc');
    assert.equal((b.frames ?? []).find((f) => f.type === 'RST_STREAM')?.errorCode, 'INTERNAL_ERROR');
  });

  it('never-ending DATA: the body limit stops it, the stream is cancelled, the record stays bounded', async () => {
    const ex = await run(
      (p) => {
        p.settings();
        p.headers(OK, END_HEADERS);
        const chunk = Buffer.alloc(16_384, 0x78);
        const pump = (): void => {
          while (!p.sock.destroyed && p.send(FrameType.DATA, 0, 1, chunk)) {
            /* as fast as the socket takes it */
          }
          if (!p.sock.destroyed) p.sock.once('drain', pump);
        };
        pump();
        p.sock.on('data', () => undefined);
      },
      { maxBodyBytes: 4 * 1024 * 1024 },
    );
    assert.equal(ex.error?.code, 'WL_BODY_TOO_LARGE');
    assert.ok((ex.response?.body.size ?? 0) >= 4 * 1024 * 1024);
    assert.ok(Buffer.from(ex.response?.body.base64 ?? '', 'base64').length <= 4 * 1024 * 1024);
    assert.ok((ex.frames ?? []).length <= 2000);
    assert.ok(Buffer.from(ex.response?.rawBase64 ?? '', 'base64').length <= 256 * 1024 + 1024 * 1024);
    assert.equal((ex.frames ?? []).find((f) => f.direction === 'sent' && f.type === 'RST_STREAM')?.errorCode, 'CANCEL');
  });

  it("a long run of small DATA frames: every frame kept, the run opened in the view lands on each frame's bytes", async () => {
    const ex = await run((p) => {
      p.settings();
      p.headers(OK, END_HEADERS);
      // Varying lengths, in stretches, so that the run's lengths are run-length coded.
      for (let i = 0; i < 3000; i++) p.send(FrameType.DATA, 0, 1, Buffer.alloc(5 + Math.floor(i / 500), i & 0xff));
      p.send(FrameType.DATA, END_STREAM, 1, Buffer.alloc(0));
      p.sock.on('data', () => undefined);
    });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    const frames = ex.frames ?? [];
    assert.ok(frames.length <= 2000);
    assert.equal(ex.framesOmitted, undefined, 'no frame left uncounted');
    const stream1 = streamTimelines(frames).find((t) => t.stream === 1);
    const groups = groupFrames(stream1?.frames ?? []).filter((i): i is FrameGroup => i.kind === 'group');
    assert.equal(groups.length, 1);
    const g = groups[0];
    assert.equal(g.count, 3000);
    assert.equal(g.bytes, ex.response?.body.size);
    assert.ok(
      g.entries.some((e) => e.frame.run),
      'the later frames are one run entry',
    );
    const received = Buffer.from(ex.response?.rawBase64 ?? '', 'base64');
    const members = groupMembers(g, 0, g.count);
    members.forEach((m, i) => {
      const bytes = frameBytes(m.frame, new Uint8Array(0), received);
      assert.ok(bytes, `frame ${i} kept`);
      const b = Buffer.from(bytes);
      assert.deepEqual([b.readUIntBE(0, 3), b[3], b.readUInt32BE(5)], [5 + Math.floor(i / 500), FrameType.DATA, 1], `frame ${i}`);
      assert.equal(b[9], i & 0xff, `frame ${i}'s payload`);
    });
  });

  it('the whole-exchange deadline (--max-time) ends a dripping HTTP/2 body with WL_MAX_TIME', async () => {
    const ex = await run(
      (p) => {
        p.settings();
        p.headers(OK, END_HEADERS);
        const t = setInterval(() => {
          if (!p.send(FrameType.DATA, 0, 1, '.')) clearInterval(t);
        }, 50);
        p.sock.on('close', () => clearInterval(t));
      },
      { maxTimeMs: 600 },
    );
    assert.equal(ex.error?.code, 'WL_MAX_TIME');
    assert.ok((ex.response?.body.size ?? 0) > 0);
  });

  it('PING flood: answered, then stopped at a limit', async () => {
    const ex = await run((p) => {
      p.settings();
      for (let i = 0; i < 12_000; i++) p.send(FrameType.PING, 0, 0, Buffer.alloc(8, i & 0xff));
    });
    assert.equal(ex.error?.code, 'H2_ENHANCE_YOUR_CALM');
    assert.ok((ex.frames ?? []).some((f) => f.direction === 'sent' && f.type === 'PING' && f.flagNames.includes('ACK')));
    assert.ok((ex.frames ?? []).length <= 2000);
  });

  it('a response without :status is H2_PROTOCOL_ERROR, its fields kept', async () => {
    const ex = await run((p) => {
      p.settings();
      p.headers([['content-type', 'text/plain']], END_HEADERS | END_STREAM);
    });
    assert.equal(ex.error?.code, 'H2_PROTOCOL_ERROR');
    assert.match(ex.error?.message ?? '', /:status/);
    assert.deepEqual(ex.response?.headers, [['content-type', 'text/plain']]);
  });

  it('PUSH_PROMISE although push is disabled is H2_PROTOCOL_ERROR', async () => {
    const ex = await run((p) => {
      p.settings();
      p.send(FrameType.PUSH_PROMISE, END_HEADERS, 1, Buffer.concat([u32(2), p.block([[':method', 'GET']])]));
    });
    assert.equal(ex.error?.code, 'H2_PROTOCOL_ERROR');
    assert.match(ex.error?.message ?? '', /PUSH_PROMISE/);
  });

  it('SETTINGS_ENABLE_PUSH 1 from a server, or a MAX_FRAME_SIZE out of range, is H2_PROTOCOL_ERROR', async () => {
    const a = await run((p) => {
      p.settings([[2, 1]]);
    });
    assert.equal(a.error?.code, 'H2_PROTOCOL_ERROR');
    await srv?.close();
    const b = await run((p) => {
      p.settings([[5, 100]]);
    });
    assert.equal(b.error?.code, 'H2_PROTOCOL_ERROR');
  });

  it('the server closing mid-body is WL_H2_CONNECTION_CLOSED with the partial body', async () => {
    const ex = await run((p) => {
      p.settings();
      p.headers(OK, END_HEADERS);
      p.send(FrameType.DATA, 0, 1, 'half');
      setTimeout(() => p.sock.destroy(), 50);
    });
    assert.equal(ex.error?.code, 'WL_H2_CONNECTION_CLOSED');
    assert.equal(ex.response?.body.text, 'half');
  });

  it('tolerates PRIORITY, padding, a PRIORITY flag on HEADERS, unknown frame types and split CONTINUATIONs', async () => {
    const ex = await run((p) => {
      p.settings([
        [4, 1 << 20],
        [0xf0, 7],
      ]);
      p.send(FrameType.PRIORITY, 0, 1, Buffer.from([0, 0, 0, 0, 15]));
      p.send(0xfa, 0, 0, 'whatever');
      const block = p.block([...OK, ['x-long', 'y'.repeat(300)]]);
      const first = Buffer.concat([Buffer.from([3]), Buffer.from([0x80, 0, 0, 0, 200]), block.subarray(0, 10), Buffer.alloc(3)]);
      p.send(FrameType.HEADERS, PADDED | PRIORITY, 1, first);
      p.send(FrameType.CONTINUATION, 0, 1, block.subarray(10, 100));
      p.send(FrameType.CONTINUATION, END_HEADERS, 1, block.subarray(100));
      p.send(FrameType.DATA, PADDED, 1, Buffer.concat([Buffer.from([5]), Buffer.from('hello'), Buffer.alloc(5)]));
      p.send(FrameType.DATA, END_STREAM, 1, ' world');
    });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, 'hello world');
    assert.equal(ex.response?.headers.find(([n]) => n === 'x-long')?.[1].length, 300);
    const h = (ex.frames ?? []).find((f) => f.direction === 'received' && f.type === 'HEADERS');
    assert.equal(h?.padding, 3);
    assert.match(h?.summary ?? '', /weight 201/);
    assert.ok((ex.frames ?? []).some((f) => f.type === 'UNKNOWN(0xfa)'));
  });

  it("sends a body no faster than the server's window allows, waiting for WINDOW_UPDATE", async () => {
    const body = Buffer.alloc(50_000, 0x31);
    let received = 0;
    const ex = await run(
      (p) => {
        p.settings([[4, 10_000]]);
        p.sock.on('data', () => undefined);
        const check = setInterval(() => {
          const data = p.got.filter((f) => f.type === FrameType.DATA);
          const n = data.reduce((s, f) => s + f.length, 0);
          if (n > received) {
            received = n;
            assert.ok(n <= 10_000 + Math.floor((n - 1) / 10_000) * 10_000);
            p.send(FrameType.WINDOW_UPDATE, 0, 1, u32(10_000));
          }
          if (data.some((f) => f.flags & END_STREAM)) {
            clearInterval(check);
            p.headers(OK, END_HEADERS);
            p.send(FrameType.DATA, END_STREAM, 1, String(n));
          }
        }, 20);
        p.sock.on('close', () => clearInterval(check));
      },
      {},
      { method: 'POST', body: [{ kind: 'bytes', data: body }] },
    );
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, '50000');
  });

  it('an https server that does not select h2 by ALPN is WL_H2_NOT_NEGOTIATED, naming what it picked', async () => {
    const cert = await makeSelfSigned();
    const t = await tlsServer(reply('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), { key: cert.key, cert: cert.cert, ALPNProtocols: ['http/1.1'] });
    try {
      const ex = await send(request(`${t.url}/`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
      assert.equal(ex.error?.code, 'WL_H2_NOT_NEGOTIATED');
      assert.match(ex.error?.message ?? '', /selected http\/1\.1/);
      assert.equal(t.requests.length, 0, 'nothing was sent');
      const neg = await send(request(`${t.url}/`, { httpVersion: '' }), { ca: [cert.cert], http2: 'negotiate' });
      assert.equal(neg.error, null);
      assert.equal(neg.response?.httpVersion, '1.1', 'negotiate falls back on the same connection');
    } finally {
      await t.close();
    }
  });

  it('h2 over TLS to the scripted server works like h2c', async () => {
    const cert = await makeSelfSigned();
    srv = await h2Server(
      (p) => {
        p.settings();
        p.headers(OK, END_HEADERS);
        p.send(FrameType.DATA, END_STREAM, 1, 'tls');
      },
      { tls: { key: cert.key, cert: cert.cert } },
    );
    const ex = await send(request(`${srv.url}/`, { httpVersion: 'HTTP/2' }), { ca: [cert.cert] });
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.response?.body.text, 'tls');
  });
});
