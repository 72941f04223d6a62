// The frame reader: frames cut out of any split of the byte stream, DATA payloads handed on as views of the reads
// they arrived in (never copied), other payloads whole.
import * as assert from 'node:assert/strict';
import { FrameType } from '../../../../src/wire/h2/constants';
import { FrameReader, frame, sliceParts, type RawFrame } from '../../../../src/wire/h2/frames';

function stream(): Buffer {
  return Buffer.concat([
    frame(FrameType.SETTINGS, 0, 0, Buffer.from([0, 4, 0, 1, 0, 0])),
    frame(FrameType.DATA, 0, 1, Buffer.from('hello, world')),
    frame(FrameType.PING, 0, 0, Buffer.from('12345678')),
    frame(FrameType.DATA, 0x1, 1, Buffer.alloc(0)),
    frame(FrameType.DATA, 0x8, 1, Buffer.concat([Buffer.from([3]), Buffer.from('padded'), Buffer.alloc(3)])),
  ]);
}

function read(chunks: Buffer[]): RawFrame[] {
  const out: RawFrame[] = [];
  const r = new FrameReader(
    16384,
    (f) => out.push(f),
    (e) => assert.fail(e.message),
  );
  for (const c of chunks) r.push(c);
  assert.ok(r.idle);
  return out;
}

const payloadOf = (f: RawFrame): string => (f.type === FrameType.DATA ? Buffer.concat(f.parts) : f.payload).toString('latin1');

describe('wire/h2 frames: the frame reader', () => {
  it('cuts the same frames out of every split of the stream, at the same offsets', () => {
    const bytes = stream();
    const whole = read([bytes]);
    assert.deepEqual(
      whole.map((f) => [f.type, f.flags, f.length, f.offset]),
      [
        [FrameType.SETTINGS, 0, 6, 0],
        [FrameType.DATA, 0, 12, 15],
        [FrameType.PING, 0, 8, 36],
        [FrameType.DATA, 1, 0, 53],
        [FrameType.DATA, 8, 10, 62],
      ],
    );
    for (let a = 1; a < bytes.length; a++) {
      for (const b of [a + 1, a + 7, bytes.length - 1]) {
        if (b <= a || b >= bytes.length) continue;
        const got = read([bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)]);
        assert.deepEqual(
          got.map((f) => [f.type, f.flags, f.length, f.offset, payloadOf(f)]),
          whole.map((f) => [f.type, f.flags, f.length, f.offset, payloadOf(f)]),
          `split at ${a}, ${b}`,
        );
      }
    }
    // One byte at a time: every DATA byte is its own view.
    const bytewise = read([...bytes].map((x) => Buffer.from([x])));
    assert.equal(payloadOf(bytewise[1]), 'hello, world');
    assert.equal(bytewise[1].parts.length, 12);
  });

  it('hands DATA on as views of the reads, not copies', () => {
    const bytes = stream();
    const a = Buffer.from(bytes.subarray(0, 30));
    const b = Buffer.from(bytes.subarray(30));
    const [, data] = read([a, b]);
    assert.equal(data.payload.length, 0);
    assert.equal(data.parts.length, 2);
    assert.equal(data.parts[0].buffer, a.buffer);
    assert.equal(data.parts[1].buffer, b.buffer);
  });

  it('slices a payload held as parts without copying', () => {
    const parts = [Buffer.from('abc'), Buffer.from('defg'), Buffer.from('hi')];
    assert.equal(Buffer.concat(sliceParts(parts, 1, 8)).toString(), 'bcdefgh');
    assert.equal(Buffer.concat(sliceParts(parts, 3, 7)).toString(), 'defg');
    assert.equal(sliceParts(parts, 3, 7)[0], parts[1], 'a whole part is passed on as it is');
    assert.deepEqual(sliceParts(parts, 4, 4), []);
  });
});
