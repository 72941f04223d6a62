// TLS: facts recorded, verification on by default with Node's codes, opt-outs, extra CAs, client certificates.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { makeSelfSigned, type GeneratedCert } from '../../../src/demo/certs';
import { send } from '../../../src/wire';
import { reply, request, tlsServer, type TestServer } from './servers';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('wire/engine: TLS', function () {
  this.timeout(20000);
  let cert: GeneratedCert;
  let srv: TestServer;
  before(async () => {
    cert = await makeSelfSigned();
  });
  afterEach(async () => {
    await srv?.close();
  });

  it('rejects a self-signed certificate by default, with its code and the certificate described', async () => {
    srv = await tlsServer(reply(OK), { key: cert.key, cert: cert.cert });
    const ex = await send(request(`https://localhost:${srv.port}/`));
    assert.equal(ex.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(ex.error?.phase, 'tls');
    assert.equal(ex.response, null);
    assert.equal(srv.requests.length, 0, 'no request bytes were sent');
    const t = ex.connection?.tls;
    assert.ok(t);
    assert.equal(t.authorized, false);
    assert.equal(t.certificate?.subject.CN, 'localhost');
  });

  for (const host of ['127.0.0.1', '::1']) {
    it(`accepts it with the certificate as a CA, and records the TLS facts (${host})`, async () => {
      srv = await tlsServer(reply(OK), { key: cert.key, cert: cert.cert }, host);
      const ex = await send(request(`${srv.url}/`), { ca: [cert.cert] });
      assert.equal(ex.error, null);
      const t = ex.connection?.tls;
      assert.ok(t);
      assert.equal(t.authorized, true);
      assert.match(t.protocol ?? '', /^TLSv1\.[23]$/);
      assert.ok(t.cipher);
      assert.equal(t.alpn, 'http/1.1');
      assert.equal(t.servername, null, 'no SNI for an IP literal');
      assert.equal(t.chain.length, 1);
      assert.equal(t.certificate?.fingerprint256.replace(/:/g, '').toLowerCase().length, 64);
      assert.ok(t.certificate?.subjectAltNames.some((s) => s.startsWith('DNS:localhost')));
      assert.ok(t.certificate?.validFrom && t.certificate.validTo);
      assert.equal(ex.connection?.family, host.includes(':') ? 'IPv6' : 'IPv4');
      assert.equal(typeof ex.timings.tls, 'number');
    });
  }

  it('sends SNI for a name', async () => {
    let sni: string | undefined;
    srv = await tlsServer(
      (sock) => {
        sni = (sock as TLSSocket).servername || undefined;
        reply(OK)(sock, { head: '', body: Buffer.alloc(0), raw: Buffer.alloc(0) });
      },
      { key: cert.key, cert: cert.cert },
    );
    const ex = await send(request(`https://localhost:${srv.port}/`), { ca: [cert.cert] });
    assert.equal(ex.error, null);
    assert.equal(sni, 'localhost');
    assert.equal(ex.connection?.tls?.servername, 'localhost');
  });

  it('accepts it with insecure (option or per request)', async () => {
    srv = await tlsServer(reply(OK), { key: cert.key, cert: cert.cert });
    const a = await send(request(`https://localhost:${srv.port}/`), { insecure: true });
    assert.equal(a.error, null);
    assert.equal(a.connection?.tls?.authorized, false);
    assert.equal(a.connection?.tls?.authorizationError, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    const b = await send(request(`https://localhost:${srv.port}/`, { options: { insecure: true } }));
    assert.equal(b.error, null);
    assert.equal(b.response?.body.size, 2);
  });

  it('rejects a name the certificate does not cover', async () => {
    const other = await makeSelfSigned({ commonName: 'example.test', dnsNames: ['example.test'], ips: [] });
    srv = await tlsServer(reply(OK), { key: other.key, cert: other.cert });
    const ex = await send(request(`https://localhost:${srv.port}/`), { ca: [other.cert] });
    assert.equal(ex.error?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('https to a port that speaks plain HTTP is a TLS error with a readable message', async () => {
    // What an HTTP server does with a ClientHello: answers 400 in plain text at once.
    const plain = net.createServer((sock) => {
      sock.on('error', () => undefined);
      sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const ex = await send(request(`https://127.0.0.1:${(plain.address() as net.AddressInfo).port}/`), { timeoutMs: 10_000 });
    plain.close();
    assert.equal(ex.error?.code, 'ERR_SSL_WRONG_VERSION_NUMBER');
    assert.equal(ex.error?.phase, 'tls');
    assert.equal(
      ex.error?.message,
      'TLS handshake failed: wrong version number (the server does not speak TLS on this port: plain http:// perhaps?)',
    );
  });

  it('rejects an expired certificate', async () => {
    const day = 86_400_000;
    const old = await makeSelfSigned({ notBefore: new Date(Date.now() - 30 * day), notAfter: new Date(Date.now() - day) });
    srv = await tlsServer(reply(OK), { key: old.key, cert: old.cert });
    const ex = await send(request(`https://localhost:${srv.port}/`), { ca: [old.cert] });
    assert.equal(ex.error?.code, 'CERT_HAS_EXPIRED');
    assert.ok(ex.connection?.tls?.certificate);
  });

  it('presents the client certificate configured for the host', async () => {
    const client = await makeSelfSigned({ commonName: 'wirelens-client' });
    let peer: string | undefined;
    srv = await tlsServer(
      (sock, r) => {
        const c = (sock as TLSSocket).getPeerCertificate();
        peer = c && c.subject && typeof c.subject === 'object' ? String(c.subject.CN) : undefined;
        reply(OK)(sock, r);
      },
      { key: cert.key, cert: cert.cert, requestCert: true, rejectUnauthorized: false },
    );
    // (The generated certificates are for server auth only, so the server asks for one without verifying it.)
    const without = await send(request(`https://localhost:${srv.port}/`), { ca: [cert.cert] });
    assert.equal(without.error, null);
    assert.equal(peer, undefined, 'no certificate configured for this host: none presented');
    const ex = await send(request(`https://localhost:${srv.port}/`), {
      ca: [cert.cert],
      clientCertificates: { [`localhost:${srv.port}`]: { cert: client.cert, key: client.key } },
    });
    assert.equal(ex.error, null);
    assert.equal(peer, 'wirelens-client');
    // Settings give paths, keyed by host alone.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-client-cert-'));
    try {
      fs.writeFileSync(path.join(dir, 'c.pem'), client.cert);
      fs.writeFileSync(path.join(dir, 'k.pem'), client.key);
      peer = undefined;
      const byPath = await send(request(`https://localhost:${srv.port}/`), {
        ca: [cert.cert],
        clientCertificates: { localhost: { cert: path.join(dir, 'c.pem'), key: path.join(dir, 'k.pem') } },
      });
      assert.equal(byPath.error, null);
      assert.equal(peer, 'wirelens-client');
      const missing = await send(request(`https://localhost:${srv.port}/`), {
        ca: [cert.cert],
        clientCertificates: { localhost: { cert: path.join(dir, 'nope.pem') } },
      });
      assert.equal(missing.error?.code, 'WL_CLIENT_CERT');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
