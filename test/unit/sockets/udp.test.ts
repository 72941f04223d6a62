// UDP blocks against Node's dgram: one datagram per message, replies until idle, sizes, the ICMP port
// unreachable as ECONNREFUSED, and the limit refused before sending.
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import { parseHttp, resolveRequest } from '../../../src/language';
import { execute } from '../../../src/pipeline';
import { messageText, socketRequest } from './helpers';

function bind(
  type: 'udp4' | 'udp6',
  host: string,
  onMessage: (s: dgram.Socket, msg: Buffer, rinfo: dgram.RemoteInfo) => void,
): Promise<{ socket: dgram.Socket; port: number }> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(type);
    socket.on('message', (m, r) => onMessage(socket, m, r));
    socket.bind(0, host, () => resolve({ socket, port: socket.address().port }));
  });
}

describe('sockets/udp: UDP blocks', function () {
  this.timeout(30_000);
  let echo: { socket: dgram.Socket; port: number };
  const got: Buffer[] = [];
  before(async () => {
    echo = await bind('udp4', '127.0.0.1', (s, m, r) => {
      got.push(m);
      s.send(m, r.port, r.address);
    });
  });
  after(() => echo.socket.close());

  it('sends each message as one datagram and collects the echoes until idle', async () => {
    got.length = 0;
    const ex = await execute(await socketRequest(`# @until idle 300\nUDP 127.0.0.1:${echo.port}\nping\n===\nsecond datagram\\n\n`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    assert.equal(ex.kind, 'udp');
    assert.deepEqual(got.map(String), ['ping', 'second datagram\n']);
    const received = ex.messages!.filter((m) => m.direction === 'received');
    assert.deepEqual(received.map(messageText), ['ping', 'second datagram\n']);
    assert.deepEqual(
      received.map((m) => m.size),
      [4, 16],
    );
    assert.equal(ex.socket?.endReason, '300 ms of silence');
    assert.equal(ex.connection?.remotePort, echo.port);
  });

  it('a large datagram (60000 bytes) goes and comes back whole', async () => {
    const ex = await execute(await socketRequest(`# @until bytes 60000\nUDP 127.0.0.1:${echo.port}\n${'\\x41'.repeat(60000)}\n`));
    assert.equal(ex.error, null, JSON.stringify(ex.error));
    const r = ex.messages!.find((m) => m.direction === 'received');
    assert.equal(r?.size, 60000);
    assert.equal(r?.truncated, undefined);
  });

  it('over IPv6 loopback', async () => {
    const six = await bind('udp6', '::1', (s, m, r) => s.send(Buffer.concat([Buffer.from('re:'), m]), r.port, r.address));
    try {
      const ex = await execute(await socketRequest(`# @until "re:"\nUDP [::1]:${six.port}\nhi\n`));
      assert.equal(ex.error, null);
      assert.equal(ex.connection?.family, 'IPv6');
      assert.equal(messageText(ex.messages![1]), 're:hi');
    } finally {
      six.socket.close();
    }
  });

  it('nothing listening: the ICMP port unreachable comes back as ECONNREFUSED', async () => {
    const gone = await bind('udp4', '127.0.0.1', () => undefined);
    const port = gone.port;
    await new Promise<void>((r) => gone.socket.close(() => r()));
    const ex = await execute(await socketRequest(`UDP 127.0.0.1:${port}\nanyone?\n===\nstill there?\n`));
    assert.equal(ex.error?.code, 'ECONNREFUSED');
    assert.ok(
      ex.messages!.some((m) => m.direction === 'sent'),
      'the first datagram was sent and is kept',
    );
  });

  it('wait-for-server with no reply is WL_WAIT_TIMEOUT', async () => {
    const silent = await bind('udp4', '127.0.0.1', () => undefined);
    try {
      const ex = await execute(await socketRequest(`# @timeout 300\nUDP 127.0.0.1:${silent.port}\nx\n=== wait-for-server\n`));
      assert.equal(ex.error?.code, 'WL_WAIT_TIMEOUT');
    } finally {
      silent.socket.close();
    }
  });

  it('a datagram larger than UDP can carry is refused before sending, and @until close is an error', async () => {
    const doc = parseHttp(`UDP 127.0.0.1:9\n${'a'.repeat(70000)}\n`);
    const r = await resolveRequest(doc, doc.requests[0]);
    assert.equal(r.request, null);
    assert.match(r.errors[0].message, /at most 65507 bytes/);
    const d2 = parseHttp('# @until close\nUDP 127.0.0.1:9\nx\n');
    assert.ok(d2.diagnostics.some((d) => d.severity === 'error' && /does not apply to UDP/.test(d.message)));
  });
});
