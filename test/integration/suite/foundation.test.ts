// The foundation's first tests: activation, commands, one CodeLens per request, Send Request end to end.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import { api, closeAllEditors, EXTENSION_ID, openFixture, openScratch, waitFor, webviewTabs } from '../support/workbench';

describe('foundation', () => {
  let demo: DemoServer;

  before(async () => {
    demo = await startDemoServer({ tlsPort: null });
  });
  after(async () => {
    await closeAllEditors();
    await demo.close();
  });

  it('activates when an .http file is opened', async () => {
    await openFixture('foundation/blocks.http');
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await waitFor(() => ext.isActive, 'activation');
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'http');
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 10, contributed.join(', '));
    for (const id of ['wirelens.sendRequest', 'wirelens.cancelRequest', 'wirelens.rerunLastRequest', 'wirelens.sendAllRequests', ...contributed]) {
      assert.ok(all.includes(id), `${id} is not registered`);
    }
  });

  it('shows one Send Request CodeLens per request block', async () => {
    const editor = await openFixture('foundation/blocks.http');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return l && l.length > 0 ? l : undefined;
    }, 'CodeLenses');
    const send = lenses.filter((l) => l.command?.command === 'wirelens.sendRequest');
    assert.equal(send.length, 3);
    assert.deepEqual(
      send.map((l) => l.range.start.line),
      [2, 6, 13],
    );
    assert.ok(send.every((l) => l.command?.title === 'Send Request'));
  });

  it('sends the request under the cursor over a socket and opens the panel with the status line', async () => {
    const editor = await openScratch('send.http', `GET ${demo.url}/status/201\nX-Test: foundation\n\n###\n\nGET ${demo.url}/json\n`);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const wl = await api();
    const exchange = await vscode.commands.executeCommand<import('../../../src/shared/exchange').Exchange>('wirelens.sendRequest');
    assert.ok(exchange, 'the command returns the exchange');
    assert.equal(exchange.error, null);
    assert.equal(exchange.response?.status, 201);
    assert.equal(wl.commands.lastExchange?.response?.status, 201);
    const raw = Buffer.from(exchange.request.rawBase64, 'base64').toString('latin1');
    assert.match(raw, /^GET \/status\/201 HTTP\/1\.1\r\n/);
    assert.match(raw, /\r\nX-Test: foundation\r\n/);
    await waitFor(() => webviewTabs().length > 0, 'the response panel');
    const report = await wl.panels.waitForRender((r) => r.view === 'exchange' && /201/.test(r.statusLine ?? ''));
    assert.match(report.statusLine ?? '', /^HTTP\/1\.1 201 Created/);
    assert.ok(
      report.sections.some((sec) => /X-Powered|Content-Type|Date/i.test(sec.text)),
      'the headers section is shown',
    );
  });

  it("shows the whole redirect chain's time in the status bar", async () => {
    await openScratch('redirects.http', `GET ${demo.url}/redirect/2\n`);
    const wl = await api();
    const exchange = await vscode.commands.executeCommand<import('../../../src/shared/exchange').Exchange>('wirelens.sendRequest');
    assert.equal(exchange?.redirects.length, 2);
    const chain = Math.round([...exchange.redirects, exchange].reduce((sum, h) => sum + (h.timings.total ?? 0), 0));
    assert.equal(wl.commands.statusText, `$(pass) 200 in ${chain} ms`);
  });

  it('sends the block the CodeLens points at', async () => {
    const editor = await openScratch('second.http', `GET ${demo.url}/status/404\n\n###\n\nGET ${demo.url}/status/202\n`);
    const exchange = await vscode.commands.executeCommand<import('../../../src/shared/exchange').Exchange>(
      'wirelens.sendRequest',
      editor.document.uri,
      4,
    );
    assert.equal(exchange?.response?.status, 202);
  });
});
