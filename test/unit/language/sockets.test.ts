// Socket blocks in the language layer: request lines, message separators, metadata, escapes, and every bad form
// an error diagnostic that also stops the resolver (nothing malformed is sent).
import * as assert from 'node:assert/strict';
import { parseHttp, resolveRequest } from '../../../src/language';
import { decodeEscapes, parseUntil, piecesToBytes } from '../../../src/language/sockets';

function errors(text: string): string[] {
  return parseHttp(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.line}: ${d.message}`);
}

async function resolved(text: string) {
  const doc = parseHttp(text);
  return resolveRequest(doc, doc.requests[0], { environments: undefined });
}

describe('language: socket blocks', () => {
  it('TCP, TLS and UDP: the lines after the request line are the message (no headers)', () => {
    const doc = parseHttp('TCP 127.0.0.1:7\nHost: not a header\nsecond line\n\n###\nTLS example.com:443\n###\nUDP [::1]:9\nx\n');
    assert.deepEqual(
      doc.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    const [tcp, tls, udp] = doc.requests;
    assert.equal(tcp.socket?.kind, 'tcp');
    assert.deepEqual(tcp.headers, []);
    assert.deepEqual(tcp.socket?.steps, [{ kind: 'send', lines: ['Host: not a header', 'second line'], line: 1 }]);
    assert.equal(tls.socket?.kind, 'tls');
    assert.deepEqual(tls.socket?.steps, [], 'none is valid: connect and read');
    assert.equal(udp.socket?.kind, 'udp');
  });

  it('JetBrains WEBSOCKET: headers, then === and === wait-for-server messages', () => {
    const doc = parseHttp(
      'WEBSOCKET ws://localhost:8080/ws\nSec-WebSocket-Protocol: chat\n\n===\n{ "a": 1 }\n=== wait-for-server\n=== wait-for-server\nsecond\n',
    );
    const b = doc.requests[0];
    assert.equal(b.socket?.kind, 'websocket');
    assert.deepEqual(
      b.headers.map((h) => h.name),
      ['Sec-WebSocket-Protocol'],
    );
    assert.deepEqual(
      b.socket?.steps.map((s) => s.kind),
      ['send', 'wait', 'wait', 'send'],
    );
  });

  it('httpyac WS, and a first === right after the headers', () => {
    const doc = parseHttp('WS wss://echo.local/chat\nX-A: 1\n===\nhello\n');
    assert.equal(doc.requests[0].socket?.kind, 'websocket');
    assert.deepEqual(
      doc.requests[0].headers.map((h) => h.name),
      ['X-A'],
    );
    assert.deepEqual(doc.requests[0].socket?.steps, [{ kind: 'send', lines: ['hello'], line: 3 }]);
  });

  it('escapes: \\r \\n \\t \\0 \\xHH \\\\ become bytes; anything else is an error with its columns', () => {
    const bytes = piecesToBytes(decodeEscapes('a\\r\\n\\t\\0\\x7f\\\\b'), (t) => t);
    assert.deepEqual([...bytes], [0x61, 13, 10, 9, 0, 0x7f, 0x5c, 0x62]);
    const doc = parseHttp('TCP 127.0.0.1:7\nok \\q and \\xZZ\n');
    const bad = doc.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(bad.length, 2);
    assert.equal(bad[0].column, 3);
    assert.match(bad[0].message, /Unknown escape \\q/);
    assert.match(bad[1].message, /\\xZZ/);
  });

  it('WebSocket messages are sent as written (JSON escapes stay text)', async () => {
    const r = await resolved('WEBSOCKET ws://127.0.0.1:1/\n\n===\n{"a":"x\\ny"}\n');
    assert.equal(Buffer.from(r.request!.socket!.steps[0].kind === 'send' ? r.request!.socket!.steps[0].data : []).toString(), '{"a":"x\\ny"}');
  });

  it('@until forms, and bad ones are errors', () => {
    assert.deepEqual(parseUntil('close'), { kind: 'close' });
    assert.deepEqual(parseUntil('idle 500'), { kind: 'idle', ms: 500 });
    assert.deepEqual(parseUntil('bytes 12'), { kind: 'bytes', bytes: 12 });
    assert.deepEqual(parseUntil('"END\\r\\n"'), { kind: 'text', text: 'END\r\n' });
    for (const bad of ['idle', 'idle -1', 'bytes x', '""', 'whenever']) assert.equal(typeof parseUntil(bad), 'string', bad);
    assert.match(errors('# @until soon\nTCP 127.0.0.1:7\n')[0], /@until needs close, idle MS, bytes N or "TEXT"/);
  });

  it('bad targets and forms are errors, and the resolver refuses them', async () => {
    assert.match(errors('TCP localhost\n')[0], /Expected host:port/);
    assert.match(errors('TCP localhost:70000\n')[0], /out of range/);
    assert.match(errors('UDP 127.0.0.1:9 HTTP/1.1\n')[0], /takes no HTTP version/);
    assert.match(errors('WEBSOCKET ftp://x/\n')[0], /ws:\/\/ or wss:\/\//);
    assert.match(errors('WEBSOCKET ws://x/#frag\n')[0], /fragment/);
    assert.match(errors('TCP 127.0.0.1:7\na\n=== later\nb\n')[0], /Unknown message separator/);
    for (const text of ['TCP localhost\n', 'TCP 127.0.0.1:7\nbad \\q\n', '# @until never\nTCP 127.0.0.1:7\n', 'WEBSOCKET ftp://x/\n']) {
      const r = await resolved(text);
      assert.equal(r.request, null, text);
      assert.ok(r.errors.length > 0, text);
    }
  });

  it('@crlf joins lines with CRLF; variables are substituted inside messages, not inside escapes', async () => {
    const r = await resolved('@who = world\n###\n# @crlf\nTCP 127.0.0.1:7\nhello {{who}}\\x21\nbye\n');
    const step = r.request?.socket?.steps[0];
    assert.ok(step && step.kind === 'send');
    assert.equal(Buffer.from(step.data).toString('latin1'), 'hello world!\r\nbye');
    assert.equal(r.request?.url, 'tcp://127.0.0.1:7');
    assert.equal(r.request?.method, 'TCP');
  });

  it('a variable that resolves to a bad target is refused at send time', async () => {
    const r = await resolved('@t = nowhere\n###\nTCP {{t}}\n');
    assert.equal(r.request, null);
    assert.match(r.errors[0].message, /host:port/);
  });

  it('@until and @crlf on an HTTP request are warnings', () => {
    const d = parseHttp('# @until close\nGET http://x/\n').diagnostics;
    assert.ok(d.some((x) => x.severity === 'warning' && /@until applies to TCP/.test(x.message)));
  });
});
