// Streamed --json writes exactly JSON.stringify(value, null, 2), bodies held as bytes included.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { writeJson } from '../../../src/cli/jsonOut';
import { bodyFromBytes } from '../../../src/shared/body';

async function collect(v: unknown): Promise<string> {
  const out = new PassThrough({ highWaterMark: 1024 });
  const parts: Buffer[] = [];
  out.on('data', (d: Buffer) => parts.push(d));
  await writeJson(v, out);
  out.end();
  return Buffer.concat(parts).toString('utf8');
}

describe('cli: streamed --json', () => {
  it('equals JSON.stringify for large binary and text bodies (surrogates, control bytes, quotes)', async () => {
    const bin = Buffer.alloc(1024 * 1024 + 7);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 31) % 256;
    const text = `${'a"\\\u0001😀'.repeat(300_000)}é`;
    const v = [
      { response: { body: bodyFromBytes(bin, { text: null, size: bin.length, wireSize: bin.length, truncated: false }) } },
      { response: { body: bodyFromBytes(Buffer.from(text), { text, size: 1, wireSize: 1, truncated: false, charset: 'utf-8' }) } },
      { response: { body: { base64: 'AAA=', text: 'x', size: 2, wireSize: 2, truncated: false } } },
      null,
    ];
    const got = await collect(v);
    assert.equal(got, JSON.stringify(v, null, 2));
    assert.deepEqual(JSON.parse(got), JSON.parse(JSON.stringify(v)));
  });

  it('a body held as bytes reads and serialises like a plain one', () => {
    const b = bodyFromBytes(Buffer.from('hi'), { text: 'hi', size: 2, wireSize: 2, truncated: false });
    assert.equal(b.base64, 'aGk=');
    assert.deepEqual(Object.keys(b), ['base64', 'text', 'size', 'wireSize', 'truncated']);
    assert.equal(JSON.stringify(b), JSON.stringify({ base64: 'aGk=', text: 'hi', size: 2, wireSize: 2, truncated: false }));
    b.base64 = 'cut';
    assert.equal(b.base64, 'cut');
    assert.deepEqual({ ...b }, { base64: 'cut', text: 'hi', size: 2, wireSize: 2, truncated: false });
  });
});
