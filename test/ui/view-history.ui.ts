// The History view in the workbench (packaged VSIX in code-server): two sends are listed under Today in the
// Wire Lens activity-bar container, and comparing them opens VS Code's diff editor. Screenshots of both for the
// README (WIRELENS_UPDATE_SCREENSHOTS=1 copies them to media/screenshots).
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

describe('history view in the workbench', () => {
  it('lists sent requests under Today and compares two in the diff editor', async () => {
    const page = await openWorkbench();
    const d = ui().demoUrl;
    writeWorkspaceFile(
      'ui/history.http',
      [
        '# History view UI test',
        `POST ${d}/echo`,
        'Content-Type: application/json',
        '',
        '{"user": "ada", "plan": "free", "seats": 1}',
        '',
        '###',
        '',
        `POST ${d}/echo`,
        'Content-Type: application/json',
        '',
        '{"user": "ada", "plan": "team", "seats": 5}',
        '',
        '###',
        '',
        `GET ${d}/status/404`,
        '',
      ].join('\n'),
    );
    await runCommand('View: Close All Editors');
    await openFile('ui/history.http');
    const lenses = codeLenses(page);
    await lenses.first().waitFor({ timeout: 60_000 });
    for (let i = 0; i < 3; i++) {
      await codeLenses(page).nth(i).click();
      await page.waitForTimeout(1500);
    }
    // The Wire Lens container in the activity bar, with its History view.
    await page.locator('.activitybar .action-item a[aria-label^="Wire Lens"]').first().click();
    const rows = page.locator('.pane-body .monaco-list-row', { hasText: '/echo' });
    await rows.first().waitFor({ timeout: 30_000 });
    assert.ok((await rows.count()) >= 2, 'both POSTs are listed');
    await page.locator('.pane-body .monaco-list-row', { hasText: 'Today' }).first().waitFor();
    await page.locator('.pane-body .monaco-list-row', { hasText: '/status/404' }).first().waitFor();
    await runCommand('View: Close All Editors');
    await page.waitForTimeout(500);
    keep(await screenshot('history-view'));

    // Select the two POSTs (click, then Ctrl+click) and compare them.
    await rows.nth(0).click();
    await rows.nth(1).click({ modifiers: ['Control'] });
    await runCommand('Wire Lens History: Compare');
    const diff = page.locator('.monaco-diff-editor');
    await diff.first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-diff-editor .line-insert, .monaco-diff-editor .char-insert').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    keep(await screenshot('history-diff'));
    await runCommand('View: Close All Editors');
    // Back to the Explorer for whatever runs next.
    await runCommand('View: Show Explorer');
  });

  it('still lists a sent request after Developer: Reload Window, and reopens it in the panel as it was', async () => {
    const page = await openWorkbench();
    const d = ui().demoUrl;
    // A path no other test sends, so the row found after the reload can only be this exchange.
    const target = `/json?history-reload=${Date.now()}`;
    writeWorkspaceFile('ui/history-reload.http', ['# History after a window reload', `GET ${d}${target}`, 'Accept: application/json', ''].join('\n'));
    await runCommand('View: Close All Editors');
    await openFile('ui/history-reload.http');
    await codeLenses(page).first().waitFor({ timeout: 60_000 });
    await codeLenses(page).first().click();
    const sent = await panelFrame('#status-line', 60_000);
    await sent.locator('#status-line', { hasText: '200' }).waitFor({ timeout: 30_000 });
    // No panel is left to be restored by its serializer: what shows after the reload comes from the history.
    await runCommand('View: Close All Editors');
    await page.waitForTimeout(1000);

    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.tabs-container .tab').count(), 0, 'no editor or panel came back by itself');

    // The new window's History view reads the workspace storage and lists the exchange.
    await page.locator('.activitybar .action-item a[aria-label^="Wire Lens"]').first().click();
    const row = page.locator('.pane-body .monaco-list-row', { hasText: target });
    try {
      await row.first().waitFor({ timeout: 60_000 });
    } catch (e) {
      await screenshot('debug-history-reload');
      throw e;
    }
    assert.match((await row.first().textContent()) ?? '', /200/);
    // Clicking it opens the panel with the exchange as it was recorded: status, headers, body, request line.
    await row.first().click();
    const frame = await panelFrame('#status-line', 60_000);
    assert.match((await frame.locator('#status-line').textContent()) ?? '', /HTTP\/1\.1 200 OK/);
    assert.match((await frame.locator('#response-headers').textContent()) ?? '', /Content-Type/);
    const whole = (await frame.locator('body').textContent()) ?? '';
    assert.ok(whole.includes(target.split('?')[1]), 'the request as sent is shown');
    // Nothing was sent again: the panel shows the recorded exchange.
    assert.equal(await page.locator('.statusbar-item', { hasText: /200 in \d+ ms/ }).count(), 0, 'nothing was sent since the reload');
    await page.waitForTimeout(800);
    await screenshot('history-after-reload');
    await runCommand('View: Close All Editors');
    await runCommand('View: Show Explorer');
  });
});
