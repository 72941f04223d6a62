// Socket blocks in the real workbench (packaged VSIX in code-server): Connect on the lecture's time server shows
// its transcript; a WebSocket block stays live, a message typed into the panel goes out and comes back, and the
// Close button closes with the code entered. Screenshots of both for the README.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { codeLenses, openFile, openWorkbench, panelFrame, screenshot, ui, writeWorkspaceFile } from './support';

function keep(file: string): void {
  if (process.env.WIRELENS_UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(ui().root, 'media', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, path.basename(file)));
}

async function transcript(frame: Frame): Promise<string> {
  return (await frame.locator('#transcript-list').textContent()) ?? '';
}

async function until(probe: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('socket blocks in the workbench', () => {
  it("Connect on the lecture's time server shows the time it sent and that it closed", async () => {
    const page = await openWorkbench();
    const http = new URL(ui().demoUrl);
    assert.ok(ui().demoTimePort, 'the demo runs the time server');
    writeWorkspaceFile(
      'ui/sockets.http',
      [
        "### The lecture's time server",
        '# connect() to the time server; recv() until it closes.',
        `TCP 127.0.0.1:${ui().demoTimePort}`,
        '',
        '### WebSocket echo',
        `WEBSOCKET ws://${http.host}/ws`,
        'Sec-WebSocket-Protocol: echo',
        '',
        '===',
        '{ "message": "Hello, server!" }',
        '=== wait-for-server',
        '',
      ].join('\n'),
    );
    await openFile('ui/sockets.http');
    const lenses = codeLenses(page, 'Connect');
    await lenses.first().waitFor({ timeout: 60_000 });
    assert.equal(await codeLenses(page, 'Send Request').count(), 0, 'socket blocks say Connect');
    await lenses.nth(0).click();
    const frame = await panelFrame('#transcript-list .msg.received');
    assert.match(await transcript(frame), /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}/);
    await until(async () => /the peer closed the connection/.test((await frame.locator('.transcript-summary').textContent()) ?? ''), 'the close');
    // The transcript is the raw exchange of a TCP block: no HTTP request to copy as cURL, no separate raw bytes.
    const done = await panelFrame('.summary-actions');
    assert.equal(await done.locator('.summary-actions button', { hasText: 'Copy as cURL' }).count(), 0, 'no Copy as cURL for TCP');
    assert.equal(await done.locator('#section-raw').count(), 0, 'no Raw Exchange section for TCP');
    await until(async () => /TCP closed in \d+ ms/.test((await page.locator('.statusbar').textContent()) ?? ''), 'the status bar');
    await page.waitForTimeout(500);
    keep(await screenshot('sockets-time-server'));
  });

  it('a WebSocket block stays live: a message typed in the panel is echoed, Close sends the code entered', async () => {
    const page = await openWorkbench();
    await codeLenses(page, 'Connect').nth(1).click();
    const frame = await panelFrame('#socket-input');
    await until(
      async () => /Hello, server!/.test(await transcript(frame)) && (await frame.locator('#transcript-list .msg.received').count()) >= 1,
      'the first echo',
    );
    await frame.locator('#socket-input').fill('typed in the panel');
    await frame.locator('#socket-send').click();
    await until(
      async () => (await frame.locator('#transcript-list .msg.received', { hasText: 'typed in the panel' }).count()) === 1,
      'the echo of the typed message',
    );
    await page.waitForTimeout(500);
    keep(await screenshot('sockets-websocket-live'));
    await frame.locator('#socket-close-code').fill('4000');
    await frame.locator('#socket-close-reason').fill('bye');
    await frame.locator('#socket-close').click();
    const closed = await panelFrame('.transcript-summary');
    await until(
      async () => /Wire Lens's close: 4000 Private use/.test((await closed.locator('.transcript-summary').textContent()) ?? ''),
      'the closed transcript',
    );
    assert.equal(await closed.locator('#socket-input').count(), 0, 'no input once closed');
    await page.waitForTimeout(500);
    keep(await screenshot('sockets-websocket-closed'));
  });
});
