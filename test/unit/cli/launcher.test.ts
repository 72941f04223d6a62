// The CLI launcher (dist/cli.js): the build writes V8's code cache for the bundle and the launcher's Node accepts
// it; a cache that does not belong to the bundle (another build id, damaged, missing) only costs a compile.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { ROOT } from '../support/cli';
import { main } from '../../../src/cli/main';
import { warmUp } from '../../../src/cli/warmUp';

const DIST = path.join(ROOT, 'dist');
const BUNDLE = path.join(DIST, 'cli-bundle.js');

function splitCache(file: string): { header: string; data: Buffer } {
  const c = fs.readFileSync(file);
  const nl = c.indexOf(10);
  return { header: c.toString('latin1', 0, nl), data: c.subarray(nl + 1) };
}

/** A copy of the launcher and the bundle (and the cache, as `cache` says) in a fresh directory. */
function copyDist(cache: (file: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-launcher-'));
  for (const f of ['cli.js', 'cli-bundle.js', 'cli-bundle.js.cache', 'quickjs.wasm']) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  cache(path.join(dir, 'cli-bundle.js.cache'));
  return dir;
}

function help(dir: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), '--help'], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: the launcher and its code cache', () => {
  it('the build tags the bundle and its cache with one build id, and this Node accepts the cache', () => {
    const id = /\n\/\/# wirelens-build=([0-9a-f]+)\s*$/.exec(fs.readFileSync(BUNDLE, 'utf8'))?.[1];
    assert.ok(id, 'the bundle ends with its build id (run `npm run build`)');
    const { header, data } = splitCache(`${BUNDLE}.cache`);
    const source = fs.readFileSync(BUNDLE, 'utf8');
    const ascii = !/[^\x00-\x7f]/.test(source);
    assert.equal(header, `wirelens-code-cache-1 ${id} ${ascii ? 'ascii' : 'utf8'}`);
    // The launcher's wrapper and file name, exactly: V8 checks the source and the flags.
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
      filename: BUNDLE,
      cachedData: data,
    });
    assert.equal(script.cachedDataRejected, false);
  });

  it('runs the CLI from the cache, and without it when the cache is missing, of another build or damaged', () => {
    const cases: [string, (file: string) => void][] = [
      ['as built', () => {}],
      ['missing', (f) => fs.rmSync(f)],
      ['of another build', (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from('wirelens-code-cache-1 0123456789abcdef\n'), splitCache(f).data]))],
      ['truncated', (f) => fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 4096))],
      ['only a header', (f) => fs.writeFileSync(f, `${splitCache(f).header}\n`)],
    ];
    for (const [what, damage] of cases) {
      const dir = copyDist(damage);
      try {
        const r = help(dir);
        assert.equal(r.status, 0, `${what}: ${r.stderr}`);
        assert.match(r.stdout, /Usage: wirelens <command>/, what);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('the warm-up before the cache is written runs every command it names to a successful end', async () => {
    const runs: [string, number][] = [];
    await warmUp(async (argv, io) => {
      const code = await main(argv, io);
      runs.push([argv.filter((a) => !a.includes('/')).join(' '), code]);
      return code;
    });
    assert.ok(runs.length >= 5, JSON.stringify(runs));
    for (const [what, code] of runs) assert.equal(code, 0, what);
  });

  it('a bundle without a build id (as --watch writes it) runs, compiled as usual', () => {
    const dir = copyDist(() => {});
    try {
      const b = path.join(dir, 'cli-bundle.js');
      fs.writeFileSync(b, fs.readFileSync(b, 'utf8').replace(/\n\/\/# wirelens-build=[0-9a-f]+\s*$/, '\n'));
      const r = help(dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Usage: wirelens <command>/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
