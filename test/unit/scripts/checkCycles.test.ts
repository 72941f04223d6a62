// scripts/check-cycles.mjs (run by npm test): it must fail on an import cycle, type-only ones included, and pass
// the project as it is.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const SCRIPT = path.join(ROOT, 'scripts/check-cycles.mjs');

function check(root: string, ...dirs: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, '--root', root, ...dirs], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-cycles-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('scripts/check-cycles: the import-cycle check', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('fails on a cycle through a type-only import and a folder index, naming the files in order', () => {
    const d = tree({
      'src/a.ts': "import type { B } from './lib';\nexport type A = B;\n",
      'src/lib/index.ts': "export { c } from './c';\nexport type B = string;\n",
      'src/lib/c.ts': "import type { A } from '../a';\nexport const c: A | 1 = 1;\n",
      'src/ok.ts': "import { c } from './lib/c';\nexport const ok = c;\n",
    });
    dirs.push(d);
    const r = check(d, 'src');
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /1 import cycle:/);
    assert.match(r.stderr, /src\/a\.ts → src\/lib\/index\.ts → src\/lib\/c\.ts → src\/a\.ts/);
    assert.doesNotMatch(r.stderr, /ok\.ts/);
  });

  it('passes a tree whose imports only go one way', () => {
    const d = tree({
      'src/a.ts': "import { b } from './b';\nimport * as fs from 'node:fs';\nexport const a = b + String(fs);\n",
      'src/b.ts': 'export const b = 1;\n',
    });
    dirs.push(d);
    const r = check(d, 'src');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no import cycle among 2 files/);
  });

  it('finds no cycle in Wire Lens itself (src and the webview)', () => {
    const r = check(ROOT);
    assert.equal(r.status, 0, r.stderr);
  });
});
