// How the engine options and the request's own options combine, the resolver (every address, IPv6 tried,
// literal IPs never looked up) and the deadline on a response head that is sent too slowly.
import * as assert from 'node:assert/strict';
import { constants as bufferConstants } from 'node:buffer';
import { spawn } from 'node:child_process';
import * as net from 'node:net';
import { makeSelfSigned, type GeneratedCert } from '../../../src/demo/certs';
import { MAX_RECORD_BYTES, effectiveMaxBody, send, type Lookup } from '../../../src/wire';
import { closedPort, rawServer, reply, request, silentServer, tlsServer, type TestServer } from './servers';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const REDIRECT = 'HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n';

/** A resolver that answers from a table and records what it was asked. */
function table(entries: Record<string, { address: string; family: number }[]>): Lookup & { asked: string[] } {
  const asked: string[] = [];
  const fn = (host: string): Promise<{ address: string; family: number }[]> => {
    asked.push(host);
    const found = entries[host];
    if (!found) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(found);
  };
  return Object.assign(fn, { asked });
}

describe('wire/engine: options, resolver and head deadline', function () {
  this.timeout(20000);
  const servers: TestServer[] = [];
  const track = <T extends TestServer>(s: T): T => {
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  describe('resolver', () => {
    it('records every address and falls back from a refused IPv6 address to IPv4', async () => {
      const srv = track(await rawServer(reply(OK), '127.0.0.1'));
      // The same port on ::1 has nothing listening (a fresh port taken for ::1 cannot be this one while it listens).
      const lookup = table({
        'api.test': [
          { address: '::1', family: 6 },
          { address: '127.0.0.1', family: 4 },
        ],
      });
      const ex = await send(request(`http://api.test:${srv.port}/`), { lookup });
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.deepEqual(lookup.asked, ['api.test']);
      assert.deepEqual(ex.connection?.resolvedAddresses, ['::1', '127.0.0.1']);
      assert.equal(ex.connection?.remoteAddress, '127.0.0.1');
      assert.equal(ex.connection?.family, 'IPv4');
      assert.equal(typeof ex.timings.dns, 'number');
      assert.match(srv.requests[0].head, new RegExp(`\r\nHost: api\\.test:${srv.port}\r\n`));
    });

    it('connects over IPv6 when it is the address that listens', async () => {
      const srv = track(await rawServer(reply(OK), '::1'));
      const lookup = table({
        'api.test': [
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 },
        ],
      });
      const ex = await send(request(`http://api.test:${srv.port}/`), { lookup });
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.connection?.remoteAddress, '::1');
      assert.equal(ex.connection?.family, 'IPv6');
    });

    it('an address that never answers does not hold up the next one (staggered attempts, RFC 8305); cancel while connecting', async () => {
      // 127.0.0.1:P is a python listener with backlog 0 that never accepts: once its queue is full, SYNs go
      // unanswered. ::1:P answers. Trying the addresses one after the other would end in ETIMEDOUT.
      const child = spawn(
        'python3',
        ['-c', 'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)'],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const fillers: net.Socket[] = [];
      const v6 = net.createServer((sock) => {
        sock.on('error', () => undefined);
        sock.once('data', () => sock.end(OK));
      });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          child.on('error', () => reject(new Error('python3 is needed for this test (it could not be started)')));
          child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        });
        // Fill the accept queue until a connection attempt stays pending: from then on the address is a black hole.
        for (let i = 0; i < 8; i++) {
          const f = net.connect({ host: '127.0.0.1', port });
          f.on('error', () => undefined);
          fillers.push(f);
        }
        const stuck = await new Promise<boolean>((resolve) => {
          setTimeout(() => resolve(fillers.some((f) => f.pending)), 500);
        });
        assert.ok(stuck, 'the listener with a full queue still completed every connection');
        await new Promise<void>((resolve, reject) => {
          v6.once('error', reject);
          v6.listen(port, '::1', resolve);
        });
        const lookup = table({
          'api.test': [
            { address: '127.0.0.1', family: 4 },
            { address: '::1', family: 6 },
          ],
        });
        const ex = await send(request(`http://api.test:${port}/`), { lookup, connectTimeoutMs: 10_000 });
        assert.equal(ex.error, null, JSON.stringify(ex.error));
        assert.equal(ex.connection?.remoteAddress, '::1');
        assert.equal(ex.response?.status, 200);
        // The same black hole: cancelling while the connection attempt hangs ends it at once.
        const ac = new AbortController();
        const pendingSend = send(request(`http://127.0.0.1:${port}/`), { signal: ac.signal, connectTimeoutMs: 60_000 });
        setTimeout(() => ac.abort(), 100);
        const cancelled = await pendingSend;
        assert.equal(cancelled.error?.code, 'cancelled');
        assert.equal(cancelled.error?.phase, 'connect');
        assert.equal(cancelled.response, null);
      } finally {
        for (const f of fillers) f.destroy();
        v6.close();
        child.kill();
      }
    });

    it('every address refused is ECONNREFUSED in the connect phase, with the addresses recorded', async () => {
      const port = await closedPort('127.0.0.1');
      const lookup = table({
        'api.test': [
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 },
        ],
      });
      const ex = await send(request(`http://api.test:${port}/`), { lookup });
      assert.equal(ex.error?.code, 'ECONNREFUSED');
      assert.equal(ex.error?.phase, 'connect');
      assert.deepEqual(ex.connection?.resolvedAddresses, ['127.0.0.1', '::1']);
    });

    it('a name that does not resolve is ENOTFOUND in the dns phase', async () => {
      const ex = await send(request('http://nowhere.test/'), { lookup: table({}) });
      assert.equal(ex.error?.code, 'ENOTFOUND');
      assert.equal(ex.error?.phase, 'dns');
      assert.equal(ex.response, null);
    });

    it('a lookup that never answers is ETIMEDOUT in the dns phase, and can be cancelled while it hangs', async () => {
      const never: Lookup = () => new Promise(() => undefined);
      const timedOut = await send(request('http://slow-dns.test/'), { lookup: never, connectTimeoutMs: 200 });
      assert.equal(timedOut.error?.code, 'ETIMEDOUT');
      assert.equal(timedOut.error?.phase, 'dns');
      const ac = new AbortController();
      const pendingSend = send(request('http://slow-dns.test/'), { lookup: never, signal: ac.signal, connectTimeoutMs: 60_000 });
      setTimeout(() => ac.abort(), 50);
      const cancelled = await pendingSend;
      assert.equal(cancelled.error?.code, 'cancelled');
      assert.equal(cancelled.error?.phase, 'dns');
    });

    it('literal IPv4 and IPv6 addresses are never looked up', async () => {
      const lookup = table({});
      for (const host of ['127.0.0.1', '::1']) {
        const srv = track(await rawServer(reply(OK), host));
        const ex = await send(request(`${srv.url}/`), { lookup });
        assert.equal(ex.error, null, JSON.stringify(ex.error));
        assert.equal(ex.timings.dns, null);
        assert.deepEqual(ex.connection?.resolvedAddresses, [host]);
      }
      assert.deepEqual(lookup.asked, []);
    });
  });

  describe('request options fall back to the engine options only when undefined', () => {
    it('followRedirects: undefined follows the engine option, a request value wins', async () => {
      const srv = track(
        await rawServer((sock, r) => {
          sock.end(r.head.startsWith('GET /next') ? OK : REDIRECT);
        }),
      );
      const url = `${srv.url}/`;
      assert.equal((await send(request(url))).response?.status, 200, 'followed by default');
      assert.equal((await send(request(url), { followRedirects: false })).response?.status, 302, 'engine option off');
      assert.equal(
        (await send(request(url, { options: { followRedirects: undefined } }), { followRedirects: false })).response?.status,
        302,
        'undefined falls back to the engine option',
      );
      assert.equal(
        (await send(request(url, { options: { followRedirects: false } }), { followRedirects: true })).response?.status,
        302,
        '# @no-redirect wins over the setting',
      );
      assert.equal(
        (await send(request(url, { options: { followRedirects: true } }), { followRedirects: false })).response?.status,
        200,
        'a request that asks to follow wins',
      );
    });

    describe('insecure', () => {
      let cert: GeneratedCert;
      before(async () => {
        cert = await makeSelfSigned();
      });

      it('insecure: undefined follows the engine option, a request value wins', async () => {
        const srv = track(await tlsServer(reply(OK), { key: cert.key, cert: cert.cert }));
        const url = `https://localhost:${srv.port}/`;
        assert.equal((await send(request(url))).error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'verified by default');
        assert.equal(
          (await send(request(url, { options: { insecure: undefined } }), { insecure: true })).error,
          null,
          'undefined falls back to the setting',
        );
        assert.equal((await send(request(url, { options: { insecure: true } }), { insecure: false })).error, null, '# @insecure wins');
        assert.equal(
          (await send(request(url, { options: { insecure: false } }), { insecure: true })).error?.code,
          'DEPTH_ZERO_SELF_SIGNED_CERT',
          'a request that asks for verification gets it',
        );
      });
    });

    it('a long wait timeout (kept on the shared coarse clock) still ends in ETIMEDOUT, after its time', async () => {
      const srv = track(await silentServer());
      const t0 = performance.now();
      const ex = await send(request(`${srv.url}/`), { firstByteTimeoutMs: 5000, idleTimeoutMs: 5000 });
      assert.equal(ex.error?.code, 'ETIMEDOUT');
      assert.equal(ex.error?.phase, 'wait');
      assert.match(ex.error?.message ?? '', /5000 ms/);
      assert.ok(performance.now() - t0 >= 5000);
    });

    it('# @timeout wins over the per-phase engine options', async () => {
      const srv = track(await silentServer());
      // The engine allows a long wait for the first byte; the request's own 150 ms must still apply.
      const ex = await send(request(`${srv.url}/`, { options: { timeoutMs: 150 } }), { firstByteTimeoutMs: 60_000, idleTimeoutMs: 60_000 });
      assert.equal(ex.error?.code, 'ETIMEDOUT');
      assert.equal(ex.error?.phase, 'wait');
      assert.match(ex.error?.message ?? '', /150 ms/);
    });
  });

  describe('in-memory limit within what a record can hold', () => {
    it('a --max-body past the longest string V8 can build is clamped, so the base64 record can always be built', () => {
      const header = 256 * 1024;
      const limit = effectiveMaxBody(1024 ** 3, header);
      assert.ok(limit < 1024 ** 3);
      // Head and body together, as base64, fit in one string.
      assert.ok(Math.ceil((limit + header) / 3) * 4 <= bufferConstants.MAX_STRING_LENGTH);
      assert.equal(effectiveMaxBody(4 * 1024 * 1024, header), 4 * 1024 * 1024, 'smaller limits are kept as asked');
    });

    it('the clamp applies in send and its error says to use --body-out', async () => {
      // A header budget just under the record size leaves 1000 bytes for the body, whatever maxBodyBytes asks.
      const srv = track(await rawServer(reply(`HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n${'z'.repeat(5000)}`)));
      const ex = await send(request(`${srv.url}/`), { maxBodyBytes: 1024 ** 3, maxHeaderBytes: MAX_RECORD_BYTES - 1000 });
      assert.equal(ex.error?.code, 'WL_BODY_TOO_LARGE');
      assert.match(ex.error?.message ?? '', /limit of 1000 bytes .*--body-out/);
      assert.equal(Buffer.from(ex.response?.body.base64 ?? '', 'base64').length, 1000);
    });
  });

  describe('head deadline', () => {
    it('a head dripped faster than the idle timeout still ends in ETIMEDOUT (slowloris), keeping what arrived', async () => {
      const srv = track(
        await rawServer((sock) => {
          sock.write('HTTP/1.1 200 OK\r\nX-A: 1\r\nX-Slow: ');
          const t = setInterval(() => {
            if (!sock.destroyed) sock.write('x');
          }, 20);
          sock.on('close', () => clearInterval(t));
        }),
      );
      // The idle timer (10 s) is refreshed by every byte; only the head deadline can end this exchange.
      const ex = await send(request(`${srv.url}/`), { idleTimeoutMs: 10_000, headTimeoutMs: 300 });
      assert.equal(ex.error?.code, 'ETIMEDOUT');
      assert.equal(ex.error?.phase, 'headers');
      assert.match(ex.error?.message ?? '', /head/);
      assert.equal(ex.response?.status, 200);
      assert.equal(ex.response?.headersComplete, false);
      assert.deepEqual(ex.response?.headers, [['X-A', '1']]);
    });

    it('is on by default with the request timeout', async () => {
      const srv = track(
        await rawServer((sock) => {
          sock.write('HTTP/1.1 200 OK\r\n');
          const t = setInterval(() => {
            if (!sock.destroyed) sock.write('X');
          }, 20);
          sock.on('close', () => clearInterval(t));
        }),
      );
      const ex = await send(request(`${srv.url}/`, { options: { timeoutMs: 300 } }));
      assert.equal(ex.error?.code, 'ETIMEDOUT');
      assert.equal(ex.error?.phase, 'headers');
    });

    it('does not cut a slow body once the head is complete', async () => {
      const srv = track(
        await rawServer((sock) => {
          sock.write('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n');
          let n = 0;
          const t = setInterval(() => {
            if (sock.destroyed) return;
            sock.write('y');
            if (++n === 12) {
              clearInterval(t);
              sock.end();
            }
          }, 40);
          sock.on('close', () => clearInterval(t));
        }),
      );
      // 12 × 40 ms is well past the head deadline; each byte comes well within the idle timeout.
      const ex = await send(request(`${srv.url}/`), { idleTimeoutMs: 5000, headTimeoutMs: 150 });
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.response?.body.text ?? Buffer.from(ex.response?.body.base64 ?? '', 'base64').toString(), 'yyyyyyyyyyyy');
    });

    it('each interim response restarts the deadline for the next head', async () => {
      const srv = track(
        await rawServer((sock) => {
          // Each gap (500 ms) is well within the deadline (1500 ms); all of them together are not.
          sock.write('HTTP/1.1 100 Continue\r\n\r\n');
          setTimeout(() => sock.write('HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n'), 500);
          setTimeout(() => sock.write('HTTP/1.1 103 Early Hints\r\nLink: </b>; rel=preload\r\n\r\n'), 1000);
          setTimeout(() => sock.end(OK), 1600);
        }),
      );
      const ex = await send(request(`${srv.url}/`), { idleTimeoutMs: 10_000, headTimeoutMs: 1500 });
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.response?.interim.length, 3);
    });
  });
});
