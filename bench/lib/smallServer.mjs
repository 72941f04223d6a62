// The keep-alive benchmark's server: node:http and node:https answering every request with the same small JSON
// body, counting connections. Run in the benchmark's own process, or alone in a child process (this file as the
// entry point, the certificate on stdin) so that its work and garbage are not the client's.
import * as http from 'node:http';
import * as https from 'node:https';
import { fileURLToPath } from 'node:url';

const body = '{"ok":true,"n":1}';
const handler = (req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', body.length);
  res.end(body);
};

/** Starts both servers on loopback (port 0); `connections` counts what each accepted. */
export async function startSmallServers(cert) {
  const plain = http.createServer({ keepAliveTimeout: 60_000 }, handler);
  const tls = https.createServer({ key: cert.key, cert: cert.cert, keepAliveTimeout: 60_000 }, handler);
  const connections = { plain: 0, tls: 0 };
  plain.on('connection', () => connections.plain++);
  tls.on('secureConnection', () => connections.tls++);
  await new Promise((r) => plain.listen(0, '127.0.0.1', r));
  await new Promise((r) => tls.listen(0, '127.0.0.1', r));
  return {
    ports: { plain: plain.address().port, tls: tls.address().port },
    connections,
    close: async () => {
      plain.closeAllConnections?.();
      tls.closeAllConnections?.();
      await new Promise((r) => plain.close(r));
      await new Promise((r) => tls.close(r));
    },
  };
}

// As a child: the certificate as JSON on stdin; the ports, then each connection count asked for, over IPC.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let input = '';
  process.stdin.on('data', (c) => (input += c));
  process.stdin.on('end', async () => {
    const s = await startSmallServers(JSON.parse(input));
    process.on('message', async (m) => {
      if (m === 'connections') process.send({ connections: s.connections });
      if (m === 'close') {
        await s.close();
        process.exit(0);
      }
    });
    // A benchmark that crashed or exited without saying close leaves no server behind.
    process.on('disconnect', () => process.exit(0));
    process.send({ ports: s.ports });
  });
}
