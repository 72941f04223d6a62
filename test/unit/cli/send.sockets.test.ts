// `wirelens send` on socket blocks: the transcript (`>` sent, `<` received, with times), `--json` with kind and
// messages, and `--all` closing a WebSocket after its messages and its @until rule.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocketServer } from 'ws';
import type { Exchange } from '../../../src/shared/exchange';
import { startPython, type PythonServer } from '../sockets/helpers';
import { runCli, ensureCliBuilt, type CliRun } from '../support/cli';

const cli = (args: string[]): Promise<CliRun> => runCli(['send', ...args]);

describe('cli: wirelens send on socket blocks', function () {
  this.timeout(60_000);
  let dir: string;
  let py: PythonServer;
  let server: http.Server;
  let wss: WebSocketServer;
  let wsPort: number;
  before(async () => {
    ensureCliBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-cli-sockets-'));
    py = await startPython('time_server.py');
    server = http.createServer();
    wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', (d: Buffer, bin: boolean) => ws.send(d, { binary: bin })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    wsPort = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await py.stop();
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => server.close(() => r())));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, text: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it("prints the time server's transcript: < with a time, and how it ended", async () => {
    const r = await cli([file('time.http', `TCP 127.0.0.1:${py.port}\n`)]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^< +\+[\d.]+ m?s {2}data · 2\d B$/m);
    assert.match(r.stdout, /^< {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/m);
    assert.match(r.stdout, /\* Ended: the peer closed the connection \(closed by the server\)\./);
    assert.doesNotMatch(r.stdout, /registered HTTP method/, 'no HTTP notes on a TCP block');
  });

  it('--all runs a WebSocket block and closes it after its messages; --json has kind and messages', async () => {
    const f = file(
      'ws.http',
      `### time\nTCP 127.0.0.1:${py.port}\n\n### chat\n# @until idle 300\nWEBSOCKET ws://127.0.0.1:${wsPort}/\n\n===\nhello socket\n=== wait-for-server\n`,
    );
    const text = await cli([f, '--all']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^> GET \/ HTTP\/1\.1$/m, 'the handshake as an HTTP exchange');
    assert.match(text.stdout, /^< HTTP\/1\.1 101 Switching Protocols$/m);
    assert.match(text.stdout, /^> +\+[\d.]+ m?s {2}text · 12 B · FIN · masked with [0-9a-f]{8}/m);
    assert.match(text.stdout, /^> {3}hello socket$/m);
    assert.match(text.stdout, /^< {3}hello socket$/m);
    assert.match(text.stdout, /Wire Lens's close: 1000 Normal Closure/);
    const j = await cli([f, '--all', '--json']);
    assert.equal(j.code, 0, j.stderr);
    const [tcp, ws] = JSON.parse(j.stdout) as Exchange[];
    assert.equal(tcp.kind, 'tcp');
    assert.equal(ws.kind, 'websocket');
    assert.equal(ws.response?.status, 101);
    const msgs = ws.messages ?? [];
    assert.deepEqual(
      msgs.map((m) => `${m.direction}:${m.opcodeName}`),
      ['sent:text', 'received:text', 'sent:close', 'received:close'],
    );
    assert.equal(msgs[0].text, 'hello socket');
    assert.equal(Buffer.from(msgs[0].base64, 'base64').toString(), 'hello socket');
    assert.ok(msgs.every((m) => typeof m.at === 'number'));
  });

  it('a malformed block is refused before any socket opens (exit 2)', async () => {
    const r = await cli([file('bad.http', 'TCP 127.0.0.1:1\nbad \\q escape\n')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.http:2: Unknown escape \\q/);
  });
});
