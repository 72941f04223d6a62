// Restoring a panel after a reload: the saved state is checked before use, and Rerun sends what went out.
import * as assert from 'node:assert/strict';
import { exchangeFromView, requestFromExchange, restoredView } from '../../../src/view/restore';
import { boundForState } from '../../../src/view/stateBound';
import { buildViewModel } from '../../../src/view/viewModel';
import { makeExchange } from './exchangeFixture';

describe('view/restore', () => {
  it('accepts the state the webview saves', () => {
    const vm = boundForState(buildViewModel(3, { ...makeExchange(), redirects: [makeExchange({ status: 302, reason: 'Found' })] }));
    const back = restoredView(JSON.parse(JSON.stringify({ view: vm, ui: { expanded: {}, crlf: false } })));
    assert.ok(back);
    assert.equal(back.redirects.length, 1);
  });
  it('rejects anything malformed', () => {
    const vm = buildViewModel(3, makeExchange());
    for (const bad of [
      null,
      1,
      {},
      { view: null },
      { view: { hop: {}, redirects: [] } },
      { view: { ...vm, redirects: 'x' } },
      { view: { ...vm, redirects: [{ exchange: { request: { method: 1 } } }] } },
      { view: { ...vm, hop: { ...vm.hop, exchange: { ...vm.hop.exchange, request: { ...vm.hop.exchange.request, rawBase64: 5 } } } } },
      { view: { ...vm, hop: { ...vm.hop, exchange: { ...vm.hop.exchange, response: { ...vm.hop.exchange.response, body: {} } } } } },
    ]) {
      assert.equal(restoredView(bad), null, JSON.stringify(bad).slice(0, 100));
    }
  });
  it('marks bodies cut for the saved state as truncated', () => {
    const vm = boundForState(buildViewModel(1, makeExchange({ headers: [['Content-Type', 'text/plain']], body: Buffer.alloc(400_000, 0x61) })));
    const ex = exchangeFromView(vm);
    assert.equal(ex.response?.body.truncated, true);
    assert.equal(exchangeFromView(buildViewModel(1, makeExchange())).response?.body.truncated, false);
  });
  it('rebuilds the request as it went out, body included, without Content-Length', () => {
    const ex = makeExchange({
      method: 'PUT',
      requestHeaders: [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '5'],
      ],
      requestBody: 'hello',
    });
    const req = requestFromExchange(ex);
    assert.equal(req.method, 'PUT');
    assert.deepEqual(req.headers, [['Content-Type', 'text/plain']]);
    assert.ok(req.body && req.body[0].kind === 'bytes');
    assert.equal(Buffer.from(req.body[0].kind === 'bytes' ? req.body[0].data : []).toString(), 'hello');
    assert.equal(requestFromExchange(makeExchange()).body, null);
    const redirected = {
      ...makeExchange({ url: 'http://127.0.0.1:8080/final' }),
      redirects: [makeExchange({ url: 'http://127.0.0.1:8080/start', status: 302 })],
    };
    assert.equal(requestFromExchange(redirected).url, 'http://127.0.0.1:8080/start');
  });
});
