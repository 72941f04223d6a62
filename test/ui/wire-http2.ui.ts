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

  it('shows every frame of a long stream: DATA grouped, opened page by page', async () => {
    const h2 = ui().demoH2Url;
    assert.ok(h2, 'the demo origin runs its HTTP/2 listener');
    const page = await openWorkbench();
    // 8 MB: about 490 DATA frames of 16 KiB, more than a page of 400.
    writeWorkspaceFile('ui/http2-long.http', ['# A long HTTP/2 stream', '# @insecure', `GET ${h2}/bytes/8000000 HTTP/2`, ''].join('\n'));
    await openFile('ui/http2-long.http');
    await codeLenses(page).first().click();
    const frame = await panelFrame('#section-frames .frame-group-row');
    const group = frame.locator('#section-frames .frame-group-row').first();
    const title = (await group.locator('.frame-type').textContent()) ?? '';
    const m = /^DATA ×([\d,]+)$/.exec(title.trim());
    assert.ok(m, `a DATA group row: ${title}`);
    const count = Number(m[1].replace(/,/g, ''));
    assert.ok(count > 400, `more DATA frames than a page: ${count}`);
    assert.match((await group.textContent()) ?? '', /16 KiB each/);
    await group.locator('.disclosure-toggle').first().click();
    const members = group.locator('.frame-group-members .frame-row');
    await members.nth(399).waitFor({ timeout: 10_000 });
    assert.equal(await members.count(), 400, 'one page of 400 frames drawn');
    const next = group.locator('.frame-next');
    assert.match((await next.textContent()) ?? '', new RegExp(`Show next ${Math.min(400, count - 400)}`));
    await group.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(300);
    await screenshot('panel-http2-long-stream');
    await next.click();
    await members.nth(Math.min(799, count - 1)).waitFor({ timeout: 10_000 });
    assert.equal(await members.count(), Math.min(800, count));
    // The last frame of the group, opened: its offset and its place in the record.
    const last = members.last();
    await last.locator('.disclosure-toggle').click();
    const facts = (await last.locator('.frame-detail').textContent()) ?? '';
    assert.match(facts, /Offset/);
    await last.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(300);
    await screenshot('panel-http2-long-stream-end');
    await runCommand('View: Close All Editors');
  });
});
