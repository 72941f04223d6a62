// The one rule for secrets: names from the documented list, $dotenv / $processEnv values by name, URL user info,
// and what is derived (percent-encoded forms, the base64 of Basic credentials).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttp, resolveRequest, type ResolveContext } from '../../../src/language';
import { environmentsFrom } from '../../../src/language/environments';
import { expandSecrets, isSecretName, SECRET_NAME_WORDS } from '../../../src/language/secrets';
import { maskExchange, MASK } from '../../../src/view/mask';
import type { Exchange } from '../../../src/shared/exchange';

async function resolveFirst(text: string, ctx: ResolveContext = {}): Promise<Awaited<ReturnType<typeof resolveRequest>>> {
  const doc = parseHttp(text);
  return resolveRequest(doc, doc.requests[0], ctx);
}

describe('language/secrets: the one rule', () => {
  it('takes the names the issue found unmasked as secrets, and leaves ordinary names alone', () => {
    for (const n of [
      'AUTH',
      'PRIVATE_KEY',
      'AWS_ACCESS_KEY',
      'DB_PWD',
      'SESSION_ID',
      'BEARER',
      'apiKey',
      'api-key',
      'password',
      'clientSecret',
      'GITHUB_TOKEN',
      'refresh_token',
      'authToken',
      'JWT',
      'STRIPE_KEY',
      'passphrase',
    ]) {
      assert.ok(isSecretName(n), n);
    }
    for (const n of ['HOST', 'PORT', 'AUTHOR', 'monkey', 'baseUrl', 'user', 'USERNAME', 'version', 'region', 'KEYBOARD_LAYOUT']) {
      assert.ok(!isSecretName(n), n);
    }
    assert.ok(SECRET_NAME_WORDS.includes('auth'));
  });

  it('derives the percent-encoded form and the Basic credential of the URL user info', () => {
    const s = expandSecrets(['p@ss word'], 'http://alice:p%40ss%20word@h.test/', []);
    assert.ok(s.includes('p@ss word'));
    assert.ok(s.includes('p%40ss%20word'));
    assert.ok(s.includes(Buffer.from('alice:p@ss word').toString('base64')));
    const basic = Buffer.from('bob:s3cret-value').toString('base64');
    assert.ok(expandSecrets(['s3cret-value'], 'http://h.test/', [['Authorization', `Basic ${basic}`]]).includes(basic));
    assert.ok(!expandSecrets(['x'], 'http://h.test/', []).includes('x'), 'one-character values are not masked');
  });

  describe('resolved requests', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-secrets-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const privateEnv = (): ResolveContext => ({
      environment: 'dev',
      environments: environmentsFrom([
        {
          table: { dev: { password: 'hunter2-long', token: 'tok/en+value', apiKey: 'k-123456' } },
          origin: 'http-client.private.env.json',
          secret: true,
        },
      ]),
    });

    it('URL user info: the password and the Basic header the engine builds from it are secrets', async () => {
      const { request } = await resolveFirst('GET http://alice:{{password}}@127.0.0.1:1/', privateEnv());
      assert.ok(request?.secrets?.includes('hunter2-long'));
      assert.ok(request?.secrets?.includes(Buffer.from('alice:hunter2-long').toString('base64')));
    });

    it('a literal URL password is a secret too', async () => {
      const { request } = await resolveFirst('GET http://bob:literal-pw@127.0.0.1:1/');
      assert.ok(request?.secrets?.includes('literal-pw'));
    });

    it('{{%token}} (percent-encoded) is masked', async () => {
      const { request } = await resolveFirst('GET http://127.0.0.1:1/?t={{%token}}', privateEnv());
      assert.ok(request?.secrets?.includes(encodeURIComponent('tok/en+value')));
    });

    it('{{$dotenv NAME}} and {{$processEnv NAME}} with secret-looking names are secrets, others are not', async () => {
      const sub = path.join(dir, 'proj');
      fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, '.env'), 'AUTH=dotenv-auth-value\nHOST=127.0.0.1\n');
      process.env.WL_TEST_DB_PWD = 'process-env-pwd';
      try {
        const { request } = await resolveFirst('GET http://{{$dotenv HOST}}:1/\nX-A: {{$dotenv AUTH}}\nX-B: {{$processEnv WL_TEST_DB_PWD}}', {
          filePath: path.join(sub, 'r.http'),
          workspaceRoot: sub,
        });
        assert.ok(request?.secrets?.includes('dotenv-auth-value'));
        assert.ok(request?.secrets?.includes('process-env-pwd'));
        assert.ok(!request?.secrets?.includes('127.0.0.1'));
      } finally {
        delete process.env.WL_TEST_DB_PWD;
      }
    });

    it('a Basic header written with a secret variable masks its base64', async () => {
      const token = Buffer.from('alice:hunter2-long').toString('base64');
      const { request } = await resolveFirst(`GET http://127.0.0.1:1/\nAuthorization: Basic ${token}\nX-P: {{password}}`, privateEnv());
      assert.ok(request?.secrets?.includes(token));
    });
  });

  it('maskExchange masks URLs, headers, raw bytes, echoed bodies and every hop', () => {
    const secret = 'hunter2-long';
    const raw = (s: string): string => Buffer.from(s).toString('base64');
    const hop = (): Exchange => ({
      request: {
        method: 'GET',
        url: `http://h.test/?k=${secret}`,
        httpVersion: 'HTTP/1.1',
        headers: [['X-Api-Key', secret]],
        rawBase64: raw(`GET /?k=${secret} HTTP/1.1\r\nX-Api-Key: ${secret}\r\n\r\n`),
      },
      response: {
        httpVersion: '1.1',
        status: 200,
        reason: 'OK',
        headers: [['X-Echo', secret]],
        trailers: [],
        interim: [],
        body: { base64: raw(`{"key":"${secret}"}`), text: `{"key":"${secret}"}`, size: 10, wireSize: 10, truncated: false },
        rawBase64: raw(`HTTP/1.1 200 OK\r\nX-Echo: ${secret}\r\n\r\n{"key":"${secret}"}`),
      },
      timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
      connection: null,
      redirects: [],
      notes: [{ subject: 'body', level: 'info', category: 'x', summary: secret, detail: '', reference: '' }],
      error: null,
    });
    const ex = { ...hop(), redirects: [hop()] };
    const masked = JSON.stringify(maskExchange(ex, [secret]));
    assert.ok(!masked.includes(secret), 'no clear text anywhere');
    const decoded = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
    const m = maskExchange(ex, [secret]);
    assert.ok(!decoded(m.request.rawBase64).includes(secret));
    assert.ok(decoded(m.request.rawBase64).includes(MASK));
    assert.ok(!decoded(m.redirects[0].response?.rawBase64 ?? '').includes(secret));
    assert.ok(!decoded(m.response?.body.base64 ?? '').includes(secret));
    assert.equal(maskExchange(ex, []), ex, 'nothing to mask: the same record');
  });
});
