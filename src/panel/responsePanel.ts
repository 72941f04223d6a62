// The response panel host: opens the webview beside the editor and feeds it messages.
import * as vscode from 'vscode';
import type { Exchange, Progress } from '../shared/exchange';
import { parseWebviewMessage, type HostMessage, type PendingRequestView, type WebviewMessage } from '../shared/protocol';
import { renderShell } from './html';

export const PANEL_VIEW_TYPE = 'wirelens.response';

export class ResponsePanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private last: HostMessage[] = [];
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onMessageEmitter = new vscode.EventEmitter<WebviewMessage>();
  readonly onMessage = this.onMessageEmitter.event;
  readonly onDidDispose: vscode.Event<void>;

  constructor(private readonly extensionUri: vscode.Uri, panel?: vscode.WebviewPanel) {
    const mediaRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    this.panel = panel ?? vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      'Response',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableForms: false, localResourceRoots: [mediaRoot], retainContextWhenHidden: true },
    );
    this.panel.webview.options = { enableScripts: true, enableForms: false, localResourceRoots: [mediaRoot] };
    const w = this.panel.webview;
    this.panel.webview.html = renderShell({
      cspSource: w.cspSource,
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.css')).toString(),
      codiconUri: w.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'codicon.css')).toString(),
    });
    this.onDidDispose = this.panel.onDidDispose;
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseWebviewMessage(raw);
        if (!msg) return;
        if (msg.type === 'ready') {
          this.ready = true;
          for (const m of this.last) void this.panel.webview.postMessage(m);
        }
        this.onMessageEmitter.fire(msg);
      }),
    );
  }

  private post(msg: HostMessage, keep: 'reset' | 'append'): void {
    this.last = keep === 'reset' ? [msg] : [...this.last.filter((m) => m.type !== msg.type), msg];
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  showPending(request: PendingRequestView): void {
    this.panel.title = `${request.method} ${shortUrl(request.url)}`;
    this.post({ type: 'pending', request }, 'reset');
  }

  showProgress(progress: Progress): void {
    this.post({ type: 'progress', progress }, 'append');
  }

  showExchange(exchange: Exchange): void {
    const status = exchange.response ? `${exchange.response.status}` : exchange.error?.code ?? '';
    this.panel.title = `${status} ${exchange.request.method} ${shortUrl(exchange.request.url)}`;
    this.post({ type: 'exchange', exchange }, 'reset');
  }

  reveal(): void {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  dispose(): void {
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.onMessageEmitter.dispose();
  }
}

function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
