// The socket record as shown: transcript rows (text or hex, frame facts, close explained), bounded, and secrets
// masked in sent messages wherever the record is printed or saved.
import * as assert from 'node:assert/strict';
import type { Exchange, SocketMessage } from '../../../src/shared/exchange';
import { maskExchange } from '../../../src/view/mask';
import { MAX_ROWS, transcriptView } from '../../../src/view/transcript';

function ws(messages: SocketMessage[]): Exchange {
  return {
    request: { method: 'GET', url: 'ws://127.0.0.1:1/', httpVersion: 'HTTP/1.1', headers: [], rawBase64: '' },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: 1 },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
    kind: 'websocket',
    messages,
    socket: {
      closedBy: 'server',
      endReason: 'the server closed with 4001',
      bytesSent: 5,
      bytesReceived: 2,
      closeReceived: { code: 4001, reason: '' },
      closeSent: null,
    },
  };
}

const msg = (direction: 'sent' | 'received', text: string | null, bytes: Buffer, extra: Partial<SocketMessage> = {}): SocketMessage => ({
  direction,
  at: 1.5,
  base64: bytes.toString('base64'),
  size: bytes.length,
  text,
  ...extra,
});

describe('sockets: the record as shown', () => {
  it('rows: text as text, binary as hex, frame facts, the close explained', () => {
    const v = transcriptView(
      ws([
        msg('sent', 'hello', Buffer.from('hello'), {
          opcodeName: 'text',
          opcode: 1,
          fin: true,
          masked: true,
          wireFrames: [{ opcode: 1, fin: true, rsv: [false, false, false], masked: true, maskKey: '01020304', length: 5, headerSize: 6 }],
        }),
        msg('received', null, Buffer.from([0, 255]), { opcodeName: 'binary', opcode: 2, fin: true, masked: false }),
        msg('received', null, Buffer.from([0x0f, 0xa1]), { opcodeName: 'close', opcode: 8, closeCode: 4001 }),
      ]),
    );
    assert.ok(v);
    assert.equal(v.rows[0].text, 'hello');
    assert.ok(v.rows[0].details.includes('masked with 01020304'));
    assert.match(v.rows[1].hex?.[0] ?? '', /00 ff/);
    assert.match(v.rows[2].close ?? '', /^4001 Private use/);
    assert.ok(v.summary.some((l) => /Server's close: 4001/.test(l)));
  });

  it(`at most ${MAX_ROWS} rows go to the panel; the rest are counted`, () => {
    const many = Array.from({ length: MAX_ROWS + 5 }, () => msg('received', 'x', Buffer.from('x')));
    const v = transcriptView(ws(many));
    assert.equal(v?.rows.length, MAX_ROWS);
    assert.equal(v?.omitted, 5);
  });

  it('a secret in a sent message (and its echo) is masked in the record printed or saved, and in the rows', () => {
    const ex = ws([msg('sent', 'token=s3cr3t', Buffer.from('token=s3cr3t')), msg('received', 'echo token=s3cr3t', Buffer.from('echo token=s3cr3t'))]);
    const masked = maskExchange(ex, ['s3cr3t']);
    for (const m of masked.messages ?? []) {
      assert.doesNotMatch(m.text ?? '', /s3cr3t/);
      assert.doesNotMatch(Buffer.from(m.base64, 'base64').toString(), /s3cr3t/);
    }
    const v = transcriptView(ex, { secrets: ['s3cr3t'] });
    assert.doesNotMatch(v?.rows[0].text ?? '', /s3cr3t/);
  });
});
