// Parse speed: a 10,000-request .http file (a realistic mix of headers, bodies, variables, metadata).
// Bundles src/language with esbuild so it needs no prior compile; prints the figure and writes
// bench/results/parse.json.
import * as esbuild from 'esbuild';
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'wirelens-bench-'));
const out = join(tmp, 'language.mjs');
await esbuild.build({
  entryPoints: [join(root, 'src/language/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'warning',
});
const { parseHttp, checkVariables, blockAt } = await import(pathToFileURL(out).href);

const blocks = [
  (i) =>
    `### Get item ${i}\n# @name item${i}\nGET {{base}}/items/${i}?expand=owner HTTP/1.1\nAccept: application/json\nAuthorization: Bearer {{token}}\n\n`,
  (i) =>
    `### Create ${i}\nPOST {{base}}/items\nContent-Type: application/json\n\n{\n  "name": "item ${i}",\n  "id": "{{$guid}}",\n  "tags": ["a", "b"]\n}\n\n`,
  (i) =>
    `###\n# @no-redirect\nDELETE https://api.example.test/items/${i}\n    ?force=true\n    &reason=bench\nX-Trace: {{$randomInt 1 1000}}\n\n> {%\n  client.global.set("last", ${i});\n%}\n\n`,
];
let text = '@base = https://api.example.test/v1\n@token = abc\n\n';
for (let i = 0; i < 10_000; i++) text += blocks[i % blocks.length](i);

// Warm up, then take the median of several runs.
for (let i = 0; i < 5; i++) parseHttp(text);
const runs = [];
let requests = 0;
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  const doc = parseHttp(text);
  runs.push(performance.now() - t0);
  requests = doc.requests.length;
}
runs.sort((a, b) => a - b);
const median = runs[Math.floor(runs.length / 2)];

// What the editor does on each (debounced) edit besides parsing: the unknown-variable check, and a lookup per line.
const doc10k = parseHttp(text);
const editorRuns = [];
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  checkVariables(doc10k, { environment: new Set(['base']), environmentName: null });
  for (let line = 0; line < doc10k.lineCount; line += 7) blockAt(doc10k, line);
  editorRuns.push(performance.now() - t0);
}
editorRuns.sort((a, b) => a - b);

// A 10 MB file of the same requests (the hostile-size case), parsed a few times.
let big = text;
while (Buffer.byteLength(big) < 10 * 1024 * 1024) big += text;
parseHttp(big);
const bigRuns = [];
let bigRequests = 0;
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  bigRequests = parseHttp(big).requests.length;
  bigRuns.push(performance.now() - t0);
}
bigRuns.sort((a, b) => a - b);
const result = {
  name: 'parse',
  requests,
  bytes: Buffer.byteLength(text),
  lines: text.split('\n').length,
  medianMs: Number(median.toFixed(2)),
  minMs: Number(runs[0].toFixed(2)),
  maxMs: Number(runs[runs.length - 1].toFixed(2)),
  budgetMs: 100,
  editorChecksMs: Number(editorRuns[3].toFixed(2)),
  tenMegabytes: { bytes: Buffer.byteLength(big), requests: bigRequests, medianMs: Number(bigRuns[2].toFixed(2)) },
  node: process.version,
  date: new Date().toISOString(),
};
console.log(
  `parse: ${(result.tenMegabytes.bytes / 1024 / 1024).toFixed(1)} MB (${bigRequests} requests) in ${result.tenMegabytes.medianMs} ms median`,
);
console.log(`editor checks (unknown variables, block lookups) on 10,000 requests: ${result.editorChecksMs} ms median`);
console.log(
  `parse: ${requests} requests (${(result.bytes / 1024 / 1024).toFixed(1)} MB) in ${result.medianMs} ms median (min ${result.minMs}, max ${result.maxMs}; budget ${result.budgetMs} ms)`,
);
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/parse.json'), `${JSON.stringify(result, null, 2)}\n`);
rmSync(tmp, { recursive: true, force: true });
if (requests !== 10_000) {
  console.error(`parse bench: expected 10000 requests, got ${requests}`);
  process.exitCode = 1;
}
