// Restricted Mode in the real workbench: a second code-server with workspace trust on opens a folder nobody trusted
// (the packaged VSIX installed). The folder's .vscode/settings.json sets every restricted setting against the user
// (TLS verification off, a CA and a client certificate, a proxy of its own and VS Code's http.proxy) plus one plain
// setting (User-Agent) as the control that the file is read at all. Shown: the extension is active, requests send,
// scripts do not run and the panel says why, and none of the restricted settings takes effect.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { makeSelfSigned } from '../../src/demo/certs';
import { ui, type ExtraWorkbench } from './support';

const USER_AGENT = 'wirelens-restricted-ui';

function keep(file: string): void {
  if (process.env.WIRELENS_UPDATE_SCREENSHOTS !== '1') return;
  const dir = path.join(ui().root, 'media', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(file, path.join(dir, path.basename(file)));
}

async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(ui().screenshots, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The response panel's webview frame (an iframe in an iframe) once `selector` shows `text` in it. */
async function panel(page: Page, selector: string, text: RegExp, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      try {
        const el = frame.locator(selector);
        if ((await el.count()) === 0) continue;
        seen = (await el.first().textContent()) ?? '';
        if (text.test(seen)) return frame;
      } catch {
        // A frame can go away between listing and querying.
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`the panel did not show ${text} in ${selector} (last seen: ${JSON.stringify(seen.slice(0, 200))})`);
}

describe('Restricted Mode (an untrusted workspace) in the workbench', function () {
  this.timeout(300_000);
  let workbench: ExtraWorkbench;
  let context: BrowserContext;
  let page: Page;
  let folder: string;
  let proxy: net.Server;
  let tlsServer: tls.Server;
  const proxyConnections: string[] = [];
  const clientCertsSeen: string[] = [];
  const tlsRequests: string[] = [];

  before(async () => {
    const { startWorkbench, browser, demoUrl } = ui();
    if (!startWorkbench) throw new Error('the UI runner does not offer startWorkbench');
    // A "proxy" that only records: any connection to it is a workspace proxy setting that took effect.
    proxy = net.createServer((s) => {
      proxyConnections.push(`${s.remoteAddress}:${s.remotePort}`);
      s.destroy();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    // A TLS origin with a self-signed certificate that asks for a client certificate and says which one came.
    const server = await makeSelfSigned();
    const client = await makeSelfSigned({ commonName: 'wirelens-restricted-client' });
    tlsServer = tls.createServer({ key: server.key, cert: server.cert, requestCert: true, rejectUnauthorized: false }, (sock) => {
      sock.on('error', () => undefined);
      const peer = sock.getPeerCertificate();
      const cn = peer && typeof peer.subject === 'object' && peer.subject ? String(peer.subject.CN) : 'none';
      clientCertsSeen.push(cn);
      sock.once('data', (d) => {
        tlsRequests.push(String(d).split('\r\n')[0]);
        const body = `client certificate: ${cn}\n`;
        sock.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
    const tlsPort = (tlsServer.address() as net.AddressInfo).port;

    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-ui-untrusted-'));
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.mkdirSync(path.join(folder, 'certs'));
    const file = (name: string, text: string): string => {
      fs.writeFileSync(path.join(folder, 'certs', name), text);
      return path.join(folder, 'certs', name);
    };
    const settings = {
      'wirelens.insecure': true,
      'wirelens.trustedCertificates': [file('server.pem', server.cert)],
      'wirelens.clientCertificates': { '127.0.0.1': { cert: file('client.pem', client.cert), key: file('client-key.pem', client.key) } },
      'wirelens.proxy': proxyUrl,
      'wirelens.proxyStrictSSL': false,
      'http.proxy': proxyUrl,
      'http.proxyStrictSSL': false,
      // Not restricted: the control that this file is read.
      'wirelens.userAgent': USER_AGENT,
    };
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
    fs.writeFileSync(
      path.join(folder, 'restricted.http'),
      [
        '### scripts',
        `GET ${demoUrl}/json`,
        '?? status == 200',
        '',
        '> {%',
        '  client.global.set("ran", "yes");',
        '  client.test("the script ran", function () { client.assert(true); });',
        '%}',
        '',
        '### a self-signed origin (wirelens.insecure and trustedCertificates from the workspace)',
        `GET https://127.0.0.1:${tlsPort}/verify`,
        '',
        '### a client certificate (wirelens.clientCertificates from the workspace)',
        '# @insecure',
        `GET https://127.0.0.1:${tlsPort}/who`,
        '',
      ].join('\n'),
    );

    workbench = await startWorkbench({
      workspace: folder,
      workspaceTrust: true,
      settings: {
        'security.workspace.trust.enabled': true,
        // No modal at start: the folder simply opens in Restricted Mode, as after "Don't Trust".
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'always',
        'security.workspace.trust.untrustedFiles': 'open',
      },
    });
    context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error(`[ui] restricted page error: ${e.message}`));
    await page.goto(`${workbench.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await workbench?.stop();
    proxy?.close();
    tlsServer?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('the workbench is in Restricted Mode and Wire Lens is active (its CodeLens shows)', async () => {
    await page.getByText('Restricted Mode', { exact: false }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('restricted.http');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'restricted.http' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab[aria-label^="restricted.http"]').first().waitFor();
    await lenses().first().waitFor({ timeout: 90_000 });
    assert.equal(await lenses().count(), 3, 'one Send Request per request');
  });

  it('sends a request, runs no script and says why in the panel; a plain ?? assert is still checked', async () => {
    await lenses().nth(0).click();
    const frame = await panel(page, '#status-line', /200/);
    const tests = await panel(page, '#section-tests', /Scripts were not run/);
    const text = (await tests.locator('#section-tests').textContent()) ?? '';
    assert.match(text, /Restricted Mode/);
    assert.match(text, /trust the workspace/);
    assert.doesNotMatch(text, /the script ran/, 'the script did not run');
    assert.match(text, /status == 200/, 'the plain assert was checked');
    // The workspace's plain setting applies (User-Agent), its proxy settings do not: the request went direct.
    const raw = await frame.evaluate(() => document.body.textContent ?? '');
    assert.match(raw, new RegExp(`User-Agent\\s*:?\\s*${USER_AGENT}`), 'the workspace settings file is read');
    assert.doesNotMatch(raw, /Via proxy/);
    assert.deepEqual(proxyConnections, [], 'no connection reached the proxy the workspace named');
    // The panel's sticky summary covers the top of the view: bring the "not run" line to the middle.
    await tests.locator('#section-tests .tests-not-run').evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(800);
    keep(await shot(page, 'restricted-mode'));
  });

  it("ignores the workspace's wirelens.insecure and trustedCertificates: a self-signed origin is refused", async () => {
    await lenses().nth(1).click();
    const frame = await panel(page, '#error-title', /self-signed|trust|certificate/i);
    assert.ok(frame);
    assert.deepEqual(tlsRequests, [], 'no request bytes reached the origin');
    await page.waitForTimeout(500);
    await shot(page, 'restricted-mode-tls');
  });

  it("ignores the workspace's wirelens.clientCertificates: no client certificate is presented", async () => {
    await lenses().nth(2).click();
    await panel(page, '#section-body', /client certificate: none/);
    assert.deepEqual(tlsRequests, ['GET /who HTTP/1.1']);
    assert.ok(!clientCertsSeen.includes('wirelens-restricted-client'), `certificates the origin saw: ${clientCertsSeen.join(', ')}`);
    assert.deepEqual(proxyConnections, [], 'still no connection to the proxy');
  });

  function lenses() {
    return page.locator('.editor-instance .monaco-editor .codelens-decoration a', { hasText: 'Send Request' });
  }
});
