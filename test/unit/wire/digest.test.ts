// Digest authentication against the worked examples of RFC 7616 section 3.9.1.
import * as assert from 'node:assert/strict';
import { chooseChallenge, digestAuthorization, parseDigestChallenges } from '../../../src/wire/auth/digest';
import { parseAuthShortcut } from '../../../src/language/auth';

const CHALLENGE = [
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
];
const input = {
  user: 'Mufasa',
  password: 'Circle of Life',
  method: 'GET',
  uri: '/dir/index.html',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  nc: 1,
};

describe('wire/auth/digest (RFC 7616)', () => {
  it('reads both challenges and prefers SHA-256', () => {
    const cs = parseDigestChallenges(CHALLENGE);
    assert.equal(cs.length, 2);
    const c = chooseChallenge(cs);
    assert.ok(typeof c !== 'string');
    assert.equal(c.algorithm, 'SHA-256');
    assert.deepEqual(c.qop, ['auth', 'auth-int']);
  });
  it('computes the SHA-256 response of RFC 7616 3.9.1', () => {
    const [sha] = parseDigestChallenges([CHALLENGE[0]]);
    assert.match(digestAuthorization(sha, input), /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
  });
  it('computes the MD5 response of RFC 7616 3.9.1', () => {
    const [md5] = parseDigestChallenges([CHALLENGE[1]]);
    const v = digestAuthorization(md5, input);
    assert.match(v, /response="8ca523f5e9506fed4657c9700eebdbec"/);
    assert.match(v, /qop=auth, nc=00000001, cnonce="f2\/wE4q74E6zIJEtWaHKaf5wv\/H5QzzpXusqGemxURZJ", opaque="FQhe/);
  });
  it('refuses challenges it cannot answer, by name', () => {
    const c = chooseChallenge(parseDigestChallenges(['Digest realm="r", nonce="n", qop="auth-int"']));
    assert.match(String(c), /auth-int is not/);
    assert.match(String(chooseChallenge(parseDigestChallenges(['Basic realm="x"']))), /no Digest challenge/);
  });
  it('tells shortcuts from real credentials', () => {
    assert.equal(parseAuthShortcut('Basic dXNlcjpwYXNz'), null);
    assert.equal(parseAuthShortcut('Digest username="a", realm="b"'), null);
    assert.equal(parseAuthShortcut('Bearer abc'), null);
    assert.deepEqual(parseAuthShortcut('Basic a:b c'), { kind: 'basic', value: `Basic ${Buffer.from('a:b c').toString('base64')}` });
    assert.deepEqual(parseAuthShortcut('digest u p'), { kind: 'digest', user: 'u', password: 'p' });
    assert.equal(parseAuthShortcut('COGNITO a b')?.kind, 'refused');
    assert.equal(parseAuthShortcut('AWS onlyone')?.kind, 'refused');
  });
});
