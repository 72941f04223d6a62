// httpyac `??` assertions: every subject and operator against a recorded exchange.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { evaluateAssert, parseAssert } from '../../../src/run/asserts';
import { Sandbox } from '../../../src/run/sandbox/sandbox';
import type { Exchange } from '../../../src/shared/exchange';

const body = '{"name":"Ann","n":3,"ok":true,"no":false,"list":[1,2],"tags":["a","b"]}';
const ex: Exchange = {
  request: { method: 'GET', url: 'http://x.test/', httpVersion: 'HTTP/1.1', headers: [], rawBase64: '' },
  response: {
    httpVersion: '1.1',
    status: 201,
    reason: 'Created',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-Id', 'abc-123'],
    ],
    trailers: [],
    interim: [],
    body: { base64: Buffer.from(body).toString('base64'), text: body, size: body.length, wireSize: body.length, truncated: false },
    rawBase64: '',
  },
  timings: { dns: null, connect: 1, tls: null, send: 1, firstByte: 5, download: 1, total: 12 },
  connection: null,
  redirects: [],
  notes: [],
  error: null,
};

describe('run: ?? assertions', function () {
  this.timeout(30000);
  let sb: Sandbox;
  before(async () => {
    sb = await Sandbox.create();
  });
  after(() => sb.dispose());
  const host = { lookup: (): null => null, substitute: (t: string): string => t };
  const check = (text: string, withSandbox = true): boolean =>
    evaluateAssert(
      { text, line: 4 },
      ex,
      (t) => t.replace('{{who}}', 'Ann'),
      withSandbox
        ? {
            evaluate: (e) => {
              const r = sb.evaluate(e, { response: { status: 201, parsedBody: JSON.parse(body) } }, host);
              return 'error' in r ? { error: r.error } : r;
            },
            test: (p, t) => {
              const r = sb.evaluate('new RegExp(__p).test(__t)', { __p: p, __t: t }, host);
              return 'error' in r ? { error: r.error } : { value: r.value === true };
            },
          }
        : null,
    ).passed;

  it('passes and fails each operator as httpyac does', () => {
    const sha = (alg: string): string => crypto.createHash(alg).update(body).digest('base64');
    const pass = [
      'status == 201',
      'status != 200',
      'status < 300',
      'status <= 201',
      'status > 200',
      'status >= 201',
      'header x-id == abc-123',
      'header X-ID startsWith abc',
      'header x-id endsWith 123',
      'header content-type includes json',
      'header content-type contains application',
      'header x-id exists',
      'body $.name == {{who}}',
      'body $.n == 3',
      'body $.n isNumber',
      'body $.ok isTrue',
      'body $.no isFalse',
      'body $.ok isBoolean',
      'body $.name isString',
      'body $.list isArray',
      'body $.tags includes "a"',
      'body $.name matches ^A.n$',
      'duration < 10000',
      `body sha256 ${sha('sha256')}`,
      `body sha512 ${sha('sha512')}`,
      `body md5 ${crypto.createHash('md5').update(body).digest('hex')}`,
      'js response.parsedBody.list.length == 2',
      'js response.status isNumber',
    ];
    for (const p of pass) assert.equal(check(p), true, p);
    const fail = [
      'status == 200',
      'header x-missing exists',
      'body $.name == Bob',
      'body $.n isString',
      'body $.name matches ^B',
      'body sha256 nope',
      'js response.status > 500',
      'duration > 100000',
    ];
    for (const f of fail) assert.equal(check(f), false, f);
  });

  it('keeps expected and actual, and a ?? js without scripts says why it did not run', () => {
    const r = evaluateAssert({ text: 'status == 200', line: 7 }, ex, (t) => t, null);
    assert.deepEqual([r.passed, r.expected, r.actual, r.line, r.kind], [false, '200', '201', 7, 'assert']);
    assert.match(evaluateAssert({ text: 'js 1 == 1', line: 1 }, ex, (t) => t, null).message ?? '', /scripts are not run/);
    assert.equal(check('status == 201', false), true);
  });

  it('refuses assertions it cannot read', () => {
    assert.match(String(parseAssert('bogus == 1')), /unknown subject/);
    assert.match(String(parseAssert('status 200')), /no operator/);
    assert.match(String(parseAssert('status ==')), /needs a value/);
    assert.deepEqual(parseAssert('body $.a.b == x y'), { subject: 'body', arg: '$.a.b', operator: '==', expected: 'x y' });
  });
});
