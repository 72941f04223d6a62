// The RFC 6455 frame codec and the permessage-deflate parameter checks on their own.
import * as assert from 'node:assert/strict';
import { acceptDeflate, parseExtensions } from '../../../src/wire/websocket/deflate';
import { encodeFrame, FrameDecoder, OP } from '../../../src/wire/websocket/frame';
import { acceptFor } from '../../../src/wire/websocket/handshake';
import { closeCode, explainCloseCode } from '../../../src/annotate/data/websocketClose';

describe('sockets/websocket: frame codec', () => {
  it('the RFC 6455 example key gives the example accept value', () => {
    assert.equal(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('the RFC 6455 Section 5.7 examples encode and decode byte for byte', () => {
    assert.deepEqual([...encodeFrame({ opcode: OP.TEXT, payload: Buffer.from('Hello'), mask: null })], [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    const masked = encodeFrame({ opcode: OP.TEXT, payload: Buffer.from('Hello'), mask: Buffer.from([0x37, 0xfa, 0x21, 0x3d]) });
    assert.deepEqual([...masked], [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]);
    const d = new FrameDecoder({ side: 'server', maxFrameBytes: 1 << 20 }).push(masked);
    assert.equal(d.frames[0].payload.toString(), 'Hello');
    assert.equal(d.frames[0].maskKey?.toString('hex'), '37fa213d');
  });

  it('16- and 64-bit lengths, split at every position', () => {
    for (const size of [125, 126, 65535, 65536]) {
      const payload = Buffer.alloc(size, 7);
      const bytes = encodeFrame({ opcode: OP.BINARY, payload, mask: null });
      assert.equal(bytes.length - size, size < 126 ? 2 : size < 65536 ? 4 : 10);
      const step = size > 1000 ? 9973 : 1;
      for (let cut = 0; cut <= bytes.length; cut += step) {
        const dec = new FrameDecoder({ side: 'client', maxFrameBytes: 1 << 20 });
        const frames = [...dec.push(bytes.subarray(0, cut)).frames, ...dec.push(bytes.subarray(cut)).frames];
        assert.equal(frames.length, 1);
        assert.equal(frames[0].payload.length, size);
      }
    }
  });

  it('permessage-deflate answers: parameters parsed and checked', () => {
    const ok = parseExtensions('permessage-deflate; server_no_context_takeover; client_max_window_bits="10"');
    assert.ok(typeof ok !== 'string');
    assert.deepEqual(acceptDeflate(ok[0]), {
      serverNoContextTakeover: true,
      clientNoContextTakeover: false,
      serverMaxWindowBits: null,
      clientMaxWindowBits: 10,
    });
    for (const bad of [
      'permessage-deflate; server_max_window_bits=7',
      'permessage-deflate; server_no_context_takeover=1',
      'permessage-deflate; x',
      'permessage-deflate; client_no_context_takeover; client_no_context_takeover',
    ]) {
      const e = parseExtensions(bad);
      assert.ok(typeof e !== 'string');
      assert.equal(typeof acceptDeflate(e[0]), 'string', bad);
    }
  });

  it('close codes: 1000–1015 named, 3000–4999 ranges explained, local-only codes not sendable', () => {
    assert.equal(closeCode(1000).name, 'Normal Closure');
    assert.equal(closeCode(1015).sendable, false);
    assert.equal(closeCode(1006).sendable, false);
    assert.match(explainCloseCode(3008), /Registered/);
    assert.match(explainCloseCode(4321), /Private use/);
    assert.match(explainCloseCode(2000), /Reserved/);
    for (let c = 1000; c <= 1015; c++) assert.ok(closeCode(c).meaning.length > 10, String(c));
  });
});
