// The error-code table: every entry complete, lookups by code and family, and Node codes mapped onto it.
import * as assert from 'node:assert/strict';
import { ERROR_CODES, errorCodeInfo, errorCodes, isWireErrorCode, toWireErrorCode, WL } from '../../../src/shared/errorCodes';
import { fromUnknown } from '../../../src/wire/errors';
import { explainError } from '../../../src/view/errors';

describe('shared/errorCodes: the error-code table', () => {
  it('gives every code and family a phase, a summary, likely causes and a reference', () => {
    const all = errorCodes();
    assert.ok(all.length >= Object.keys(ERROR_CODES).length);
    for (const e of all) {
      assert.ok(e.phases.length > 0, `${e.code}: phases`);
      assert.match(e.summary, /^[A-Z].*\.$/, `${e.code}: a sentence`);
      assert.ok(e.causes.length > 0, `${e.code}: likely causes`);
      assert.ok(e.reference.length > 0, `${e.code}: reference`);
    }
    assert.equal(new Set(all.map((e) => e.code)).size, all.length, 'each code listed once');
  });

  it('holds every WL_ code the engine raises, WL_CLIENT_CERT included', () => {
    for (const code of Object.values(WL)) assert.ok(errorCodeInfo(code), code);
    assert.deepEqual(errorCodeInfo('WL_CLIENT_CERT')?.phases, ['tls']);
  });

  it('explains an OpenSSL reason code by its family and knows nothing of a made-up code', () => {
    const e = errorCodeInfo('ERR_SSL_WRONG_VERSION_NUMBER');
    assert.equal(e?.code, 'ERR_SSL_WRONG_VERSION_NUMBER');
    assert.equal(e?.family, 'ERR_SSL_*');
    assert.equal(isWireErrorCode('ERR_SSL_'), false, 'a bare prefix is no code');
    assert.equal(errorCodeInfo('EWHATEVER'), null);
    assert.equal(isWireErrorCode('EWHATEVER'), false);
  });

  it('maps a system code the table does not list to WL_SYSTEM, keeping the code in the message', () => {
    assert.equal(toWireErrorCode('ECONNREFUSED'), 'ECONNREFUSED');
    assert.equal(toWireErrorCode('EWHATEVER'), 'WL_SYSTEM');
    assert.equal(toWireErrorCode(undefined), 'WL_INTERNAL');
    const odd = Object.assign(new Error('something odd happened'), { code: 'EWHATEVER' });
    assert.deepEqual(fromUnknown(odd, 'connect'), { code: 'WL_SYSTEM', message: 'EWHATEVER: something odd happened', phase: 'connect' });
    const known = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.deepEqual(fromUnknown(known, 'connect'), { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1', phase: 'connect' });
    assert.equal(fromUnknown(new Error('no code'), 'body').code, 'WL_INTERNAL');
  });

  it('is what the panel and the CLI explain a failure with', () => {
    const e = explainError({ code: 'WL_CLIENT_CERT', message: 'Cannot read the client certificate', phase: 'tls' });
    assert.equal(e.title, ERROR_CODES.WL_CLIENT_CERT.summary);
    assert.deepEqual(e.causes, [...ERROR_CODES.WL_CLIENT_CERT.causes]);
    assert.equal(e.reference, ERROR_CODES.WL_CLIENT_CERT.reference);
  });
});
