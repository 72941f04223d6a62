// HPACK throughput: encode and decode the hpack-test-case raw-data stories (test/fixtures/hpack/raw-data), each
// story a sequence of header lists on one compression context, with our codec and with hpack.js (npm) in the
// same run. Prints header lists per second and MB/s of names+values, and the compressed size; writes
// bench/results/hpack.json. Measurements only, no verdicts.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-bench-'));
const out = join(tmp, 'hpack.mjs');
await esbuild.build({
  entryPoints: [join(root, 'src/wire/h2/hpack/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
});
const { HpackEncoder, HpackDecoder } = await import(pathToFileURL(out).href);
const hpack = createRequire(import.meta.url)('hpack.js');

const dir = join(root, 'test/fixtures/hpack/raw-data');
const stories = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) =>
    JSON.parse(readFileSync(join(dir, f), 'utf8')).cases.map((c) =>
      c.headers.map((h) => {
        const [[name, value]] = Object.entries(h);
        return { name, value };
      }),
    ),
  );
const lists = stories.reduce((n, s) => n + s.length, 0);
const octets = stories.flat(2).reduce((n, f) => n + Buffer.byteLength(f.name) + Buffer.byteLength(f.value), 0);

const impls = {
  wirelens: {
    encodeStory(story) {
      const enc = new HpackEncoder();
      return story.map((list) => enc.encode(list).block);
    },
    decodeStory(blocks) {
      const dec = new HpackDecoder();
      let n = 0;
      for (const b of blocks) n += dec.decode(b).length;
      return n;
    },
  },
  'hpack.js': {
    encodeStory(story) {
      const c = hpack.compressor.create({ table: { maxSize: 4096 } });
      return story.map((list) => {
        c.write(list);
        return c.read() ?? Buffer.alloc(0);
      });
    },
    decodeStory(blocks) {
      const d = hpack.decompressor.create({ table: { maxSize: 4096 } });
      let n = 0;
      for (const b of blocks) {
        d.write(b);
        d.execute();
        while (d.read() !== null) n++;
      }
      return n;
    },
  },
};

function measure(fn, minMs = 1500) {
  for (let i = 0; i < 20; i++) fn(); // warm up
  const runs = [];
  const t0 = performance.now();
  while (performance.now() - t0 < minMs || runs.length < 5) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

const result = { name: 'hpack', stories: stories.length, lists, octets, node: process.version, date: new Date().toISOString(), impls: {} };
for (const [name, impl] of Object.entries(impls)) {
  const encoded = stories.map((s) => impl.encodeStory(s));
  const compressed = encoded.flat().reduce((n, b) => n + b.length, 0);
  const encMs = measure(() => {
    for (const s of stories) impl.encodeStory(s);
  });
  // Each decodes its own blocks (the two encoders make different choices).
  const decMs = measure(() => {
    for (const b of encoded) impl.decodeStory(b);
  });
  result.impls[name] = {
    compressedOctets: compressed,
    ratio: Number((compressed / octets).toFixed(4)),
    encodeMs: Number(encMs.toFixed(3)),
    decodeMs: Number(decMs.toFixed(3)),
    encodeListsPerSec: Math.round(lists / (encMs / 1000)),
    decodeListsPerSec: Math.round(lists / (decMs / 1000)),
    encodeMBps: Number((octets / 1e6 / (encMs / 1000)).toFixed(1)),
    decodeMBps: Number((octets / 1e6 / (decMs / 1000)).toFixed(1)),
  };
}
// Our decoder on the peer's blocks too, so decode speed is also compared on the same input.
const peerBlocks = stories.map((s) => impls['hpack.js'].encodeStory(s));
const crossMs = measure(() => {
  for (const b of peerBlocks) impls.wirelens.decodeStory(b);
});
result.impls.wirelens.decodePeerBlocksMs = Number(crossMs.toFixed(3));
const peerOwnMs = measure(() => {
  for (const b of peerBlocks) impls['hpack.js'].decodeStory(b);
});
result.impls['hpack.js'].decodePeerBlocksMs = Number(peerOwnMs.toFixed(3));

const w = result.impls.wirelens;
const p = result.impls['hpack.js'];
result.ratios = {
  encodeSpeed: Number((p.encodeMs / w.encodeMs).toFixed(2)),
  decodeSpeedSameBlocks: Number((peerOwnMs / crossMs).toFixed(2)),
  compressedSize: Number((w.compressedOctets / p.compressedOctets).toFixed(3)),
};
console.log(`hpack: ${stories.length} stories, ${lists} header lists, ${(octets / 1024).toFixed(0)} KiB of names and values`);
for (const [name, r] of Object.entries(result.impls)) {
  console.log(
    `  ${name.padEnd(9)} encode ${r.encodeListsPerSec} lists/s (${r.encodeMBps} MB/s), decode ${r.decodeListsPerSec} lists/s (${r.decodeMBps} MB/s), compressed to ${(r.ratio * 100).toFixed(1)}%`,
  );
}
console.log(
  `  wirelens vs hpack.js: encode ${result.ratios.encodeSpeed}x as fast, decode (same blocks) ${result.ratios.decodeSpeedSameBlocks}x as fast, output ${result.ratios.compressedSize}x the size`,
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/hpack.json'), `${JSON.stringify(result, null, 2)}\n`);
rmSync(tmp, { recursive: true, force: true });
