// The engine on responses that llhttp refuses: the refusal is typed and everything received before it is kept,
// the status line included; a reason phrase in UTF-8 reads as UTF-8.
import * as assert from 'node:assert/strict';
import { send } from '../../../src/wire';
import { rawServer, request, type TestServer } from './servers';

describe('wire/engine: strict parsing, partial records', function () {
  this.timeout(20000);
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('HTTP/0.9 200 OK is refused, and the record keeps the status line it received', async () => {
    srv = await rawServer((sock) => {
      sock.end('HTTP/0.9 200 OK\r\nX: 1\r\n\r\nhi');
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'HPE_INVALID_VERSION');
    assert.ok(ex.response, 'a response record exists');
    assert.equal(ex.response.statusLine, 'HTTP/0.9 200 OK');
    assert.equal(ex.response.status, 200);
    assert.equal(ex.response.httpVersion, '0.9');
    assert.equal(ex.response.headersComplete, false);
    assert.match(Buffer.from(ex.response.rawBase64, 'base64').toString('latin1'), /^HTTP\/0\.9 200 OK\r\n/);
  });

  it('a status line that is not HTTP keeps its bytes, with status 0', async () => {
    srv = await rawServer((sock) => {
      sock.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error?.code, 'HPE_INVALID_CONSTANT');
    assert.equal(ex.response?.status, 0);
    assert.equal(ex.response?.statusLine, 'SSH-2.0-OpenSSH_9.6');
  });

  it('a UTF-8 reason phrase is shown as UTF-8, not latin1 mojibake', async () => {
    srv = await rawServer((sock) => {
      sock.end(Buffer.concat([Buffer.from('HTTP/1.1 200 '), Buffer.from('Très bien ✓', 'utf8'), Buffer.from('\r\nContent-Length: 0\r\n\r\n')]));
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.reason, 'Très bien ✓');
  });

  it('a latin1 reason phrase that is not UTF-8 stays latin1', async () => {
    srv = await rawServer((sock) => {
      sock.end(Buffer.concat([Buffer.from('HTTP/1.1 200 Tr'), Buffer.from([0xe8]), Buffer.from('s\r\nContent-Length: 0\r\n\r\n')]));
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.response?.reason, 'Très');
  });

  for (const [line, code] of [
    ['2;', 'HPE_STRICT'],
    ['5;a="abc', 'HPE_STRICT'],
    ['2 junk', 'HPE_INVALID_CHUNK_SIZE'],
  ] as const) {
    it(`chunk line ${JSON.stringify(line)} is refused (${code}), the head kept`, async () => {
      srv = await rawServer((sock) => {
        sock.end(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${line}\r\naa\r\n0\r\n\r\n`);
      });
      const ex = await send(request(`${srv.url}/`));
      assert.equal(ex.error?.code, code);
      assert.equal(ex.error?.phase, 'body');
      assert.equal(ex.response?.status, 200);
      assert.equal(ex.response?.headersComplete, true);
    });
  }

  it('trailing spaces after a chunk size are tolerated with a note', async () => {
    srv = await rawServer((sock) => {
      sock.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5  \r\nhello\r\n0\r\n\r\n');
    });
    const ex = await send(request(`${srv.url}/`));
    assert.equal(ex.error, null);
    assert.equal(ex.response?.body.text, 'hello');
    assert.ok(
      ex.notes.some((n) => n.id === 'wire-chunk-size-whitespace'),
      JSON.stringify(ex.notes.map((n) => n.id)),
    );
  });
});
