// Bounded fuzz of the response parser: random and mutated inputs, fixed seed, split at random points.
// Never a throw, never a hang (every feed returns), and the parser holds no more than its header limit.
import * as assert from 'node:assert/strict';
import { ResponseParser } from '../../../src/wire/parser';
import { loadCorpus } from './parserHarness';

/** mulberry32: small, seeded, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INTERESTING = [...Buffer.from('\r\n:; \t0123456789abcdefHTTP/1.1 ,-\x00\x7f\xff')];

function mutate(input: Buffer, r: () => number): Buffer {
  const bytes = [...input];
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (bytes.length + 1));
    const pick = INTERESTING[Math.floor(r() * INTERESTING.length)];
    switch (Math.floor(r() * 5)) {
      case 0:
        bytes[at] = pick;
        break;
      case 1:
        bytes.splice(at, 0, pick);
        break;
      case 2:
        bytes.splice(at, 1 + Math.floor(r() * 8));
        break;
      case 3:
        bytes.splice(at, 0, ...bytes.slice(at, at + Math.floor(r() * 32)));
        break;
      default:
        bytes.length = Math.min(bytes.length, at);
        break;
    }
  }
  return Buffer.from(bytes);
}

function feed(input: Buffer, r: () => number, maxHeaderBytes: number): { events: number; parser: ResponseParser } {
  let events = 0;
  const count = (): void => {
    events++;
  };
  const p = new ResponseParser(
    {
      onStatus: count,
      onHeader: count,
      onHeadersComplete: count,
      onChunkHeader: count,
      onBody: count,
      onTrailer: count,
      onMessageComplete: count,
      onNote: count,
      onError: count,
    },
    { maxHeaderBytes, method: r() < 0.1 ? 'HEAD' : 'GET', maxBodyBytes: r() < 0.2 ? 16 : undefined },
  );
  let pos = 0;
  while (pos < input.length) {
    const n = 1 + Math.floor(r() * 40);
    p.execute(input.subarray(pos, pos + n));
    pos += n;
  }
  p.finish();
  return { events, parser: p };
}

const FUZZ_RUNS = 10000;

describe('wire/parser fuzz', () => {
  it(`finishes every one of ${FUZZ_RUNS} seeded mutated or random inputs without throwing, events bounded by the input`, function () {
    this.timeout(120000);
    const r = rng(0x5eed);
    const corpus = loadCorpus()
      .map((c) => c.input)
      .filter((b) => b.length > 0);
    // A fixed number of seeded runs: the same inputs on every machine, however fast.
    for (let runs = 0; runs < FUZZ_RUNS; runs++) {
      let input: Buffer;
      if (runs % 4 === 0) {
        input = Buffer.alloc(Math.floor(r() * 300));
        for (let i = 0; i < input.length; i++) input[i] = r() < 0.5 ? INTERESTING[Math.floor(r() * INTERESTING.length)] : Math.floor(r() * 256);
        if (r() < 0.5) input = Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\n'), input]);
      } else {
        input = mutate(corpus[Math.floor(r() * corpus.length)], r);
      }
      const { events, parser } = feed(input, r, 128);
      // Every run ends: completed or failed, and the event count is bounded by the input.
      assert.ok(parser.finished, `run ${runs} did not finish: ${JSON.stringify(input.toString('latin1'))}`);
      assert.ok(events <= input.length * 2 + 8, `run ${runs}: ${events} events for ${input.length} bytes`);
    }
  });

  it('a head that never ends stops at the limit instead of growing', () => {
    const p = new ResponseParser({}, { maxHeaderBytes: 4096 });
    const junk = Buffer.alloc(1024, 0x61);
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nX: '));
    for (let i = 0; i < 100; i++) p.execute(junk);
    assert.equal(p.error?.code, 'HPE_HEADER_OVERFLOW');
  });

  it('endless chunk extensions stop at the limit', () => {
    const p = new ResponseParser({}, { maxHeaderBytes: 4096 });
    p.execute(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;'));
    for (let i = 0; i < 100; i++) p.execute(Buffer.alloc(1024, 0x61));
    assert.equal(p.error?.code, 'HPE_HEADER_OVERFLOW');
  });
});
