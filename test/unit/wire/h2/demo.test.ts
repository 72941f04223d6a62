// The demo origin's HTTP/2 listeners: the lecture's GET / → 302 /posts → 200 over h2 (ALPN) and h2c, every
// other route too, and HTTP/1.1 still accepted on the h2 TLS port.
import * as assert from 'node:assert/strict';
import { startDemoServer, type DemoServer } from '../../../../src/demo/server';
import { send } from '../../../../src/wire';
import { request } from '../servers';

describe('demo origin over HTTP/2', function () {
  this.timeout(30000);
  let demo: DemoServer;
  before(async () => {
    demo = await startDemoServer({ h2Port: 0, h2cPort: 0 });
  });
  after(async () => {
    await demo.close();
  });

  for (const which of ['h2Url', 'h2cUrl'] as const) {
    it(`${which}: the lecture's 302 → /posts → 200`, async () => {
      const ex = await send(request(`${demo[which]}/`, { httpVersion: 'HTTP/2' }), { ca: [demo.certificate ?? ''] });
      assert.equal(ex.error, null, JSON.stringify(ex.error));
      assert.equal(ex.redirects[0].response?.status, 302);
      assert.deepEqual(
        ex.redirects[0].response?.headers.find(([n]) => n === 'location'),
        ['location', '/posts'],
      );
      assert.equal(ex.response?.status, 200);
      assert.equal(ex.response?.httpVersion, '2');
      assert.match(ex.response?.body.text ?? '', /<h1>Posts<\/h1>/);
    });
  }

  it('serves the other routes over HTTP/2 (echo, chunked pieces, gzip, trailers, cookies)', async () => {
    const ca = [demo.certificate ?? ''];
    const echo = await send(
      request(`${demo.h2Url}/echo`, { httpVersion: 'HTTP/2', method: 'POST', body: [{ kind: 'bytes', data: Buffer.from('hi') }] }),
      { ca },
    );
    assert.equal((JSON.parse(echo.response?.body.text ?? '{}') as { httpVersion: string }).httpVersion, '2.0');
    const chunked = await send(request(`${demo.h2Url}/chunked?chunks=3&size=4`, { httpVersion: 'HTTP/2' }), { ca });
    assert.equal(chunked.response?.body.text, 'aaaabbbbcccc');
    assert.deepEqual(chunked.response?.trailers, [['x-checksum', 'chunks=3']]);
    const gz = await send(request(`${demo.h2cUrl}/gzip`, { httpVersion: 'HTTP/2' }));
    assert.deepEqual(gz.response?.body.decodedFrom, ['gzip']);
    const routes = await send(request(`${demo.h2cUrl}/routes`, { httpVersion: 'HTTP/2' }));
    assert.match(routes.response?.body.text ?? '', /\/echo/);
  });

  it('accepts HTTP/1.1 on the h2 TLS port (ALPN http/1.1)', async () => {
    const ex = await send(request(`${demo.h2Url}/posts`, { httpVersion: 'HTTP/1.1' }), { ca: [demo.certificate ?? ''] });
    assert.equal(ex.error, null);
    assert.equal(ex.response?.httpVersion, '1.1');
    assert.equal(ex.response?.status, 200);
  });
});
