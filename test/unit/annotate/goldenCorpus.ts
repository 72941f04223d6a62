// A broad, deterministic set of exchanges and draft requests for the golden-notes test: every check fixture (as is
// and varied: TLS, HTTP/1.0, other statuses and methods, merged with another fixture), seeded random heads, hostile
// records (malformed heads, huge header counts, every kind of body, redirects, errors, TLS trouble, HTTP/2,
// WebSocket, TCP/UDP) and the request blocks of the public .http corpus. Every record has a fixed `startedAt`, so
// the notes do not depend on when the test runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headerFields, type DraftRequest } from '../../../src/annotate';
import { parseHttp } from '../../../src/language';
import type { Exchange, HeaderPair } from '../../../src/shared/exchange';
import { STARTED, build, dateAt, type Spec } from './builder';
import { CASES } from './checkCases';
import { rng } from '../support/random';

const CORPUS = path.resolve(__dirname, '../../../../test/fixtures/http/corpus');

const PIECES = ['"', ',', ';', '=', ' ', '\t', 'a', 'Z', '0', '9', '-', '.', '*', ':', '(', ')', '?', '@', '%', '\\', '/', 'é', '\x01'];
const WORDS = ['max-age=60', 'no-cache', 'W/"x"', 'bytes', 'GMT', 'gzip', 'utf-8', 'text/html', 'application/json', '<', '>', 'close', '1', '0'];

function randomValue(next: () => number): string {
  let s = '';
  const n = Math.floor(next() * 30);
  for (let i = 0; i < n; i++) s += next() < 0.3 ? WORDS[Math.floor(next() * WORDS.length)] : PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

export interface GoldenExchange {
  name: string;
  exchange: Exchange;
}
export interface GoldenDraft {
  name: string;
  draft: DraftRequest;
}

const VARIANTS: [string, (s: Spec) => Spec][] = [
  ['tls', (s) => ({ ...s, tls: s.tls ?? {}, url: s.url?.replace(/^http:/, 'https:') })],
  ['http/1.0', (s) => ({ ...s, httpVersion: s.httpVersion === '2' ? '2' : '1.0' })],
  ['head', (s) => ({ ...s, method: 'HEAD' })],
  ['post', (s) => ({ ...s, method: 'POST', reqBody: s.reqBody ?? '{"a":1}', req: [...(s.req ?? []), ['Content-Type', 'application/json']] })],
  ['304', (s) => ({ ...s, status: 304 })],
  ['204', (s) => ({ ...s, status: 204 })],
  ['301', (s) => ({ ...s, status: 301, headers: [...(s.headers ?? []), ['Location', '/moved']] })],
  ['404', (s) => ({ ...s, status: 404 })],
  ['503', (s) => ({ ...s, status: 503, headers: [...(s.headers ?? []), ['Retry-After', '120']] })],
  ['reused', (s) => ({ ...s, reused: true, timings: { dns: null, connect: null, tls: null } })],
];

function hostile(): GoldenExchange[] {
  const out: GoldenExchange[] = [];
  const add = (name: string, ex: Exchange): void => void out.push({ name: `hostile: ${name}`, exchange: ex });
  const known = headerFields().map((f) => f.name);
  // Malformed heads.
  const cut = build({ headers: [['Content-Type', 'text/plain']], body: 'partial' });
  if (cut.response) {
    cut.response.headersComplete = false;
    cut.response.statusLine = 'HTTP/1.1 200';
  }
  cut.error = { code: 'HPE_INVALID_HEADER_TOKEN', message: 'Invalid header token', phase: 'headers' };
  add('head cut short', cut);
  const noStatus = build({ status: 0, reason: '', headers: [] });
  if (noStatus.response) noStatus.response.statusLine = 'HTTX/9 abc';
  add('status line refused', noStatus);
  add(
    'bad names and values',
    build({
      headers: [
        ['Bad Name', 'x'],
        ['', 'empty name'],
        ['X-Ctl', 'a\x00b\x7f'],
        ['Content-Length', '12, 13'],
        ['Content-Length', '-1'],
        ['Transfer-Encoding', 'chunked'],
        ['Date', 'yesterday'],
        ['Expires', '0'],
        ['Content-Type', 'text/html; charset="'],
        ['Set-Cookie', '=; Expires=never'],
        ['Cache-Control', 'max-age="x", max-age=5, , no-store'],
        ['Strict-Transport-Security', 'max-age=abc; max-age=1'],
        ['ETag', 'unquoted'],
        ['Vary', '*, Accept'],
        ['Location', 'http://[::1'],
      ],
      req: [
        ['Host', ''],
        ['Host', 'other'],
        ['Authorization', 'Basic !!!'],
        ['Content-Length', 'x'],
        ['Bad Name', 'y'],
      ],
      body: 'hello',
    }),
  );
  // Huge header counts, repeated and distinct, on both sides.
  add('5,000 repeated lines', build({ headers: Array.from({ length: 5000 }, (): HeaderPair => ['a', '']) }));
  add('3,000 distinct lines', build({ headers: Array.from({ length: 3000 }, (_, i): HeaderPair => [`X-Field-${i}`, `v${i}${'v'.repeat(i % 30)}`]) }));
  add(
    '2,000 known fields',
    build({ headers: Array.from({ length: 2000 }, (_, i): HeaderPair => [known[i % known.length], i % 3 ? `${i}` : 'x y']) }),
  );
  add('1,000 request lines', build({ req: Array.from({ length: 1000 }, (_, i): HeaderPair => [i % 2 ? 'Cookie' : `X-Req-${i}`, `k${i}=v`]) }));
  add('600 Set-Cookie', build({ headers: Array.from({ length: 600 }, (_, i): HeaderPair => ['Set-Cookie', i % 2 ? `c${i}=v; Secure` : `c${i}=v`]) }));
  // Bodies of each kind.
  const bodies: [string, HeaderPair[], string, Partial<Spec>][] = [
    ['json valid', [['Content-Type', 'application/json']], '{"ok":true,"n":1}', {}],
    ['json invalid', [['Content-Type', 'application/json']], '{"ok":tru', {}],
    ['json with bom', [['Content-Type', 'application/json; charset=utf-8']], '\ufeff{"a":1}', {}],
    ['json problem', [['Content-Type', 'application/problem+json']], '{"type":"about:blank","status":400}', { status: 400 }],
    ['html no charset', [['Content-Type', 'text/html']], '<!doctype html><html><head><title>x</title></head><body>x</body></html>', {}],
    ['html meta charset', [['Content-Type', 'text/html']], '<html><head><meta charset="iso-8859-1"></head></html>', {}],
    ['xml', [['Content-Type', 'application/xml']], '<?xml version="1.0"?><a/>', {}],
    ['svg', [['Content-Type', 'image/svg+xml']], '<svg xmlns="http://www.w3.org/2000/svg"/>', {}],
    ['binary as text', [['Content-Type', 'text/plain']], '\x00\x01\x02\x03', {}],
    ['octet stream', [['Content-Type', 'application/octet-stream']], 'PK\x03\x04', {}],
    ['no content-type', [], 'some bytes', {}],
    ['empty 200', [['Content-Length', '0']], '', {}],
    [
      'truncated',
      [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '100000'],
      ],
      'abc',
      { truncated: true, size: 100000, wireSize: 3 },
    ],
    [
      'gzip',
      [
        ['Content-Type', 'text/plain'],
        ['Content-Encoding', 'gzip'],
        ['Vary', 'Accept-Encoding'],
      ],
      'decoded text',
      { wireSize: 40 },
    ],
    [
      'chunked with trailers',
      [
        ['Transfer-Encoding', 'chunked'],
        ['Trailer', 'X-Sum'],
      ],
      'abc',
      {
        trailers: [
          ['X-Sum', '1'],
          ['Content-Length', '3'],
        ],
      },
    ],
    [
      'event stream',
      [
        ['Content-Type', 'text/event-stream'],
        ['Cache-Control', 'no-cache'],
      ],
      'data: x\n\n',
      {},
    ],
    ['javascript', [['Content-Type', 'application/javascript']], 'alert(1)', {}],
    ['form', [['Content-Type', 'application/x-www-form-urlencoded']], 'a=1&b=2', {}],
    ['huge text', [['Content-Type', 'text/plain']], 'x'.repeat(300_000), {}],
  ];
  for (const [name, headers, body, extra] of bodies) {
    add(`body ${name}`, build({ headers, body, ...extra }));
    add(`body ${name} (tls)`, build({ headers, body, tls: {}, ...extra }));
  }
  // Redirects: a chain, a loop-like chain, cross-scheme.
  const chain = build({ status: 200, headers: [['Content-Type', 'text/plain']], body: 'end', redirects: 3 });
  add('redirect chain', chain);
  add('redirect 307 to http', build({ status: 307, headers: [['Location', 'http://example.test/plain']], tls: {} }));
  add('redirect 301 no location', build({ status: 301, headers: [] }));
  add('redirect 302 relative', build({ status: 302, headers: [['Location', '../up?x=1#f']], method: 'POST', reqBody: 'a=1' }));
  // Errors.
  const refused = build({ noResponse: true, noConnection: true });
  refused.error = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9', phase: 'connect' };
  add('connection refused', refused);
  const reset = build({ headers: [['Content-Length', '100']], body: 'abc', wireSize: 3 });
  reset.error = { code: 'ECONNRESET', message: 'socket hang up', phase: 'body' };
  add('reset mid-body', reset);
  const timeout = build({ noResponse: true });
  timeout.error = { code: 'WL_WAIT_TIMEOUT', message: 'timed out', phase: 'wait' };
  add('timeout', timeout);
  // TLS.
  const cert = (from: number, to: number, cn = 'example.test') => ({
    subject: { CN: cn },
    issuer: { CN: 'Test CA' },
    validFrom: dateAt(from * 86400),
    validTo: dateAt(to * 86400),
    subjectAltNames: [`DNS:${cn}`],
    serialNumber: '01',
    fingerprint256: 'AA',
  });
  add(
    'tls expired',
    build({ tls: { certificate: cert(-90, -1), chain: [cert(-90, -1)], authorized: false, authorizationError: 'CERT_HAS_EXPIRED' } }),
  );
  add('tls expiring soon', build({ tls: { certificate: cert(-90, 3), chain: [cert(-90, 3)] } }));
  add('tls wrong host', build({ tls: { certificate: cert(-1, 90, 'other.test'), chain: [cert(-1, 90, 'other.test')] } }));
  add('tls 1.0', build({ tls: { protocol: 'TLSv1', cipher: 'RC4-SHA' } }));
  add('tls 1.2 resumed', build({ tls: { protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256', resumed: true } }));
  add('tls h2 alpn', build({ tls: { alpn: 'h2' }, httpVersion: '2', date: false, headers: [[':status', '200']] }));
  add('https url without tls record', build({ url: 'https://example.test/x' }));
  // HTTP/2.
  add(
    'h2 ordinary',
    build({
      httpVersion: '2',
      date: false,
      tls: { alpn: 'h2' },
      headers: [
        [':status', '200'],
        ['content-type', 'application/json'],
        ['content-length', '2'],
        ['date', dateAt(0)],
      ],
      body: '{}',
    }),
  );
  add(
    'h2 hostile',
    build({
      httpVersion: '2',
      date: false,
      headers: [
        ['content-type', 'text/plain'],
        [':status', '200'],
        [':status', '204'],
        ['Connection', 'close'],
        ['transfer-encoding', 'chunked'],
        ['keep-alive', 'timeout=5'],
        ['upgrade', 'h2c'],
        ['content-length', '99'],
      ],
      body: 'x',
    }),
  );
  // WebSocket, TCP, UDP.
  const ws = build({
    status: 101,
    reason: 'Switching Protocols',
    req: [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Version', '13'],
    ],
    headers: [
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
    ],
    url: 'ws://example.test/chat',
  });
  ws.kind = 'websocket';
  ws.messages = [
    {
      direction: 'sent',
      at: 1,
      base64: Buffer.from('hi').toString('base64'),
      size: 2,
      text: 'hi',
      opcode: 1,
      opcodeName: 'text',
      fin: true,
      masked: true,
    },
    { direction: 'received', at: 2, base64: '', size: 0, text: null, opcode: 9, opcodeName: 'ping', fin: true, masked: false },
    {
      direction: 'received',
      at: 3,
      base64: '',
      size: 2,
      text: null,
      opcode: 8,
      opcodeName: 'close',
      fin: true,
      masked: true,
      closeCode: 1006,
      closeReason: '',
    },
  ];
  ws.socket = {
    closedBy: 'server',
    endReason: 'peer closed',
    bytesSent: 8,
    bytesReceived: 6,
    closeSent: null,
    closeReceived: { code: 1006, reason: '' },
    protocol: null,
    extensions: null,
  };
  add('websocket', ws);
  const wsRefused = build({ status: 200, url: 'ws://example.test/chat', req: [['Upgrade', 'websocket']] });
  wsRefused.kind = 'websocket';
  add('websocket refused', wsRefused);
  const tcp = build({ noResponse: true, url: 'tcp://127.0.0.1:7' });
  tcp.kind = 'tcp';
  tcp.messages = [{ direction: 'sent', at: 0, base64: 'aGk=', size: 2, text: 'hi' }];
  tcp.socket = { closedBy: 'client', endReason: '2000 ms of silence', bytesSent: 2, bytesReceived: 0 };
  add('tcp', tcp);
  const udp = build({ noResponse: true, url: 'udp://127.0.0.1:7' });
  udp.kind = 'udp';
  udp.messages = [{ direction: 'received', at: 1, base64: 'eA==', size: 70000, text: 'x', truncated: true }];
  udp.socket = { closedBy: 'error', endReason: 'EMSGSIZE', bytesSent: 0, bytesReceived: 1 };
  add('udp', udp);
  return out;
}

/** Every exchange of the golden set, in a fixed order with unique names. */
export function goldenExchanges(): GoldenExchange[] {
  const out: GoldenExchange[] = [];
  const specs = Object.entries(CASES).flatMap(([id, [trigger, clean]]) => [[`${id} trigger`, trigger] as const, [`${id} clean`, clean] as const]);
  for (const [name, spec] of specs) {
    out.push({ name, exchange: build(spec) });
    for (const [variant, f] of VARIANTS) out.push({ name: `${name} / ${variant}`, exchange: build(f(spec)) });
  }
  // Two fixtures merged: checks that read several fields see combinations no single fixture has.
  const next = rng(1313);
  for (let i = 0; i < 600; i++) {
    const [an, a] = specs[Math.floor(next() * specs.length)];
    const [bn, b] = specs[Math.floor(next() * specs.length)];
    const merged: Spec = { ...a, ...b, headers: [...(a.headers ?? []), ...(b.headers ?? [])], req: [...(a.req ?? []), ...(b.req ?? [])] };
    out.push({ name: `merge ${i}: ${an} + ${bn}`, exchange: build(merged) });
  }
  // Seeded random heads of known field names.
  const names = headerFields().map((f) => f.name);
  for (let i = 0; i < 400; i++) {
    const pick = (): string => (next() < 0.9 ? names[Math.floor(next() * names.length)] : `X-${randomValue(next)}`);
    const headers = Array.from({ length: 1 + Math.floor(next() * 14) }, (): HeaderPair => [pick(), randomValue(next)]);
    const req = Array.from({ length: Math.floor(next() * 6) }, (): HeaderPair => [pick(), randomValue(next)]);
    out.push({
      name: `random ${i}`,
      exchange: build({
        status: Math.floor(next() * 600),
        headers,
        req,
        date: next() < 0.7,
        body: next() < 0.5 ? randomValue(next) : '',
        tls: next() < 0.5 ? {} : undefined,
        method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'][Math.floor(next() * 7)],
        reqBody: next() < 0.3 ? randomValue(next) : undefined,
        httpVersion: next() < 0.1 ? '1.0' : '1.1',
      }),
    });
  }
  out.push(...hostile());
  for (const g of out) g.exchange.startedAt ??= STARTED;
  return out;
}

/** Draft requests (unsent .http blocks): the fixtures' requests and every request of the public .http corpus. */
export function goldenDrafts(): GoldenDraft[] {
  const out: GoldenDraft[] = [];
  for (const [id, [trigger, clean]] of Object.entries(CASES))
    for (const [kind, spec] of [
      ['trigger', trigger],
      ['clean', clean],
    ] as const) {
      const ex = build(spec);
      out.push({
        name: `${id} ${kind}`,
        draft: { method: ex.request.method, url: ex.request.url, headers: ex.request.headers, body: spec.reqBody ?? null },
      });
    }
  for (const f of fs.readdirSync(CORPUS).sort()) {
    const doc = parseHttp(fs.readFileSync(path.join(CORPUS, f), 'utf8'));
    doc.requests.forEach((r, i) =>
      out.push({
        name: `corpus ${f} #${i}`,
        draft: { method: r.method, url: r.target, headers: r.headers.map((h): HeaderPair => [h.name, h.value]), body: r.body },
      }),
    );
  }
  return out;
}
