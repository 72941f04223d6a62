// The cookie jar in a real editor: Send All carries a cookie from one request to the next, Clear Cookies forgets it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import type { Exchange } from '../../../src/shared/exchange';
import { api, closeAllEditors, openScratch } from '../support/workbench';

describe('cookies', () => {
  let demo: DemoServer;

  before(async () => {
    await api();
    demo = await startDemoServer({ tlsPort: null });
  });
  after(async () => {
    await vscode.commands.executeCommand('wirelens.clearCookies');
    await closeAllEditors();
    await demo.close();
  });

  it('Send All: the cookie the first response sets is sent with the second request; Clear Cookies forgets it', async () => {
    await vscode.commands.executeCommand('wirelens.clearCookies');
    const editor = await openScratch('cookies.http', `GET ${demo.url}/cookies/set?a=1\n\n###\n\nGET ${demo.url}/cookies\n`);
    const exchanges = await vscode.commands.executeCommand<Exchange[]>('wirelens.sendAllRequests', editor.document.uri);
    assert.equal(exchanges.length, 2);
    const raw = Buffer.from(exchanges[1].request.rawBase64, 'base64').toString('utf8');
    assert.match(raw, /\r\nCookie: a=1\r\n/);
    assert.deepEqual(JSON.parse(exchanges[1].response?.body.text ?? 'null'), { cookies: 'a=1' });

    const wl = await api();
    assert.equal(wl.commands.cookieJar.size, 1);
    await vscode.commands.executeCommand('wirelens.clearCookies');
    assert.equal(wl.commands.cookieJar.size, 0);
    const again = await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 4);
    assert.deepEqual(JSON.parse(again.response?.body.text ?? 'null'), { cookies: null });
  });
});
