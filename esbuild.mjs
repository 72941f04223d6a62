// Bundles the extension, the CLI, the demo origin and the webview script.
// `node esbuild.mjs` builds once; `--watch` rebuilds on change; `--production` minifies without source maps.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  // The QuickJS variant imports its Emscripten module with import(); bundled as CommonJS it must get the .cjs
  // build (the .mjs one reads import.meta.url, which a CommonJS bundle does not have).
  alias: { '@jitl/quickjs-wasmfile-release-sync/emscripten-module': './node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.cjs' },
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // The CLI: dist/cli.js is a small launcher that runs dist/cli-bundle.js from V8's code cache (see launcher.ts).
  // Minified (for --production) only after the namespace helper is patched (writeCliCompileCache).
  { ...node, entryPoints: { 'cli-bundle': 'src/cli/main.ts' }, outdir: 'dist', minify: false },
  { ...node, entryPoints: { cli: 'src/cli/launcher.ts' }, outdir: 'dist', sourcemap: false, banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: { 'demo-server': 'src/demo/server.ts' }, outdir: 'dist' },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'info',
    entryPoints: { webview: 'media/webview/main.ts' },
    outdir: 'dist/media',
    loader: { '.css': 'css' },
  },
];

function copyAssets() {
  // Codicons are served from the extension's own folder (the webview may load nothing remote).
  mkdirSync('dist/media', { recursive: true });
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/media/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/media/codicon.ttf');
  cpSync('media/webview/panel.css', 'dist/media/panel.css');
  // The script sandbox (QuickJS as WebAssembly) is loaded from beside the bundles, offline.
  cpSync('node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm', 'dist/quickjs.wasm');
}

/**
 * esbuild turns each `import * as fs from 'node:fs'` into its own copy of the module's namespace (__toESM: one
 * getter per export, 40-odd copies of fs, path, crypto… at every start, 8–14 ms). The copies are read-only views,
 * so one per module serves every importer: the helper is wrapped with a WeakMap. Left alone (with a warning) if
 * esbuild ever writes the helper differently.
 */
function shareNamespaceWrappers(bundle) {
  const src = readFileSync(bundle, 'utf8');
  const def = 'var __toESM = (mod, isNodeMode, target) =>';
  const next = 'var __toCommonJS = ';
  if (src.indexOf(def) < 0 || src.indexOf(next) < src.indexOf(def)) {
    console.warn(`${bundle}: esbuild's __toESM helper not found, namespace copies not shared`);
    return;
  }
  const memo =
    'var __toESM_shared = new WeakMap();\n' +
    'var __toESM = (mod, isNodeMode) => {\n' +
    '  if (isNodeMode || mod === null || typeof mod !== "object" || mod.__esModule) return __toESM_copy(mod, isNodeMode);\n' +
    '  let ns = __toESM_shared.get(mod);\n' +
    '  if (ns === void 0) __toESM_shared.set(mod, (ns = __toESM_copy(mod)));\n' +
    '  return ns;\n' +
    '};\n';
  const patched = src.replace(def, 'var __toESM_copy = (mod, isNodeMode, target) =>').replace(next, `${memo}${next}`);
  writeFileSync(bundle, production ? esbuild.transformSync(patched, { minify: true, target: 'node20', format: 'cjs' }).code : patched);
}

/**
 * The CLI bundle's build id (a hash of its contents, as its last line) and V8's code cache for it, written by the
 * launcher in a plain node process. Not in --watch: a bundle without the id line is compiled as usual.
 */
function writeCliCompileCache() {
  const bundle = 'dist/cli-bundle.js';
  shareNamespaceWrappers(bundle);
  const id = createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 32);
  appendFileSync(bundle, `\n//# wirelens-build=${id}\n`);
  const r = spawnSync(
    process.execPath,
    ['-e', "require('./dist/cli.js').writeCompileCache().then((r) => { process.stdout.write(JSON.stringify(r)); process.exit(0); })"],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) {
    // Only slower starts: the launcher compiles the bundle when there is no cache.
    console.warn(`The CLI's code cache was not written: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    rmSync(`${bundle}.cache`, { force: true });
  }
}

if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  copyAssets();
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
  writeCliCompileCache();
}
