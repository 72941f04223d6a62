// Bundles the extension, the CLI, the demo origin and the webview script.
// `node esbuild.mjs` builds once; `--watch` rebuilds on change; `--production` minifies without source maps.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

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
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
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

if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  copyAssets();
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  copyAssets();
}
