// Chooses which panel shows an exchange and connects its Cancel / Rerun buttons.
import * as vscode from 'vscode';
import type { ExchangeView } from '../editor/sendCommands';
import type { Exchange, Progress } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import { ResponsePanel } from './responsePanel';

export class PanelManager implements ExchangeView, vscode.Disposable {
  private current: ResponsePanel | null = null;
  private handlers: { cancel: () => void; rerun: () => void } = { cancel: () => undefined, rerun: () => undefined };

  constructor(private readonly extensionUri: vscode.Uri) {}

  private panel(): ResponsePanel {
    if (!this.current) this.adopt(new ResponsePanel(this.extensionUri));
    else this.current.reveal();
    return this.current as ResponsePanel;
  }

  private adopt(panel: ResponsePanel): void {
    this.current = panel;
    panel.onDidDispose(() => { if (this.current === panel) this.current = null; });
    panel.onMessage((m) => {
      if (m.type === 'cancel') this.handlers.cancel();
      if (m.type === 'rerun') this.handlers.rerun();
    });
  }

  pending(request: ResolvedRequest, onCancel: () => void, onRerun: () => void): { progress(p: Progress): void; done(e: Exchange): void } {
    this.handlers = { cancel: onCancel, rerun: onRerun };
    const panel = this.panel();
    panel.showPending({ method: request.method, url: request.url, startedAt: Date.now() });
    return {
      progress: (p) => panel.showProgress(p),
      done: (e) => panel.showExchange(e),
    };
  }

  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel) => {
        this.adopt(new ResponsePanel(this.extensionUri, webviewPanel));
      },
    };
  }

  dispose(): void {
    this.current?.dispose();
  }
}
