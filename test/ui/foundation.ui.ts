// The foundation's UI test: in the real workbench with the packaged VSIX, click Send Request and see the panel.
import * as assert from 'node:assert/strict';
import { codeLenses, openFile, openWorkbench, panelFrame, screenshot, ui, writeWorkspaceFile } from './support';

describe('Send Request in the workbench (packaged VSIX)', () => {
  it('shows a Send Request CodeLens per request and opens the panel with the status line', async () => {
    const page = await openWorkbench();
    writeWorkspaceFile(
      'ui/foundation.http',
      `# Written by the UI test\nGET ${ui().demoUrl}/json\nAccept: application/json\n\n###\n\nGET ${ui().demoUrl}/status/418\n`,
    );
    await openFile('ui/foundation.http');
    const lenses = codeLenses(page);
    await lenses.first().waitFor({ timeout: 60_000 });
    assert.equal(await lenses.count(), 2);
    await lenses.first().click();
    const frame = await panelFrame('#status-line');
    const status = (await frame.locator('#status-line').textContent()) ?? '';
    assert.match(status, /200/);
    assert.match(status, /OK/);
    const headers = await frame.locator('#response-headers').textContent();
    assert.match(headers ?? '', /Content-Type/i);
    await page.waitForTimeout(500);
    await screenshot('foundation-send-request');
  });
});
