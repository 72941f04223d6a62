// HTTP/2 in the real workbench (named to run after panel.ui: it changes the panel's remembered sections): the lecture's GET / → 302 /posts → 200 over h2 against the demo origin, the status
// line as HTTP/2 prints it, and the Frames section with a header block's HPACK coding opened. Screenshots for the
// README (kept with WIRELENS_UPDATE_SCREENSHOTS=1).
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

describe('HTTP/2 in the workbench', () => {
  it("shows the lecture's 302 → /posts → 200 over HTTP/2 with its frames", async () => {
    const h2 = ui().demoH2Url;
    assert.ok(h2, 'the demo origin runs its HTTP/2 listener');
    const page = await openWorkbench();
    writeWorkspaceFile('ui/http2.http', ['# The lecture, over HTTP/2', '# @insecure', `GET ${h2}/ HTTP/2`, ''].join('\n'));
    await openFile('ui/http2.http');
    await codeLenses(page).first().click();
    const frame = await panelFrame('#section-frames');
    assert.equal((await frame.locator('#status-line').textContent())?.trim(), 'HTTP/2 200');
    assert.match((await frame.locator('#section-redirects').textContent()) ?? '', /302/);
    // Collapse the body so the status, headers and redirect chain fit in one picture.
    await frame.locator('#section-body .section-toggle').click();
    await page.waitForTimeout(300);
    keep(await screenshot('panel-http2'));
    // The response HEADERS frame of stream 1, opened: each field with its HPACK coding and sizes.
    const row = frame
      .locator('#section-frames .frame-row', { hasText: ':status' })
      .filter({ has: frame.locator('.frame-received') })
      .first();
    await row.locator('.disclosure-toggle').click();
    await frame.locator('#section-frames .hpack-fields').first().waitFor({ timeout: 10_000 });
    const table = (await frame.locator('#section-frames .hpack-fields').first().textContent()) ?? '';
    assert.match(table, /:status/);
    assert.match(table, /static/);
    await frame.locator('#section-frames').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    keep(await screenshot('panel-http2-frames'));
    // Leave the workbench as found: the body section open again (the panel remembers it), no editor open.
    await frame.locator('#section-body .section-toggle').click();
    await runCommand('View: Close All Editors');
  });
});
