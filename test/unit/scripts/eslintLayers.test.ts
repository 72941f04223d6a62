// The layer rule in eslint.config.mjs: `vscode` may be imported in the glue (src/editor/, src/panel/,
// src/extension.ts) and nowhere else.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../../..');

async function restricted(file: string, text: string): Promise<boolean> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, file) });
  return result.messages.some((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
}

describe('eslint: no vscode below the glue', function () {
  this.timeout(60000);
  const value = "import * as vscode from 'vscode';\nexport const x = vscode.version;\n";
  const type = "import type { Uri } from 'vscode';\nexport type U = Uri;\n";

  it('fails an import of vscode, a type-only one too, in the plain layers', async () => {
    for (const f of [
      'src/view/x.ts',
      'src/wire/x.ts',
      'src/cli/x.ts',
      'src/shared/x.ts',
      'src/language/x.ts',
      'src/annotate/x.ts',
      'media/webview/x.ts',
    ]) {
      assert.equal(await restricted(f, value), true, f);
    }
    assert.equal(await restricted('src/wire/y.ts', type), true, 'type-only');
  });

  it('allows it in src/editor/, src/panel/ and src/extension.ts', async () => {
    for (const f of ['src/editor/x.ts', 'src/panel/x.ts', 'src/extension.ts']) assert.equal(await restricted(f, value), false, f);
  });
});
