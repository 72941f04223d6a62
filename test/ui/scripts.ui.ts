// Scripts and tests in the real workbench (packaged VSIX): the panel's Tests section after Send Request, and the
// Test Explorer after Run All, with screenshots for the README (WIRELENS_UPDATE_SCREENSHOTS=1).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeLenses, openFile, openWorkbench, panelFrame, runCommand, screenshot, ui, writeWorkspaceFile } from './support';

function keep(file: string): void {
  if (process.env.WIRELENS_UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(ui().root, 'media', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, path.basename(file)));
}

describe('scripts and tests in the workbench', () => {
  it('shows the Tests section in the panel: passes, a failure with expected and actual, logs, globals', async () => {
    const page = await openWorkbench();
    const d = ui().demoUrl;
    writeWorkspaceFile(
      'ui/tests.http',
      [
        '### checks',
        `GET ${d}/status/500`,
        '?? status == 200',
        '?? header content-type exists',
        '',
        '> {%',
        '  client.global.set("lastStatus", String(response.status));',
        '  client.log("server answered", response.status);',
        '  client.test("answers", function () {',
        '    client.assert(response.status > 0, "no status");',
        '  });',
        '  client.test("no server error", function () {',
        '    client.assert(response.status < 500, "server error " + response.status);',
        '  });',
        '%}',
        '',
        '### json',
        `GET ${d}/json`,
        '?? status == 200',
        '?? header content-type includes json',
        '',
      ].join('\n'),
    );
    await openFile('ui/tests.http');
    const lenses = codeLenses(page);
    await lenses.first().waitFor({ timeout: 60_000 });
    await lenses.nth(0).click();
    const frame = await panelFrame('#section-tests');
    const text = (await frame.locator('#section-tests').textContent()) ?? '';
    assert.match(text, /no server error/);
    assert.match(text, /server error 500/);
    assert.match(text, /Expected/);
    assert.match(text, /server answered 500/);
    assert.match(text, /lastStatus/);
    await frame.locator('#section-tests').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(800);
    keep(await screenshot('panel-tests'));
  });

  it('lists the workspace in the Test Explorer and runs a file from it', async () => {
    const page = await openWorkbench();
    await openFile('ui/tests.http');
    await runCommand('Testing: Focus on Test Explorer View');
    await page.locator('.test-explorer .monaco-list-row', { hasText: 'tests.http' }).first().waitFor({ timeout: 60_000 });
    // The file's requests only: Run All would also run the examples and the other UI tests' files, whose exchanges
    // would go on replacing the panel of the tests that follow.
    await runCommand('Test: Run Tests in Current File');
    const row = page.locator('.test-explorer .monaco-list-row', { hasText: 'tests.http' }).first();
    await row.locator('.codicon-testing-failed-icon').waitFor({ timeout: 90_000 });
    const expanded = await row.getAttribute('aria-expanded');
    if (expanded === 'false') await row.click();
    await page
      .locator('.test-explorer .monaco-list-row', { hasText: 'checks' })
      .locator('.codicon-testing-failed-icon')
      .first()
      .waitFor({ timeout: 30_000 });
    await page
      .locator('.test-explorer .monaco-list-row', { hasText: 'json' })
      .locator('.codicon-testing-passed-icon')
      .first()
      .waitFor({ timeout: 30_000 });
    // Other files are listed, not run.
    assert.ok((await page.locator('.test-explorer .monaco-list-row', { hasText: 'basics.http' }).count()) >= 1, 'the examples are listed');
    await page.waitForTimeout(1000);
    keep(await screenshot('test-explorer'));
  });
});
