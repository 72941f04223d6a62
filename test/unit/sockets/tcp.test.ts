// Raw TCP and TLS blocks against real peers: the lecture's Python time server, a Node echo, a TLS echo with a
// certificate made in the test, and servers that stay silent or never close.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { makeSelfSigned } from '../../../src/demo/certs';
import { execute } from '../../../src/pipeline';
import { messageText, socketRequest, startPython, type PythonServer } from './helpers';

function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}

describe('sockets/tcp: raw TCP and TLS blocks', function () {
  this.timeout(30_000);

  describe("the lecture's Python time server", () => {
    let py: PythonServer;
    before(async () => {
      py = await startPython('time_server.py');
    });
    after(async () => {
      await py.stop();
    });

    it('connects, receives the ISO time and a newline, and sees the server close', async () => {
      const req = await socketRequest(`TCP 127.0.0.1:${py.port}\n`);
      const ex = await execute(req);
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.kind, 'tcp');
      const received = (ex.messages ?? [])
        .filter((m) => m.direction === 'received')
        .map(messageText)
        .join('');
      assert.match(received, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\n$/);
      assert.equal(ex.socket?.closedBy, 'server');
      assert.equal(ex.socket?.endReason, 'the peer closed the connection');
      assert.equal(ex.connection?.remotePort, py.port);
      assert.ok((ex.timings.connect ?? -1) >= 0);
      assert.ok((ex.timings.total ?? 0) > 0);
      assert.ok(ex.messages?.every((m) => m.at >= 0));
    });

    it('also over IPv6 loopback', async () => {
      const py6 = await startPython('time_server.py', '::1');
      try {
        const ex = await execute(await socketRequest(`TCP [::1]:${py6.port}\n`));
        assert.equal(ex.error, null);
        assert.equal(ex.connection?.family, 'IPv6');
        assert.match(messageText(ex.messages![0]), /^\d{4}-/);
      } finally {
        await py6.stop();
      }
    });
  });

  describe('an echo server', () => {
    let server: net.Server;
    let port: number;
    const seen: Buffer[] = [];
    before(async () => {
      server = net.createServer((s) => {
        s.on('data', (d) => {
          seen.push(d);
          s.write(d);
        });
        s.on('error', () => undefined);
      });
      port = await listen(server);
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('sends escapes as bytes, joins lines with LF, and ends on 2 s of silence by default', async () => {
      seen.length = 0;
      const req = await socketRequest(`TCP 127.0.0.1:${port}\nhello\\x00\\t\\\\\nworld\\r\\n\n`);
      const ex = await execute(req);
      assert.equal(ex.error, null);
      assert.deepEqual(Buffer.concat(seen), Buffer.from('hello\x00\t\\\nworld\r\n', 'latin1'));
      assert.equal(ex.socket?.closedBy, 'client');
      assert.equal(ex.socket?.endReason, '2000 ms of silence');
      assert.equal(ex.messages?.[0].direction, 'sent');
      assert.equal(ex.messages?.[0].text, null, 'a NUL makes it binary');
      assert.equal(Buffer.from(ex.request.rawBase64, 'base64').toString('latin1'), 'hello\x00\t\\\nworld\r\n');
    });

    it('@crlf joins with CRLF; === separates sends; wait-for-server waits for the echo; @until "TEXT" ends', async () => {
      seen.length = 0;
      const req = await socketRequest(`# @crlf\n# @until "two"\nTCP 127.0.0.1:${port}\na\nb\n=== wait-for-server\none\n===\ntwo\n`);
      const ex = await execute(req);
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      const dirs = ex.messages!.map((m) => `${m.direction[0]}:${messageText(m)}`);
      assert.equal(dirs[0], 's:a\r\nb');
      // The echo of the first message came before "one" went out.
      const firstEcho = dirs.findIndex((d) => d.startsWith('r:'));
      const one = dirs.indexOf('s:one');
      assert.ok(firstEcho >= 0 && firstEcho < one, dirs.join(' | '));
      assert.equal(ex.socket?.endReason, '@until "two" reached');
    });

    it('@until bytes N ends once N bytes arrived', async () => {
      const ex = await execute(await socketRequest(`# @until bytes 5\nTCP 127.0.0.1:${port}\n12345\n`));
      assert.equal(ex.error, null);
      assert.equal(ex.socket?.endReason, '@until bytes 5 reached');
      assert.equal(ex.socket?.bytesReceived, 5);
    });

    it('@until idle MS ends after that much silence', async () => {
      const ex = await execute(await socketRequest(`# @until idle 150\nTCP 127.0.0.1:${port}\nx\n`));
      assert.equal(ex.error, null);
      assert.equal(ex.socket?.endReason, '150 ms of silence');
    });

    it('live hooks: sends another message while open and closes on request', async () => {
      const req = await socketRequest(`TCP 127.0.0.1:${port}\nfirst\n`);
      const live: string[] = [];
      const ex = await execute(req, {
        socket: {
          live: true,
          onOpen: (control) => {
            setTimeout(() => control.send(Buffer.from('second'), true), 100);
            setTimeout(() => control.close(), 600);
          },
          onMessage: (m) => live.push(`${m.direction}:${messageText(m)}`),
        },
      });
      assert.equal(ex.error, null);
      assert.equal(ex.socket?.endReason, 'closed from the panel');
      assert.ok(live.includes('sent:second'), live.join(','));
      assert.ok(live.includes('received:second'), live.join(','));
    });
  });

  it('a silent server: wait-for-server times out with WL_WAIT_TIMEOUT, and @until close with ETIMEDOUT', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
    });
    const port = await listen(server);
    try {
      const a = await execute(await socketRequest(`# @timeout 300\nTCP 127.0.0.1:${port}\n=== wait-for-server\nx\n`));
      assert.equal(a.error?.code, 'WL_WAIT_TIMEOUT');
      assert.equal(a.messages?.length, 0, 'nothing was sent after the wait failed');
      const b = await execute(await socketRequest(`# @timeout 300\n# @until close\nTCP 127.0.0.1:${port}\nx\n`));
      assert.equal(b.error?.code, 'ETIMEDOUT');
      assert.equal(b.messages?.length, 1, 'the message sent is kept');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('a closed port is ECONNREFUSED in the connect phase', async () => {
    const server = net.createServer();
    const port = await listen(server);
    await new Promise<void>((r) => server.close(() => r()));
    const ex = await execute(await socketRequest(`TCP 127.0.0.1:${port}\nx\n`));
    assert.equal(ex.error?.code, 'ECONNREFUSED');
    assert.equal(ex.error?.phase, 'connect');
    assert.equal(ex.messages?.length, 0);
  });

  describe('TLS blocks', () => {
    let server: tls.Server;
    let port: number;
    before(async () => {
      const cert = await makeSelfSigned();
      server = tls.createServer({ key: cert.key, cert: cert.cert }, (s) => {
        s.on('error', () => undefined);
        s.end('hello over tls\n');
      });
      port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it('verifies the certificate as HTTPS does (self-signed is refused, nothing sent)', async () => {
      const ex = await execute(await socketRequest(`TLS localhost:${port}\nsecret\n`));
      assert.equal(ex.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.equal(ex.error?.phase, 'tls');
      assert.equal(ex.messages?.length, 0);
      assert.equal(ex.connection?.tls?.authorized, false);
    });

    it('# @insecure connects, records the TLS facts, and reads until the server closes', async () => {
      const ex = await execute(await socketRequest(`# @insecure\nTLS localhost:${port}\n`));
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(messageText(ex.messages![0]), 'hello over tls\n');
      assert.ok(ex.connection?.tls?.protocol);
      assert.equal(ex.connection?.tls?.alpn ?? null, null, 'a raw TLS block offers no ALPN');
      assert.ok((ex.timings.tls ?? -1) >= 0);
    });
  });
});
