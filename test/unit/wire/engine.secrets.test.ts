// A cross-origin redirect keeps every header that carries a secret with its origin (not only Authorization and
// Cookie), and the hop says which were left behind.
import * as assert from 'node:assert/strict';
import { send } from '../../../src/wire';
import { rawServer, request, type TestServer } from './servers';

describe('wire/engine: secrets on redirects', function () {
  this.timeout(20000);
  let a: TestServer;
  let b: TestServer;
  afterEach(async () => {
    await a?.close();
    await b?.close();
  });

  it('X-Api-Key from a private env file does not reach the other origin; the hop notes it', async () => {
    b = await rawServer((sock) => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), '::1');
    a = await rawServer((sock) => sock.end(`HTTP/1.1 302 Found\r\nLocation: ${b.url}/landing\r\nContent-Length: 0\r\n\r\n`));
    const ex = await send(
      request(`${a.url}/start`, {
        headers: [
          ['X-Api-Key', 'k-1234567890'],
          ['X-Trace', 'plain'],
          ['Authorization', 'Bearer tok-abcdef'],
          ['X-Wrapped', 'prefix k-1234567890 suffix'],
        ],
        secrets: ['k-1234567890', 'tok-abcdef'],
      }),
    );
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    const landed = b.requests[0].head;
    assert.doesNotMatch(landed, /k-1234567890|tok-abcdef/);
    assert.match(landed, /X-Trace: plain/);
    assert.match(a.requests[0].head, /X-Api-Key: k-1234567890/);
    const note = ex.redirects[0].notes.find((n) => n.id === 'redirect-secret-headers-dropped');
    assert.ok(note, JSON.stringify(ex.redirects[0].notes));
    assert.match(note.summary, /X-Api-Key, Authorization, X-Wrapped not sent to http:\/\/\[::1\]/);
  });

  it('a same-origin redirect keeps them', async () => {
    a = await rawServer((sock, r) => {
      if (r.head.startsWith('GET /start')) sock.end('HTTP/1.1 302 Found\r\nLocation: /landing\r\nContent-Length: 0\r\n\r\n');
      else sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    b = a;
    const ex = await send(request(`${a.url}/start`, { headers: [['X-Api-Key', 'k-1234567890']], secrets: ['k-1234567890'] }));
    assert.equal(ex.error, null);
    assert.match(a.requests[1].head, /X-Api-Key: k-1234567890/);
    assert.ok(!ex.redirects[0].notes.some((n) => n.id === 'redirect-secret-headers-dropped'));
  });
});
