// The History view in a real editor: an exchange is listed after a send, survives a reload of the storage
// (what a new window reads), opens in the panel as it was, and two of them open a diff editor. The real window
// reload (Developer: Reload Window, then the History view of the new window) is in test/ui/view-history.ui.ts:
// a reload ends the extension host these tests run in.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import type { Exchange } from '../../../src/shared/exchange';
import { HISTORY_SCHEME } from '../../../src/editor/history';
import { api, closeAllEditors, openScratch, waitFor } from '../support/workbench';

describe('history', () => {
  let demo: DemoServer;

  before(async () => {
    await api();
    demo = await startDemoServer({ tlsPort: null });
    await vscode.commands.executeCommand('wirelens.history.clear');
  });
  after(async () => {
    await closeAllEditors();
    await demo.close();
  });

  it('lists an exchange after a send, with method, URL and status, grouped under Today', async () => {
    const wl = await api();
    const editor = await openScratch('history.http', `GET ${demo.url}/json\n\n###\n\nGET ${demo.url}/status/404\n`);
    const ex = await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 0);
    assert.equal(ex.response?.status, 200);
    const items = await waitFor(() => wl.history.store.list().length >= 1 && wl.history.store.list(), 'the history entry');
    assert.equal(items[0].method, 'GET');
    assert.equal(items[0].url, `${demo.url}/json`);
    assert.equal(items[0].status, 200);
    assert.equal(items[0].source?.line, 0);
    const days = wl.history.tree.getChildren();
    assert.equal(days[0].kind === 'day' && days[0].label, 'Today');
    const rows = wl.history.tree.getChildren(days[0]);
    const row = wl.history.tree.getTreeItem(rows[0]);
    assert.equal(row.label, 'GET /json');
    assert.match(String(row.description), new RegExp(`· ${new URL(demo.url).host}$`));
    assert.match(String(row.description), /^200 · /);
    // The view is in the activity bar's Wire Lens container and can be shown.
    await vscode.commands.executeCommand('wirelens.history.focus');
  });

  it('reopens an entry after the storage is read again (what a new window reads), in the panel as it was', async () => {
    const wl = await api();
    const before = wl.history.store.list().map((i) => i.id);
    await wl.history.reload();
    assert.deepEqual(
      wl.history.store.list().map((i) => i.id),
      before,
      'the same entries after a reload',
    );
    const shown = await vscode.commands.executeCommand<Exchange>('wirelens.history.open', before[0]);
    assert.equal(shown.response?.status, 200);
    const report = await wl.panels.waitForRender((r) => r.view === 'exchange' && /200/.test(r.statusLine ?? ''));
    assert.match(report.statusLine ?? '', /200 OK/);
  });

  it('filters, compares two entries in a diff editor, deletes one and clears all', async () => {
    const wl = await api();
    const editor = await openScratch('history.http', `GET ${demo.url}/json\n\n###\n\nGET ${demo.url}/status/404\n`);
    await vscode.commands.executeCommand('wirelens.sendRequest', editor.document.uri, 3);
    const list = [...(await waitFor(() => wl.history.store.list().length >= 2 && wl.history.store.list(), 'two entries'))];
    await vscode.commands.executeCommand('wirelens.history.filter', '404');
    assert.deepEqual(
      wl.history.tree.visible().map((i) => i.status),
      [404],
    );
    await vscode.commands.executeCommand('wirelens.history.clearFilter');
    assert.equal(wl.history.tree.visible().length, list.length);

    const right = await vscode.commands.executeCommand<vscode.Uri>('wirelens.history.compare', undefined, [list[0].id, list[1].id]);
    assert.equal(right?.scheme, HISTORY_SCHEME);
    const tab = await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff),
      'a diff editor',
    );
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, HISTORY_SCHEME);
    assert.equal(input.modified.scheme, HISTORY_SCHEME);
    const left = await vscode.workspace.openTextDocument(input.original);
    const modified = await vscode.workspace.openTextDocument(input.modified);
    assert.match(left.getText(), /^HTTP\/1.1 200 OK$/m);
    assert.match(modified.getText(), /^HTTP\/1.1 404 Not Found$/m);
    assert.match(left.getText(), /^# timings$/m);

    await vscode.commands.executeCommand('wirelens.history.delete', list[0].id);
    assert.equal(wl.history.store.list().length, list.length - 1);
    await vscode.commands.executeCommand('wirelens.history.clear');
    assert.equal(wl.history.store.list().length, 0);
  });

  it('keeps nothing when wirelens.history.enabled is off', async () => {
    const wl = await api();
    await vscode.commands.executeCommand('wirelens.history.clear');
    const cfg = vscode.workspace.getConfiguration('wirelens.history');
    await cfg.update('enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const editor = await openScratch('history-off.http', `GET ${demo.url}/json\n`);
      await vscode.commands.executeCommand('wirelens.sendRequest', editor.document.uri, 0);
      assert.equal(wl.history.store.list().length, 0);
    } finally {
      await cfg.update('enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
