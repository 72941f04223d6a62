// One response panel: the webview, its HTML shell, and the messages to and from it.
import * as vscode from 'vscode';
import type { ExchangeViewModel, HostMessage, PendingRequestView, RenderReport, TranscriptRow, WebviewMessage } from '../shared/protocol';
import type { Progress } from '../shared/exchange';
import { parseWebviewMessage } from '../shared/protocol';
import { renderShell } from './html';
import { MAX_ROWS } from '../view/transcript';

export const PANEL_VIEW_TYPE = 'wirelens.response';

let nextSeq = 1;

export interface PanelHandlers {
  cancel(): void;
  rerun(): void;
  /** While a socket connection shown here is open: the input box and the Close button. */
  socketSend?(text: string): void;
  socketClose?(code: number, reason: string): void;
}

export class ResponsePanel implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  /** Messages replayed when the webview (re)loads: the pending view and its progress, or the exchange. */
  private replay: HostMessage[] = [];
  private ready = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onMessageEmitter = new vscode.EventEmitter<WebviewMessage>();
  private readonly onRenderEmitter = new vscode.EventEmitter<RenderReport>();
  readonly onMessage = this.onMessageEmitter.event;
  readonly onRender = this.onRenderEmitter.event;
  readonly onDidDispose: vscode.Event<void>;
  handlers: PanelHandlers = { cancel: () => undefined, rerun: () => undefined };
  /** Id of the exchange shown (host record), when one is. */
  exchangeId: number | null = null;
  /** True while a request shown here is running. */
  running = false;
  lastReport: RenderReport | null = null;
  /** Messages from the webview that failed validation (counted, never acted on). */
  rejected = 0;
  private run = 0;

  constructor(extensionUri: vscode.Uri, opts: { preserveFocus: boolean }, existing?: vscode.WebviewPanel) {
    const mediaRoot = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    const options: vscode.WebviewPanelOptions & vscode.WebviewOptions = {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [mediaRoot],
      // The webview restores itself from its saved state and the host replays the last messages on `ready`.
      retainContextWhenHidden: false,
      enableFindWidget: true,
    };
    this.panel =
      existing ??
      vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        'Response',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: opts.preserveFocus },
        options,
      );
    this.panel.webview.options = { enableScripts: true, enableForms: false, enableCommandUris: false, localResourceRoots: [mediaRoot] };
    const w = this.panel.webview;
    w.html = renderShell({
      cspSource: w.cspSource,
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'panel.css')).toString(),
      codiconUri: w.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'codicon.css')).toString(),
    });
    this.onDidDispose = this.panel.onDidDispose;
    this.disposables.push(
      this.panel.onDidDispose(() => {
        this.disposed = true;
        this.dispose();
      }),
      w.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
  }

  private receive(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.rejected++;
      return;
    }
    if (msg.type === 'ready') {
      this.ready = true;
      for (const m of this.replay) void this.panel.webview.postMessage(m);
    } else if (msg.type === 'rendered') {
      this.lastReport = msg.report;
      this.onRenderEmitter.fire(msg.report);
      return;
    } else if (msg.type === 'cancel') {
      if (this.running) this.handlers.cancel();
    } else if (msg.type === 'rerun') {
      this.handlers.rerun();
    } else if (msg.type === 'socketSend') {
      this.handlers.socketSend?.(msg.text);
    } else if (msg.type === 'socketClose') {
      this.handlers.socketClose?.(msg.code, msg.reason);
    }
    this.onMessageEmitter.fire(msg);
  }

  /** What the webview would post, through the same validation (integration tests: the DOM is out of reach). */
  deliverFromWebview(raw: unknown): void {
    this.receive(raw);
  }

  /**
   * Appends a message to the live transcript. Replayed after the live view (a webview still loading, or reloaded
   * while hidden, gets every row), up to the transcript's row limit.
   */
  showSocketMessage(row: TranscriptRow): number {
    const msg: HostMessage = { type: 'socketMessage', seq: nextSeq++, row };
    if (this.replay.length <= MAX_ROWS) this.replay.push(msg);
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(msg);
    return msg.seq;
  }

  private post(msg: HostMessage): number {
    if (msg.type === 'progress') this.replay = [...this.replay.filter((m) => m.type !== 'progress'), msg];
    else this.replay = [msg];
    if (this.ready && !this.disposed) void this.panel.webview.postMessage(msg);
    return msg.seq;
  }

  /** Starts a new request in this panel; a request it replaced may still report, and must not be shown. */
  beginRun(): number {
    return ++this.run;
  }

  /** True while `run` is the latest request started in this panel. */
  isCurrentRun(run: number): boolean {
    return run === this.run && !this.disposed;
  }

  showPending(request: PendingRequestView): number {
    this.running = true;
    this.panel.title = `… ${request.method} ${shortUrl(request.url)}`;
    return this.post({ type: 'pending', seq: nextSeq++, request });
  }

  showProgress(progress: Progress): number {
    return this.post({ type: 'progress', seq: nextSeq++, progress });
  }

  /** `live`: a socket connection that stays open (the transcript grows; the record is not final yet). */
  showExchange(view: ExchangeViewModel, live = false): number {
    this.running = live;
    if (!live) this.exchangeId = view.id;
    const ex = view.hop.exchange;
    const status = live
      ? '●'
      : ex.kind === 'tcp' || ex.kind === 'udp'
        ? (ex.error?.code ?? 'closed')
        : ex.response
          ? `${ex.response.status}`
          : (ex.error?.code ?? '');
    this.panel.title = `${status} ${ex.request.method} ${shortUrl(ex.request.url)}`;
    return this.post({ type: 'exchange', seq: nextSeq++, view });
  }

  reveal(preserveFocus: boolean): void {
    if (!this.disposed) this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.panel.dispose();
    }
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onMessageEmitter.dispose();
    this.onRenderEmitter.dispose();
  }
}

export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}
