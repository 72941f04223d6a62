// The terminal rendering and option parsing of `wirelens send`, and progress on a (fake) terminal.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSendArgs, parseSize, UsageError } from '../../../src/cli/args';
import { formatExchange, formatProgress, formatTimings, visible } from '../../../src/cli/format';
import { runSend } from '../../../src/cli/send';
import type { Exchange } from '../../../src/shared/exchange';
import { rawServer, type TestServer } from '../wire/servers';
import { Capture } from '../support/cli';

describe('cli: send options and rendering', () => {
  it('parses sizes with binary units and rejects nonsense', () => {
    assert.equal(parseSize('1000'), 1000);
    assert.equal(parseSize('4MB'), 4 * 1024 * 1024);
    assert.equal(parseSize('512k'), 512 * 1024);
    assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
    for (const bad of ['', 'MB', '-1', '4XB', '0']) assert.throws(() => parseSize(bad), UsageError, bad);
  });

  it('parses flags in both forms and checks the selectors', () => {
    const a = parseSendArgs([
      'f.http',
      '--line=3',
      '--timeout',
      '500',
      '--max-body=2MB',
      '-k',
      '--no-follow',
      '-o',
      'out.bin',
      '--env',
      'dev',
      '--json',
    ]);
    assert.deepEqual(
      [a.file, a.line, a.timeoutMs, a.maxBodyBytes, a.insecure, a.noFollow, a.bodyOut, a.env, a.json],
      ['f.http', 3, 500, 2 * 1024 * 1024, true, true, 'out.bin', 'dev', true],
    );
    assert.throws(() => parseSendArgs(['f.http', '--name']), /needs a value/);
    assert.throws(() => parseSendArgs(['f.http', '--line', 'x']), /whole number/);
    assert.throws(() => parseSendArgs(['a.http', 'b.http']), /one FILE/);
    assert.equal(parseSendArgs(['--help']).help, true);
  });

  it('parses --max-time (0 = none)', () => {
    assert.equal(parseSendArgs(['f.http', '--max-time', '1500']).maxTimeMs, 1500);
    assert.equal(parseSendArgs(['f.http', '--max-time=0']).maxTimeMs, 0);
    assert.equal(parseSendArgs(['f.http']).maxTimeMs, null);
    assert.throws(() => parseSendArgs(['f.http', '--max-time', '2s']), /whole number/);
  });

  it('parses --frames and --frames=all (the value only inline), operands after -- and a lone -', () => {
    assert.equal(parseSendArgs(['f.http', '--frames']).frames, true);
    assert.equal(parseSendArgs(['f.http', '--frames=all']).frames, 'all');
    assert.equal(parseSendArgs(['f.http']).frames, false);
    assert.throws(() => parseSendArgs(['f.http', '--frames=some']), /--frames takes no value or =all/);
    assert.equal(parseSendArgs(['--', '--odd-name.http']).file, '--odd-name.http');
    assert.equal(parseSendArgs(['-']).file, '-');
    assert.throws(() => parseSendArgs(['f.http', '--nope']), /unknown option '--nope'/);
  });

  it('does not show a request as sent when the exchange failed before sending (TLS, connect)', () => {
    const rawBase64 = Buffer.from('GET / HTTP/1.1\r\nHost: localhost:1\r\n\r\n').toString('base64');
    const base: Exchange = {
      request: { method: 'GET', url: 'https://localhost:1/', httpVersion: 'HTTP/1.1', headers: [['Host', 'localhost:1']], rawBase64, bodySize: 0 },
      response: null,
      timings: { dns: 1, connect: 1, tls: 2, send: null, firstByte: null, download: null, total: 4 },
      connection: null,
      redirects: [],
      notes: [],
      error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'Certificate rejected', phase: 'tls' },
    };
    const tls = formatExchange(base, { color: false });
    assert.doesNotMatch(tls, /^> /m);
    assert.match(tls, /^\* Request not sent \(failed in the tls phase\)$/m);
    // Cancelled while sending: the head went out, so it is shown.
    const sending = formatExchange({ ...base, error: { code: 'cancelled', message: 'Cancelled', phase: 'send' } }, { color: false });
    assert.match(sending, /^> GET \/ HTTP\/1\.1$/m);
  });

  it("gives the whole chain's time after the final hop's waterfall when there were redirects", () => {
    const hop = (status: number, total: number): Exchange => ({
      request: { method: 'GET', url: 'http://127.0.0.1:1/', httpVersion: 'HTTP/1.1', headers: [], rawBase64: '', bodySize: 0 },
      response: {
        httpVersion: '1.1',
        status,
        reason: '',
        headers: status === 302 ? [['Location', '/next']] : [],
        trailers: [],
        interim: [],
        body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
        rawBase64: '',
        headSize: 0,
        headersComplete: true,
      },
      timings: { dns: null, connect: 1, tls: null, send: 1, firstByte: 1, download: 1, total },
      connection: null,
      redirects: [],
      notes: [],
      error: null,
    });
    const final = { ...hop(200, 4), redirects: [hop(302, 10), hop(302, 20)] };
    const text = formatExchange(final, { color: false });
    assert.match(text, /^ {2}Total +4\.0 ms$/m);
    assert.match(text, /^ {2}With 2 redirects +34 ms$/m);
    assert.doesNotMatch(formatExchange(hop(200, 4), { color: false }), /With \d+ redirect/);
  });

  it('renders heads, a waterfall in order and the error; escapes control characters', () => {
    const head = 'HTTP/1.1 404 Not Found\r\nX-Bad: \x1b[31mred\r\n\r\n';
    const ex: Exchange = {
      request: {
        method: 'GET',
        url: 'http://127.0.0.1:1/',
        httpVersion: 'HTTP/1.1',
        headers: [['Host', '127.0.0.1:1']],
        rawBase64: Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n').toString('base64'),
        bodySize: 0,
      },
      response: {
        httpVersion: '1.1',
        status: 404,
        reason: 'Not Found',
        headers: [['X-Bad', '\x1b[31mred']],
        trailers: [],
        interim: [],
        body: { base64: '', text: null, size: 0, wireSize: 0, truncated: false },
        rawBase64: Buffer.from(head).toString('base64'),
        headSize: head.length,
        headersComplete: true,
      },
      timings: { dns: null, connect: 1, tls: null, send: 0.5, firstByte: 10, download: 2, total: 14 },
      connection: null,
      redirects: [],
      notes: [{ subject: 'status', level: 'warning', category: 'x', summary: 'careful', detail: '', reference: '' }],
      error: { code: 'HPE_INVALID_EOF_STATE', message: 'cut', phase: 'body' },
    };
    const out = formatExchange(ex, { color: false });
    assert.match(out, /^> GET \/ HTTP\/1\.1$/m);
    assert.match(out, /^< HTTP\/1\.1 404 Not Found$/m);
    assert.match(out, /^< X-Bad: \\e\[31mred$/m);
    assert.ok(!out.includes('\x1b'));
    assert.match(out, /⚠ careful/);
    assert.match(out, /✖ HPE_INVALID_EOF_STATE \(body\): cut/);
    assert.match(
      out,
      /^ {2}The response is not valid HTTP\/1\.x: the connection closed before the response was complete\. \(while reading the response body\)$/m,
    );
    assert.match(out, /^ {2}Likely causes:\n {4}- The server closed the connection early/m);
    const lines = formatTimings(
      ex.timings,
      { dim: (s) => s, bold: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s, blue: (s) => s, cyan: (s) => s, magenta: (s) => s },
      80,
    );
    assert.deepEqual(
      lines.slice(1, -1).map((l) => l.trim().split(/ {2,}/)[0]),
      ['TCP connect', 'Request sent', 'Waiting (TTFB)', 'Content download'],
      "the panel's rows and labels, phases that did not apply left out",
    );
    const starts = lines.slice(1, -1).map((l) => l.indexOf('█'));
    assert.ok(
      starts.every((i) => i >= 0),
      'every phase has a bar',
    );
    assert.deepEqual(
      [...starts].sort((x, y) => x - y),
      starts,
      'each bar starts at or after the previous one',
    );
    assert.equal(visible('a\x00b\x7f'), 'a\\x00b\\x7f');
    assert.match(formatProgress(5_000_000, 10_000_000, 1000), /5\.0 MB \/ 10\.0 MB\s+50%\s+5\.0 MB\/s/, "the panel's units: 1 kB = 1000 bytes");
  });

  it('shows a timed-out wait as the panel does: a "no response" bar up to the total', () => {
    const t = { dns: null, connect: 1, tls: null, send: 1, firstByte: null, download: null, total: 30 };
    const plain = {
      dim: (s: string) => s,
      bold: (s: string) => s,
      red: (s: string) => s,
      green: (s: string) => s,
      yellow: (s: string) => s,
      blue: (s: string) => s,
      cyan: (s: string) => s,
      magenta: (s: string) => s,
    };
    const lines = formatTimings(t, plain, 80);
    assert.match(lines[3], /^ {2}Waiting \(no response\) +28 ms +█+$/);
  });

  describe('progress', function () {
    this.timeout(20000);
    let srv: TestServer;
    afterEach(async () => {
      await srv?.close();
    });

    it('shows download progress on a terminal stderr, and none when stderr is not a terminal', async () => {
      srv = await rawServer((sock) => {
        sock.write('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 14000\r\n\r\n');
        let n = 0;
        const t = setInterval(() => {
          if (sock.destroyed) {
            clearInterval(t);
            return;
          }
          sock.write(Buffer.alloc(1000, 0x41));
          if (++n === 14) {
            clearInterval(t);
            sock.end();
          }
        }, 80);
      });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-progress-'));
      try {
        const file = path.join(dir, 'p.http');
        fs.writeFileSync(file, `GET ${srv.url}/\n`);
        const tty = { stdout: new Capture(false), stderr: new Capture(true) };
        assert.equal(await runSend([file, '--body-out', path.join(dir, 'out.bin')], tty), 0);
        assert.match(tty.stderr.text, /↓ [\d.]+ kB \/ 14\.0 kB\s+\d+%/);
        const piped = { stdout: new Capture(false), stderr: new Capture(false) };
        assert.equal(await runSend([file, '--body-out', path.join(dir, 'out.bin')], piped), 0);
        assert.equal(piped.stderr.text, '');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
