// The `wirelens` command's first file (dist/cli.js, bundled alone): it runs the CLI bundle (dist/cli-bundle.js)
// from V8's code cache written at build time (dist/cli-bundle.js.cache), so that a start does not parse and
// compile two megabytes of JavaScript again: Node 20 has no module.enableCompileCache. The bundle runs exactly as
// if it were this file (same require, module, __filename, __dirname). Whatever does not match (another Node or
// V8 flags, a bundle rebuilt without its cache, a missing or damaged cache) is compiled as usual.
// Named imports: a namespace import would make esbuild copy each module's exports at every start.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';

const BUNDLE = join(__dirname, 'cli-bundle.js');
const CACHE = `${BUNDLE}.cache`;
/**
 * First line of the cache file: this tag, the bundle's build id (a hash of its contents, written by the build) and
 * `ascii` when every byte of the bundle is (then it is read as latin1, four times cheaper than UTF-8) or `utf8`.
 */
const TAG = 'wirelens-code-cache-1';
const BUILD_ID = /\n\/\/# wirelens-build=([0-9a-f]{16,64})\s*$/;

interface Bundle {
  /** The bundle's source inside the CommonJS wrapper. */
  wrapped: string;
  /** Its build id (null: built without one, as --watch does). */
  id: string | null;
  /** V8's code for it, when the cache belongs to this very bundle. */
  cachedData?: Buffer;
  ascii: boolean;
}

const wrap = (source: string): string => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

function readBundle(withCache: boolean): Bundle {
  const raw = readFileSync(BUNDLE);
  const id = BUILD_ID.exec(raw.toString('latin1', Math.max(0, raw.length - 200)))?.[1] ?? null;
  let cachedData: Buffer | undefined;
  let ascii = false;
  if (withCache && id !== null) {
    try {
      const c = readFileSync(CACHE);
      const nl = c.indexOf(10);
      const [tag, of, encoding] = c.toString('latin1', 0, Math.max(0, nl)).split(' ');
      if (nl > 0 && tag === TAG && of === id) {
        cachedData = c.subarray(nl + 1);
        ascii = encoding === 'ascii';
      }
    } catch {
      /* no cache: compiled as usual */
    }
  }
  return { wrapped: wrap(raw.toString(ascii ? 'latin1' : 'utf8')), id, cachedData, ascii };
}

type Wrapper = (exports: unknown, req: NodeJS.Require, mod: NodeJS.Module, filename: string, dirname: string) => void;

function run(script: Script, mod: { exports: unknown }): void {
  const fn = script.runInThisContext() as Wrapper;
  fn.call(mod.exports, mod.exports, require, mod as NodeJS.Module, __filename, __dirname);
}

/**
 * The build step: compiles the bundle, runs its top level (modules initialised; the CLI's main does not start, as
 * `module` is not the main module) and its warm-up (every subcommand, tiny sends to loopback servers), and writes
 * the code V8 has compiled by then, tagged with the build id. Run in a plain `node` process, so that its V8 flags
 * are those of a `wirelens` start.
 */
export async function writeCompileCache(): Promise<{ bytes: number }> {
  const { wrapped, id } = readBundle(false);
  if (id === null) throw new Error(`${BUNDLE} has no build id line: the build appends it before writing the cache`);
  const ascii = !/[^\x00-\x7f]/.test(wrapped);
  const script = new Script(wrapped, { filename: BUNDLE });
  const mod = { exports: {} as { warmUpForCodeCache?: () => Promise<void> } };
  run(script, mod);
  await mod.exports.warmUpForCodeCache?.();
  const data = script.createCachedData();
  writeFileSync(CACHE, Buffer.concat([Buffer.from(`${TAG} ${id} ${ascii ? 'ascii' : 'utf8'}\n`, 'latin1'), data]));
  return { bytes: data.length };
}

if (require.main === module) {
  const { wrapped, cachedData } = readBundle(true);
  run(new Script(wrapped, { filename: BUNDLE, cachedData }), module);
}
