// Build time only: the run the launcher makes before it writes V8's code cache (see launcher.ts). It loads every
// subcommand and sends two tiny requests to loopback servers it starts here (HTTP/1.1 and h2c), printing to
// nowhere, so that the functions a start runs (parse, resolve, the engines, annotate, the formatters) are
// compiled by then and go into the cache instead of being compiled again at every start.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo } from './io';

type Main = (argv: string[], io: CliIo) => Promise<number>;

const nowhere = (): CliIo => {
  const sink = (): Writable =>
    new Writable({
      write(_chunk, _enc, cb) {
        cb();
      },
    });
  return { stdout: sink(), stderr: sink() };
};

function listen(server: http.Server | http2.Http2Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

export async function warmUp(main: Main): Promise<void> {
  const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
  const h1 = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  const h2c = http2.createServer();
  h2c.on('stream', (stream) => {
    stream.on('error', () => {});
    stream.respond({ ':status': 200, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    stream.end(body);
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-warmup-'));
  try {
    const [p1, p2] = await Promise.all([listen(h1), listen(h2c)]);
    const file = path.join(dir, 'warm.http');
    fs.writeFileSync(
      file,
      `# @name one\nGET http://127.0.0.1:${p1}/items\nAccept: application/json\n\n###\nGET http://127.0.0.1:${p2}/items HTTP/2\n`,
    );
    await main(['send', file, '--all', '--no-color'], nowhere());
    await main(['send', file, '--all', '--json'], nowhere());
    await main(['send', file, '--all', '--frames', '--body-out', path.join(dir, 'body.bin'), '--no-color'], nowhere());
    await main(['test', file, '--reporter', 'json'], nowhere());
    await main(['parse', file, '--json'], nowhere());
    await main(['explain', 'status', '200'], nowhere());
  } finally {
    h1.close();
    h2c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
