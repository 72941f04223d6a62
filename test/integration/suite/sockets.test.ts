// Socket blocks in the real VS Code: the CodeLens says Connect; a WebSocket block opens, its transcript stays
// live in the panel, a second message goes out from the panel's input, and the panel's Close button closes it
// with a code. The webview's messages go through the panel's own validation (the DOM is out of the host's reach).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import * as vscode from 'vscode';
import { WebSocketServer } from 'ws';
import type { RenderReport } from '../../../src/shared/protocol';
import { api, closeAllEditors, openScratch, waitFor } from '../support/workbench';

function transcriptText(r: RenderReport | null): string {
  return r?.sections.find((s) => s.id === 'transcript')?.text ?? '';
}

describe('sockets in the editor', function () {
  this.timeout(60_000);
  let server: http.Server;
  let wss: WebSocketServer;
  let port: number;
  const fromClient: string[] = [];
  let closeCode = 0;
  let closeReason = '';

  before(async () => {
    server = http.createServer();
    wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => {
      ws.on('message', (d: Buffer) => {
        fromClient.push(d.toString());
        ws.send(`echo: ${d.toString()}`);
      });
      ws.on('close', (code: number, reason: Buffer) => {
        closeCode = code;
        closeReason = reason.toString();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
  });
  after(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => server.close(() => r())));
    await closeAllEditors();
  });

  it('the CodeLens says Connect on socket blocks and Send Request on HTTP ones', async () => {
    const editor = await openScratch(
      'lenses.http',
      `TCP 127.0.0.1:${port}\n\n###\nWEBSOCKET ws://127.0.0.1:${port}/\n\n###\nGET http://127.0.0.1:${port}/\n`,
    );
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return l && l.length === 3 ? l : null;
    }, 'three CodeLenses');
    const titles = lenses.sort((a, b) => a.range.start.line - b.range.start.line).map((l) => l.command?.title);
    assert.deepEqual(titles, ['Connect', 'Connect', 'Send Request']);
  });

  it('opens a WebSocket block live, sends a second message from the panel and closes it with a code', async () => {
    const wl = await api();
    const editor = await openScratch(
      'chat.http',
      `### chat\nWEBSOCKET ws://127.0.0.1:${port}/chat\n\n===\nhello from the file\n=== wait-for-server\n`,
    );
    const sending = vscode.commands.executeCommand('wirelens.sendRequest', editor.document.uri, 1) as Thenable<unknown>;
    // Live: the handshake above, the first message and its echo in the transcript, the input box below.
    const first = await wl.panels.waitForRender((r) => /echo: hello from the file/.test(transcriptText(r)), 30_000);
    assert.equal(first.statusLine, 'HTTP/1.1 101 Switching Protocols');
    const panel = wl.panels.openPanels().at(-1);
    assert.ok(panel);
    assert.equal(panel.running, true, 'the panel holds an open connection');
    panel.deliverFromWebview({ type: 'socketSend', text: 'second, from the panel' });
    const second = await wl.panels.waitForRender((r) => /echo: second, from the panel/.test(transcriptText(r)), 30_000);
    assert.match(transcriptText(second), /second, from the panel/);
    assert.deepEqual(fromClient.slice(-2), ['hello from the file', 'second, from the panel']);
    // A close code the RFC forbids in a frame is refused by the panel's validation, and the connection stays.
    const rejected = wl.panels.rejectedMessages();
    panel.deliverFromWebview({ type: 'socketClose', code: 1005, reason: '' });
    assert.equal(wl.panels.rejectedMessages(), rejected + 1);
    panel.deliverFromWebview({ type: 'socketClose', code: 4000, reason: 'done from the panel' });
    await sending;
    const final = await wl.panels.waitForRender(
      (r) => r.sections.some((s) => s.id === 'transcript' && /Wire Lens's close: 4000/.test(s.text)),
      30_000,
    );
    assert.match(transcriptText(final), /closed from the panel with 4000 \(done from the panel\)/);
    assert.equal(closeCode, 4000);
    assert.equal(closeReason, 'done from the panel');
    const ex = wl.panels.exchange();
    assert.equal(ex?.kind, 'websocket');
    assert.deepEqual(ex?.socket?.closeSent, { code: 4000, reason: 'done from the panel' });
    assert.ok(ex?.messages?.some((m) => m.direction === 'sent' && m.text === 'second, from the panel'));
    assert.equal(panel.running, false);
  });
});
