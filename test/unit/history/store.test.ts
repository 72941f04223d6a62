// The history store on plain Node: kept across instances (a reload), bounded by count and bytes, bodies kept in
// part, secrets masked, delete and clear, day groups and the filter; and the diff text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exchangeDiffText } from '../../../src/history/diffText';
import { exchangeForHistory, groupByDay, HistoryStore, matchesFilter, type HistoryItem } from '../../../src/history/store';
import type { Exchange } from '../../../src/shared/exchange';

function exchange(url: string, body: string, extra: Partial<Exchange> = {}): Exchange {
  const req = `GET ${url} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-secret\r\n\r\n`;
  return {
    request: {
      method: 'GET',
      url,
      httpVersion: 'HTTP/1.1',
      headers: [
        ['Host', 'x'],
        ['Authorization', 'Bearer tok-secret'],
      ],
      rawBase64: Buffer.from(req).toString('base64'),
    },
    response: {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers: [['Content-Type', 'application/json']],
      trailers: [],
      interim: [],
      body: { base64: Buffer.from(body).toString('base64'), text: body, size: body.length, wireSize: body.length, truncated: false },
      rawBase64: Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n${body}`).toString('base64'),
      headSize: 47,
    },
    timings: { dns: null, connect: 1, tls: null, send: 0.1, firstByte: 2, download: 0.5, total: 3.6 },
    connection: { localAddress: '127.0.0.1', localPort: 5, remoteAddress: '127.0.0.1', remotePort: 80, family: 'IPv4', reused: false, tls: null },
    redirects: [],
    notes: [],
    error: null,
    startedAt: new Date().toISOString(),
    ...extra,
  };
}

describe('history: store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-history-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps entries on disk: a new store on the same directory (a reloaded window) lists and opens them', async () => {
    const a = new HistoryStore(dir);
    const one = await a.add(exchange('http://h/one', '{"a":1}'), { source: { uri: 'file:///x.http', line: 3 } });
    await a.add(exchange('http://h/two', '{"b":2}'));
    const b = new HistoryStore(dir);
    await b.load();
    assert.deepEqual(
      b.list().map((i) => i.url),
      ['http://h/two', 'http://h/one'],
    );
    const got = await b.get(one.id);
    assert.equal(got?.exchange.response?.body.text, '{"a":1}');
    assert.deepEqual(got?.source, { uri: 'file:///x.http', line: 3 });
    assert.equal(got?.status, 200);
    assert.equal(got?.size, 7);
  });

  it('masks secrets everywhere in the request and keeps large bodies in part', async () => {
    const s = new HistoryStore(dir, { maxEntries: 10, maxBytes: 10_000_000, maxBodyBytes: 1024 });
    const big = 'x'.repeat(10_000);
    const item = await s.add(exchange('http://h/tok-secret', big), { secrets: ['tok-secret'] });
    const text = fs.readFileSync(path.join(dir, 'entries', `${item.id}.json`), 'utf8');
    assert.ok(!text.includes('tok-secret'));
    assert.ok(!text.includes(Buffer.from('tok-secret').toString('base64').slice(0, 12)));
    const e = await s.get(item.id);
    assert.equal(e?.masked, true);
    assert.equal(e?.exchange.response?.body.truncated, true);
    assert.equal(e?.exchange.response?.body.size, 10_000, 'the size says how large it was');
    assert.ok((e?.exchange.response?.body.text?.length ?? 0) <= 1024);
    assert.ok(Buffer.from(e?.exchange.response?.body.base64 ?? '', 'base64').length <= 1024);
    assert.equal(e?.exchange.response?.rawTruncated, true);
  });

  it('is bounded by count and by bytes, oldest dropped first, files removed', async () => {
    const s = new HistoryStore(dir, { maxEntries: 3, maxBytes: 10_000_000, maxBodyBytes: 1024 });
    for (let i = 0; i < 5; i++) await s.add(exchange(`http://h/${i}`, 'ok'));
    assert.deepEqual(
      s.list().map((i) => i.url),
      ['http://h/4', 'http://h/3', 'http://h/2'],
    );
    assert.equal(fs.readdirSync(path.join(dir, 'entries')).length, 3);
    const bytes = s.list()[0].bytes;
    s.setLimits({ maxEntries: 100, maxBytes: bytes * 2 + 1, maxBodyBytes: 1024 });
    await s.add(exchange('http://h/5', 'ok'));
    assert.equal(s.list().length, 2);
  });

  it('deletes one and clears all', async () => {
    const s = new HistoryStore(dir);
    const a = await s.add(exchange('http://h/a', '1'));
    await s.add(exchange('http://h/b', '2'));
    assert.equal(await s.delete(a.id), true);
    assert.equal(await s.get(a.id), null);
    assert.equal(s.list().length, 1);
    await s.clear();
    assert.equal(s.list().length, 0);
    const again = new HistoryStore(dir);
    await again.load();
    assert.equal(again.list().length, 0);
  });

  it('a damaged index is an empty history, not a crash', async () => {
    fs.writeFileSync(path.join(dir, 'index.json'), '{not json');
    const s = new HistoryStore(dir);
    await s.load();
    assert.equal(s.list().length, 0);
    await s.add(exchange('http://h/new', '1'));
    assert.equal(s.list().length, 1);
  });

  it('groups by day and filters by method, URL, status and error', () => {
    const now = new Date(2026, 11, 1, 12);
    const mk = (d: Date, url: string, status: number | null = 200): HistoryItem => ({
      id: url,
      sentAt: d.toISOString(),
      method: 'GET',
      url,
      status,
      reason: null,
      errorCode: status === null ? 'ECONNREFUSED' : null,
      totalMs: 1,
      size: 1,
      masked: false,
      bytes: 1,
    });
    const items = [
      mk(new Date(2026, 11, 1, 11), 'http://a/1'),
      mk(new Date(2026, 10, 30, 9), 'http://a/2', 404),
      mk(new Date(2026, 10, 20, 9), 'http://b/3', null),
    ];
    assert.deepEqual(
      groupByDay(items, now).map((g) => [g.label, g.items.length]),
      [
        ['Today', 1],
        ['Yesterday', 1],
        ['2026-11-20', 1],
      ],
    );
    assert.equal(matchesFilter(items[1], 'get 404'), true);
    assert.equal(matchesFilter(items[1], 'post'), false);
    assert.equal(matchesFilter(items[2], 'refused'), true);
  });

  it('the diff text pretty-prints JSON bodies and lists status, headers, connection and timings', () => {
    const t = exchangeDiffText(exchange('http://h/d', '{"b":[1,2],"a":"x"}'));
    assert.match(t, /^GET http:\/\/h\/d HTTP\/1.1$/m);
    assert.match(t, /^HTTP\/1.1 200 OK$/m);
    assert.match(t, /^Content-Type: application\/json$/m);
    assert.match(t, /^ {2}"b": \[$/m);
    assert.match(t, /^firstByte +2\.0 ms$/m);
    assert.match(t, /^socket: new$/m);
  });

  it('exchangeForHistory masks redirects, tunnels and attempts too', () => {
    const hop = exchange('http://h/tok-secret/first', '');
    const ex = exchangeForHistory(exchange('http://h/final', '', { redirects: [hop], tunnel: hop, attempts: [hop] }), ['tok-secret']);
    assert.ok(!JSON.stringify(ex).includes('tok-secret'));
  });
});
