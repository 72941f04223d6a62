// The per-connection tap: one set of listeners for the socket's life, handed between an exchange and the pool.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ConnectionTap } from '../../../src/wire/connectionTap';

async function pair(): Promise<{ client: net.Socket; server: net.Socket; close: () => void }> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  const accepted = new Promise<net.Socket>((r) => srv.once('connection', r));
  const client = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', () => r()));
  const server = await accepted;
  return { client, server, close: () => (client.destroy(), server.destroy(), srv.close()) };
}

const until = async (ok: () => boolean): Promise<void> => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(ok());
};

describe('wire/connectionTap', () => {
  it('keeps what arrives while nobody holds the connection and hands it to the next holder, in order', async () => {
    const p = await pair();
    try {
      const tap = new ConnectionTap(p.client);
      const seen: string[] = [];
      p.server.write('early ');
      await new Promise((r) => setTimeout(r, 30));
      tap.hold({ data: (b) => seen.push(b.toString()), end: () => seen.push('<end>'), close: () => undefined, error: () => undefined });
      assert.deepEqual(seen, ['early ']);
      p.server.write('then');
      await until(() => seen.join('') === 'early then');
      tap.release();
      p.server.write(' held');
      await new Promise((r) => setTimeout(r, 30));
      const next: string[] = [];
      tap.hold({ data: (b) => next.push(b.toString()), end: () => next.push('<end>'), close: () => undefined, error: () => undefined });
      assert.deepEqual(next, [' held']);
      p.server.end();
      await until(() => next.includes('<end>'));
      assert.equal(seen.join(''), 'early then');
    } finally {
      p.close();
    }
  });

  it('an error while nobody holds the connection ends it without an uncaught exception', async () => {
    const p = await pair();
    try {
      const tap = new ConnectionTap(p.client);
      let errors = 0;
      tap.hold({ data: () => undefined, end: () => undefined, close: () => undefined, error: () => errors++ });
      tap.release();
      p.client.destroy(new Error('boom'));
      await until(() => p.client.destroyed);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(errors, 0);
    } finally {
      p.close();
    }
  });
});
