// TLS alerts from real servers (Node's TLS server and OpenSSL's s_server) end in typed WL_TLS_* codes, phase
// tls, with plain messages: no OpenSSL error queue, no source paths.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeSelfSigned, type GeneratedCert } from '../../../src/demo/certs';
import { send } from '../../../src/wire';
import { alertName, plainReason } from '../../../src/wire/tlsAlerts';
import { reply, request, tlsServer, type TestServer } from './servers';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const lookup = async (): Promise<{ address: string; family: number }[]> => [{ address: '127.0.0.1', family: 4 }];

function plain(message: string | undefined): void {
  assert.ok(message);
  assert.doesNotMatch(message, /deps\/openssl|\.c:\d+|error:[0-9A-F]{8}|SSL routines/);
}

/** openssl s_server on 127.0.0.1, port 0; resolves with the port it printed. */
function opensslServer(args: string[]): Promise<{ port: number; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-www', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (e) => reject(new Error(`openssl s_server cannot run (Debian package openssl): ${e.message}`)));
    child.on('exit', (code) => reject(new Error(`openssl s_server exited (${code}): ${out}`)));
  });
}

describe('wire/engine: TLS alerts', function () {
  this.timeout(30000);
  let cert: GeneratedCert;
  let srv: TestServer | undefined;
  before(async () => {
    cert = await makeSelfSigned();
  });
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('TLS 1.3: a server that requires a client certificate is WL_TLS_CLIENT_CERT_REQUIRED in phase tls', async () => {
    srv = await tlsServer(reply(OK), {
      key: cert.key,
      cert: cert.cert,
      requestCert: true,
      rejectUnauthorized: true,
      ca: [cert.cert],
      maxVersion: 'TLSv1.3',
      minVersion: 'TLSv1.3',
    });
    const ex = await send(request(`https://localhost:${srv.port}/`), { ca: [cert.cert], lookup });
    assert.equal(ex.error?.code, 'WL_TLS_CLIENT_CERT_REQUIRED', JSON.stringify(ex.error));
    assert.equal(ex.error?.phase, 'tls');
    assert.match(ex.error?.message ?? '', /requires a client certificate.*none is configured for localhost:\d+.*certificate required/);
    plain(ex.error?.message);
    assert.equal(ex.connection?.tls?.protocol, 'TLSv1.3');
  });

  it('TLS 1.2: the same server ends the handshake with handshake_failure, said in plain words', async () => {
    srv = await tlsServer(reply(OK), {
      key: cert.key,
      cert: cert.cert,
      requestCert: true,
      rejectUnauthorized: true,
      ca: [cert.cert],
      maxVersion: 'TLSv1.2',
    });
    const ex = await send(request(`https://localhost:${srv.port}/`), { ca: [cert.cert], lookup });
    assert.equal(ex.error?.code, 'WL_TLS_HANDSHAKE_FAILURE', JSON.stringify(ex.error));
    assert.equal(ex.error?.phase, 'tls');
    assert.match(ex.error?.message ?? '', /requires a client certificate \(none is configured/);
    plain(ex.error?.message);
  });

  it('a server offering only TLS 1.1 and older is WL_TLS_PROTOCOL_VERSION', async () => {
    srv = await tlsServer(reply(OK), { key: cert.key, cert: cert.cert, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const ex = await send(request(`https://localhost:${srv.port}/`), { ca: [cert.cert], lookup });
    assert.equal(ex.error?.code, 'WL_TLS_PROTOCOL_VERSION', JSON.stringify(ex.error));
    assert.equal(ex.error?.phase, 'tls');
    plain(ex.error?.message);
  });

  for (const version of ['-tls1_3', '-tls1_2']) {
    it(`openssl s_server ${version}: a client certificate from an unknown authority is a typed rejection`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-alert-'));
      const client = await makeSelfSigned({ commonName: 'stranger' });
      fs.writeFileSync(path.join(dir, 'c.pem'), cert.cert);
      fs.writeFileSync(path.join(dir, 'k.pem'), cert.key);
      const s = await opensslServer([
        '-cert',
        path.join(dir, 'c.pem'),
        '-key',
        path.join(dir, 'k.pem'),
        '-CAfile',
        path.join(dir, 'c.pem'),
        '-Verify',
        '1',
        '-verify_return_error',
        version,
      ]);
      try {
        const ex = await send(request(`https://localhost:${s.port}/`), {
          ca: [cert.cert],
          lookup,
          clientCertificates: { localhost: { cert: client.cert, key: client.key } },
        });
        assert.match(ex.error?.code ?? '', /^WL_TLS_(UNKNOWN_CA|BAD_CERTIFICATE)$/, JSON.stringify(ex.error));
        assert.equal(ex.error?.phase, 'tls');
        plain(ex.error?.message);
        // Without a certificate at all, s_server -Verify asks for one.
        const none = await send(request(`https://localhost:${s.port}/`), { ca: [cert.cert], lookup });
        assert.match(none.error?.code ?? '', /^WL_TLS_(CLIENT_CERT_REQUIRED|HANDSHAKE_FAILURE)$/, JSON.stringify(none.error));
        assert.equal(none.error?.phase, 'tls');
      } finally {
        s.child.kill();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('alert names and reasons are read from OpenSSL codes and messages without the queue', () => {
    assert.equal(alertName('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'CERTIFICATE_REQUIRED');
    assert.equal(alertName('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'), 'BAD_CERTIFICATE');
    assert.equal(alertName('ECONNRESET'), null);
    const e = new Error(
      '80CC5FBFEF7F0000:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116\n',
    );
    assert.equal(plainReason(e), 'tlsv13 alert certificate required');
  });
});
