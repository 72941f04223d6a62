// docs/architecture.md must stay true to the code: every file or folder it names exists, unless that line marks
// it planned, and every error-code group it lists is one of the table's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_GROUPS } from '../../../src/shared/errorCodes';

const ROOT = path.resolve(__dirname, '../../../..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');

describe('docs/architecture.md', () => {
  it('names only files and folders that exist (planned ones aside)', () => {
    const missing: string[] = [];
    let named = 0;
    for (const line of DOC.split('\n')) {
      for (const m of line.matchAll(/`((?:src|test|media|scripts|bench|docs)\/[\w./-]*)`/g)) {
        // A path written right before "(*planned*" is a place reserved for a coming issue.
        const after = line.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 14);
        if (/^\s*\(\*planned/.test(after)) continue;
        named++;
        if (!fs.existsSync(path.join(ROOT, m[1]))) missing.push(m[1]);
      }
    }
    assert.ok(named >= 40, `only ${named} paths named`);
    assert.deepEqual(missing, []);
  });

  it('lists every error-code group of the table, and no other', () => {
    const section = DOC.slice(DOC.indexOf('## Error codes'), DOC.indexOf('## Tests'));
    const listed = [...section.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual([...listed].sort(), Object.keys(ERROR_GROUPS).sort());
  });

  it('names an entry point for each layer', () => {
    for (const entry of [
      'src/language/index.ts',
      'src/wire/index.ts',
      'src/annotate/index.ts',
      'src/view/viewModel.ts',
      'src/cli/main.ts',
      'src/panel/panelManager.ts',
      'media/webview/main.ts',
      'src/pipeline.ts',
    ]) {
      assert.ok(DOC.includes(`\`${entry}\``), entry);
    }
  });
});
