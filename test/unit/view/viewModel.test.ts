// What the host posts to the webview: cut to size, secrets masked, explained; and the bounded saved state.
import * as assert from 'node:assert/strict';
import { boundForState, STATE_BODY_BYTES } from '../../../src/view/stateBound';
import { base64Bytes } from '../../../src/view/bytes';
import { buildViewModel, headerMeaning, HEX_VIEW_BYTES, pendingView, RAW_VIEW_BYTES, statusMeaning } from '../../../src/view/viewModel';
import { requestBody } from '../../../src/shared/access';
import { makeExchange } from './exchangeFixture';

describe('view/viewModel', () => {
  it('counts every byte received even when the engine kept only the start of the raw response', () => {
    const ex = makeExchange();
    assert.ok(ex.response);
    const kept = base64Bytes(ex.response.rawBase64);
    assert.equal(buildViewModel(1, ex).hop.rawTotalBytes, kept);
    ex.response.rawTruncated = true;
    ex.response.receivedBytes = 5_000_000;
    assert.equal(buildViewModel(1, ex).hop.rawTotalBytes, 5_000_000);
  });
  it('passes a small exchange through whole, with meanings', () => {
    const ex = makeExchange();
    const vm = buildViewModel(7, ex);
    assert.equal(vm.id, 7);
    assert.equal(vm.hop.exchange.response?.body.text, '{"ok":true}');
    assert.equal(vm.hop.body?.kind, 'json');
    assert.equal(vm.hop.body?.language, 'json');
    assert.equal(vm.hop.body?.cut, false);
    assert.ok(vm.hop.status?.summary.includes('OK'));
    assert.equal(vm.hop.headers.length, 2);
    assert.ok(vm.hop.headers[0]?.summary, 'Content-Type has a meaning');
    assert.equal(vm.hop.exchange.response?.rawBase64, ex.response?.rawBase64);
  });

  it('explains unknown status codes by their class', () => {
    assert.match(statusMeaning(299)?.summary ?? '', /Successful/);
    assert.equal(statusMeaning(99), null);
    assert.equal(headerMeaning('X-Surely-Not-A-Registered-Field'), null);
  });

  it('never posts more than the threshold of a large body', () => {
    const big = Buffer.alloc(5 * 1024 * 1024, 0x61);
    const ex = makeExchange({ headers: [['Content-Type', 'text/plain']], body: big });
    const max = 1024 * 1024;
    const vm = buildViewModel(1, ex, { maxBodyBytes: max });
    const r = vm.hop.exchange.response;
    assert.ok(r);
    assert.equal(r.body.text?.length, max);
    assert.equal(base64Bytes(r.body.base64), HEX_VIEW_BYTES);
    assert.ok(base64Bytes(r.rawBase64) <= (ex.response?.headSize ?? 0) + RAW_VIEW_BYTES);
    assert.equal(vm.hop.body?.cut, true);
    assert.equal(vm.hop.body?.totalBytes, big.length);
    assert.ok(JSON.stringify(vm).length < 2 * max, 'the message stays near the threshold');
    // The host's record is untouched.
    assert.equal(ex.response?.body.text?.length, big.length);
  });

  it('posts only what the hex view shows of a binary body, and images up to the threshold', () => {
    const ex = makeExchange({ headers: [['Content-Type', 'application/octet-stream']], body: Buffer.alloc(300_000, 1), text: null });
    const vm = buildViewModel(1, ex, { maxBodyBytes: 100_000 });
    assert.equal(base64Bytes(vm.hop.exchange.response?.body.base64 ?? ''), HEX_VIEW_BYTES);
    const img = buildViewModel(1, makeExchange({ headers: [['Content-Type', 'image/png']], body: Buffer.alloc(300_000, 1), text: null }), {
      maxBodyBytes: 100_000,
    });
    assert.equal(base64Bytes(img.hop.exchange.response?.body.base64 ?? ''), 100_000);
    assert.equal(img.hop.body?.cut, true);
    assert.equal(vm.hop.body?.kind, 'binary');
    assert.equal(vm.hop.body?.cut, true);
  });

  it('masks secrets in the URL, headers and raw request, but keeps the host record intact', () => {
    const ex = makeExchange({
      url: 'http://127.0.0.1:8080/x?key=s3cr3t-key',
      method: 'POST',
      requestHeaders: [['Authorization', 'Bearer s3cr3t-token']],
      requestBody: '{"password":"s3cr3t-token"}',
    });
    const vm = buildViewModel(1, ex, { secrets: ['s3cr3t-token', 's3cr3t-key'] });
    const shown = JSON.stringify(vm);
    assert.ok(!shown.includes('s3cr3t'), 'no secret left in the posted view');
    assert.equal(vm.masked, true);
    const raw = Buffer.from(vm.hop.exchange.request.rawBase64, 'base64').toString('utf8');
    assert.match(raw, /Authorization: Bearer ••••••\r\n/);
    assert.match(raw, /\{"password":"••••••"\}$/);
    assert.ok(Buffer.from(ex.request.rawBase64, 'base64').toString().includes('s3cr3t-token'));
  });

  it('masks secrets quoted in notes and in the error message too', () => {
    const ex = makeExchange({ url: 'http://127.0.0.1:8080/x?key=s3cr3t-key' });
    ex.notes = [
      {
        subject: 'request-header:0',
        level: 'warning',
        category: 'security',
        summary: 'Token s3cr3t-key sent over http',
        detail: 'The value s3cr3t-key can be read.',
        reference: '',
      },
    ];
    ex.error = { code: 'ECONNRESET', phase: 'wait', message: 'reset while requesting /x?key=s3cr3t-key' };
    const vm = buildViewModel(1, ex, { secrets: ['s3cr3t-key'] });
    assert.ok(!JSON.stringify(vm).includes('s3cr3t'), JSON.stringify(vm.hop.exchange.notes));
    assert.match(vm.hop.exchange.notes[0].summary, /Token •+ sent/);
    assert.equal(ex.notes[0].summary, 'Token s3cr3t-key sent over http', 'the host record is untouched');
  });

  it('gives the request body back from the raw bytes', () => {
    const ex = makeExchange({ method: 'POST', requestBody: 'a=1&b=2' });
    assert.equal(Buffer.from(requestBody(ex.request)).toString(), 'a=1&b=2');
    assert.equal(requestBody(makeExchange().request).length, 0);
  });

  it('prepares each redirect hop on its own', () => {
    const hop = makeExchange({ status: 302, reason: 'Found', headers: [['Location', '/json']], body: Buffer.alloc(0) });
    const ex = { ...makeExchange(), redirects: [hop] };
    const vm = buildViewModel(1, ex);
    assert.equal(vm.redirects.length, 1);
    assert.equal(vm.redirects[0].exchange.response?.status, 302);
    assert.ok(!('redirects' in vm.hop.exchange), 'hops are not posted twice');
    assert.equal(vm.redirects[0].body?.kind, 'empty');
  });

  it('posts a snapshot of the hop: no socket messages, scripts or nested records, tunnel legs cut to what is shown', () => {
    const leg = { ...makeExchange({ method: 'CONNECT', status: 200 }), notes: [], redirects: [] };
    const ex = {
      ...makeExchange(),
      kind: 'http' as const,
      tunnel: { ...leg, id: 'leg' },
      attempts: [leg],
      tests: [{ name: 't', passed: true, message: null, line: 1, kind: 'test' as const }],
    };
    const snap = buildViewModel(1, ex).hop.exchange;
    assert.deepEqual(Object.keys(snap).sort(), [
      'attempts',
      'connection',
      'error',
      'kind',
      'notes',
      'request',
      'response',
      'startedAt',
      'timings',
      'tunnel',
    ]);
    assert.deepEqual(Object.keys(snap.tunnel ?? {}).sort(), ['error', 'request', 'response', 'timings']);
    assert.equal(snap.attempts?.length, 1);
  });

  it('explains errors and TLS verification failures', () => {
    const ex = { ...makeExchange(), response: null, error: { code: 'ECONNREFUSED' as const, message: 'refused', phase: 'connect' as const } };
    const vm = buildViewModel(1, ex);
    assert.match(vm.hop.error?.title ?? '', /refused/);
    assert.equal(vm.hop.body, null);
    assert.equal(vm.hop.requestNotSent, true, 'a refused connect wrote nothing: the raw request was only prepared');
    assert.equal(buildViewModel(1, makeExchange()).hop.requestNotSent, false);
    const reset = { ...makeExchange(), response: null, error: { code: 'ECONNRESET' as const, message: 'reset', phase: 'wait' as const } };
    assert.equal(buildViewModel(1, reset).hop.requestNotSent, false, 'a reset while waiting came after the request was written');
    const tlsEx = makeExchange();
    tlsEx.connection = {
      ...tlsEx.connection!,
      tls: {
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_128_GCM_SHA256',
        alpn: null,
        servername: 'localhost',
        authorized: false,
        authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
        certificate: null,
        chain: [],
      },
    };
    assert.match(buildViewModel(1, tlsEx).hop.tlsFailure ?? '', /self-signed/);
  });

  it('bounds the saved state', () => {
    const ex = makeExchange({ headers: [['Content-Type', 'text/plain']], body: Buffer.alloc(1024 * 1024, 0x62) });
    const vm = boundForState(buildViewModel(1, ex));
    assert.equal(vm.hop.exchange.response?.body.text?.length, STATE_BODY_BYTES);
    assert.equal(vm.hop.body?.cut, true);
    assert.ok(JSON.stringify(vm).length < 600 * 1024);
  });

  it('shows a pending request with secrets masked', () => {
    const p = pendingView(
      {
        method: 'POST',
        url: 'http://127.0.0.1/?k=topsecret',
        httpVersion: 'HTTP/1.1',
        headers: [['X-Key', 'topsecret']],
        body: [
          { kind: 'bytes', data: new TextEncoder().encode('v=topsecret') },
          { kind: 'file', path: './a.bin' },
        ],
        options: {},
        secrets: ['topsecret'],
      },
      1,
    );
    assert.ok(!JSON.stringify(p).includes('topsecret'));
    assert.equal(p.bodyPreview, 'v=••••••< ./a.bin');
  });
});
