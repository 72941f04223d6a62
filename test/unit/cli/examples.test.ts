// The examples/ workspace that `npm start` opens must work against the demo origin: send every request of every
// example file through the real CLI (the ports rewritten to the test's own demo origin).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import type { Exchange } from '../../../src/shared/exchange';
import { ROOT, runCli, ensureCliBuilt } from '../support/cli';

const EXAMPLES = path.join(ROOT, 'examples');

describe('cli: every example request against the demo origin', function () {
  this.timeout(60_000);
  let demo: DemoServer;
  let dir: string;
  before(async () => {
    ensureCliBuilt();
    demo = await startDemoServer({ h2Port: 0, h2cPort: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-examples-'));
  });
  after(async () => {
    await demo.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.http'));

  it('has example files', () => {
    assert.ok(files.length >= 2, files.join(', '));
  });

  for (const file of files) {
    it(`sends every request in ${file}`, async () => {
      const text = fs
        .readFileSync(path.join(EXAMPLES, file), 'utf8')
        .replaceAll('127.0.0.1:8765', `127.0.0.1:${demo.port}`)
        .replaceAll('127.0.0.1:8766', `127.0.0.1:${demo.tlsPort}`)
        .replaceAll('https://127.0.0.1:8769', demo.h2Url ?? '')
        .replaceAll('http://127.0.0.1:8770', demo.h2cUrl ?? '')
        .replaceAll('127.0.0.1:8767', `127.0.0.1:${demo.timePort}`)
        .replaceAll('127.0.0.1:8768', `127.0.0.1:${demo.udpPort}`);
      const copy = path.join(dir, file);
      fs.writeFileSync(copy, text);
      // Asynchronous: the demo origin lives in this process and must keep answering while the CLI runs.
      const r = await runCli(['send', copy, '--all', '--json', '--max-body', '32MB']);
      assert.equal(r.code, 0, r.stderr);
      const exchanges = JSON.parse(r.stdout) as Exchange[];
      const requests = (text.match(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TCP|TLS|UDP|WEBSOCKET|WS) /gm) ?? []).length;
      assert.equal(exchanges.length, requests);
      for (const ex of exchanges) {
        assert.equal(ex.error, null, `${ex.request.url}: ${JSON.stringify(ex.error)}`);
        // Socket blocks: something came back (a WebSocket's handshake is its 101).
        if (ex.kind === 'tcp' || ex.kind === 'udp')
          assert.ok(
            ex.messages?.some((m) => m.direction === 'received'),
            ex.request.url,
          );
        else assert.ok(ex.response && ex.response.status >= (ex.kind === 'websocket' ? 101 : 200), ex.request.url);
      }
      if (file === 'sockets.http') {
        const [time, , udp, ws] = exchanges;
        assert.match(Buffer.from(time.messages![0].base64, 'base64').toString(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\n$/);
        assert.deepEqual(
          udp.messages!.filter((m) => m.direction === 'received').map((m) => m.size),
          [15, 19],
        );
        assert.equal(ws.socket?.protocol, 'echo');
        assert.deepEqual(
          ws.messages!.filter((m) => m.direction === 'received' && m.opcodeName === 'text').map((m) => m.text),
          ['{ "message": "Hello, server!" }', 'A second message'],
        );
      }
    });
  }
});
