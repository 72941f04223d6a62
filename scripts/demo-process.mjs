// Runs the bundled demo origin (dist/demo-server.js) as a child process and reads its URLs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function startDemo(root, { port = 0, tlsPort = 0, h2Port = 0, h2cPort = 0, stdio = 'pipe' } = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [
        join(root, 'dist', 'demo-server.js'),
        '--port',
        String(port),
        '--tls-port',
        String(tlsPort),
        '--h2-port',
        String(h2Port),
        '--h2c-port',
        String(h2cPort),
      ],
      {
        stdio: ['ignore', 'pipe', stdio === 'inherit' ? 'inherit' : 'pipe'],
      },
    );
    let buf = '';
    const onData = (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      proc.stdout.off('data', onData);
      try {
        const info = JSON.parse(buf.slice(0, nl));
        resolve({
          ...info,
          proc,
          stop: () =>
            new Promise((r) => {
              if (proc.exitCode !== null) return r();
              proc.once('exit', () => r());
              proc.kill('SIGTERM');
            }),
        });
      } catch {
        reject(new Error(`demo server said: ${buf}`));
      }
    };
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
}
