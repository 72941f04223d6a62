// The integration suite's entry, as @vscode/test-electron loads it: `run()` settles when mocha is done.
// Runs inside the VS Code extension host (desktop, or code-server through scripts/run-vscode-tests.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.test.js') ? [p] : [];
  });
}

export async function run(): Promise<void> {
  // The spec reporter prints through console.log, which the extension host forwards to the runner.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.WIRELENS_GREP;
  if (grep) mocha.grep(grep);
  const files = findTests(path.join(__dirname, 'suite')).sort();
  if (files.length === 0) throw new Error('no integration tests found');
  for (const f of files) mocha.addFile(f);
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = runner.stats?.passes ?? 0;
      console.log(`integration: ${passed} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
