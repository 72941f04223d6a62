// Scripts and `??` asserts on socket blocks, through the run model against real loopback peers: a TCP server that
// writes lines and closes (the lecture's shape), and the `ws` package's WebSocket server (a peer nobody here
// wrote) echoing JSON. JetBrains handlers read the messages with onEachMessage / onEachLine / onFinish; httpyac
// `??` asserts read the received data as the body and `response.messages` in `?? js`.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { parseHttp } from '../../../src/language';
import { RunState, runRequests } from '../../../src/run';

const policy = { enabled: true, timeoutMs: 5000 };

describe('run: scripts and asserts on socket blocks', function () {
  this.timeout(60000);
  let tcp: net.Server;
  let tcpPort = 0;
  let wss: WebSocketServer;
  let wsPort = 0;

  before(async () => {
    tcp = net.createServer((s) => {
      s.write('2026-12-01T10:00:00.000000\n');
      setTimeout(() => s.end('second line\n'), 20);
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    tcpPort = (tcp.address() as AddressInfo).port;
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', r));
    wsPort = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(binary ? data : JSON.stringify({ echo: JSON.parse(String(data)) }))));
  });
  after(async () => {
    await new Promise((r) => tcp.close(r));
    await new Promise((r) => wss.close(r));
  });

  async function run(text: string) {
    const state = new RunState();
    try {
      const out = await runRequests({ doc: parseHttp(text), context: {}, state, scripts: policy });
      return out.results[0];
    } finally {
      await state.dispose();
    }
  }

  it('a TCP block: ?? body reads what the server sent, a handler reads it line by line and as messages', async () => {
    const r = await run(
      [
        `TCP 127.0.0.1:${tcpPort}`,
        '',
        '?? body contains second line',
        '?? body startsWith 2026-',
        '?? status == 200',
        '',
        '> {%',
        '  const lines = [];',
        '  response.body.onEachLine((line) => lines.push(line));',
        '  let finished = false;',
        '  response.body.onFinish(() => { finished = true; client.test("finish runs after the lines", () => client.assert(lines.length === 2, String(lines.length))); });',
        '  client.test("two lines, the time first", () => client.assert(lines[1] === "second line" && /^\\d{4}-/.test(lines[0]), JSON.stringify(lines)));',
        '  client.test("messages are received data", () => client.assert(response.messages.every((m) => m.direction === "received" && m.type === "data"), "types"));',
        '  client.test("not finished while the handler runs", () => client.assert(!finished, "early"));',
        '%}',
        '',
      ].join('\n'),
    );
    assert.ok(r.exchange, 'sent');
    const byName = Object.fromEntries((r.tests ?? []).map((t) => [t.name, t]));
    assert.equal(byName['body contains second line']?.passed, true, JSON.stringify(byName['body contains second line']));
    assert.equal(byName['body startsWith 2026-']?.passed, true);
    // TCP has no status: the assert says so instead of passing.
    assert.equal(byName['status == 200']?.passed, false);
    assert.equal(byName['status == 200']?.actual, 'undefined');
    for (const name of [
      'two lines, the time first',
      'messages are received data',
      'not finished while the handler runs',
      'finish runs after the lines',
    ]) {
      assert.equal(byName[name]?.passed, true, `${name}: ${JSON.stringify(byName[name])}`);
    }
  });

  it('a WebSocket block: onEachMessage gets each echo as JSON, unsubscribe stops it, ?? asserts see the 101 and the messages', async () => {
    const r = await run(
      [
        `WEBSOCKET ws://127.0.0.1:${wsPort}/`,
        '',
        '===',
        '{ "n": 1 }',
        '=== wait-for-server',
        '{ "n": 2 }',
        '=== wait-for-server',
        '{ "n": 3 }',
        '=== wait-for-server',
        '',
        '?? status == 101',
        '?? body contains "n":3',
        '?? js response.messages.filter((m) => m.direction === "received" && m.type === "text").length == 3',
        '',
        '> {%',
        '  const seen = [];',
        '  response.body.onEachMessage((message, unsubscribe, output) => {',
        '    seen.push(message.echo.n);',
        '    if (message.echo.n === 2) { output("not sent"); unsubscribe(); }',
        '  });',
        '  client.test("stops after unsubscribe", () => client.assert(seen.join(",") === "1,2", seen.join(",")));',
        '  client.test("sent messages are listed too", () => client.assert(response.messages.some((m) => m.direction === "sent" && m.data.n === 3), "no sent"));',
        '%}',
        '',
      ].join('\n'),
    );
    assert.ok(r.exchange && !r.exchange.error, JSON.stringify(r.exchange?.error));
    const byName = Object.fromEntries((r.tests ?? []).map((t) => [t.name, t]));
    for (const t of r.tests ?? []) assert.equal(t.passed, true, `${t.name}: ${t.message}`);
    assert.ok(byName['stops after unsubscribe'] && byName['sent messages are listed too'], JSON.stringify(r.tests));
    assert.ok(
      r.logs.some((l) => /output\(\) is not sent/.test(l)),
      r.logs.join('\n'),
    );
  });
});
