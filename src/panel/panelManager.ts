// Chooses which panel shows an exchange (one reused panel, or one per request), implements the ExchangeView
// contract the send commands call, keeps the full exchanges in the store for the panel's actions (the webview
// only holds a bounded view; the actions are panelActions.ts) and restores panels after a reload.
import * as vscode from 'vscode';
import type { ExchangeView, LiveSocket } from '../view/exchangeView';
import { decodeEscapes, piecesToBytes } from '../language/sockets';
import { transcriptRow } from '../view/transcript';
import type { Exchange } from '../shared/exchange';
import type { HopRef, RenderReport } from '../shared/protocol';
import type { ResolvedRequest } from '../shared/request';
import { ExchangeStore } from './exchangeStore';
import { PanelActions } from './panelActions';
import { PANEL_VIEW_TYPE, ResponsePanel } from './responsePanel';
import { exchangeFromView, requestFromExchange, restoredView } from '../view/restore';
import { buildViewModel, DEFAULT_MAX_BODY_BYTES, pendingView } from '../view/viewModel';

export interface PanelSettings {
  reuse: boolean;
  preserveFocus: boolean;
  maxBodyBytes: number;
}

export function panelSettings(): PanelSettings {
  const c = vscode.workspace.getConfiguration('wirelens.panel');
  const max = c.get<number>('maxBodyBytes', DEFAULT_MAX_BODY_BYTES);
  return {
    reuse: c.get<boolean>('reuse', true),
    preserveFocus: c.get<boolean>('preserveFocus', true),
    maxBodyBytes: Number.isFinite(max) && max >= 1024 ? Math.floor(max) : DEFAULT_MAX_BODY_BYTES,
  };
}

export class PanelManager implements ExchangeView, vscode.Disposable {
  private panels: ResponsePanel[] = [];
  private active: ResponsePanel | null = null;
  private readonly store = new ExchangeStore();
  private last: RenderReport | null = null;
  private readonly renderEmitter = new vscode.EventEmitter<RenderReport>();
  /** Every validated render report, from any panel. */
  readonly onRender = this.renderEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly actions: PanelActions;
  private runner: ((r: ResolvedRequest) => Promise<Exchange>) | null = null;

  constructor(private readonly extensionUri: vscode.Uri) {
    this.actions = new PanelActions({
      store: this.store,
      activeId: () => this.active?.exchangeId ?? null,
      activeColumn: () => (this.active && !this.active.isDisposed ? this.active.panel.viewColumn : undefined),
    });
    this.disposables.push(this.renderEmitter, this.actions);
  }

  // ---- ExchangeView --------------------------------------------------------------------------------------------

  pending(request: ResolvedRequest, onCancel: () => void, onRerun: () => void): ReturnType<ExchangeView['pending']> {
    const settings = panelSettings();
    const panel = this.panelFor(settings);
    // A connection still open in a reused panel goes away with the view that showed it.
    panel.handlers.socketClose?.(1001, 'replaced by another request');
    panel.handlers = { cancel: onCancel, rerun: onRerun };
    // A reused panel may get a new request while an older one is still ending (Send again, Rerun): the older
    // one's progress and result are kept out of it, or they would cover the new request's view.
    const run = panel.beginRun();
    panel.showPending(pendingView(request, Date.now()));
    const viewOpts = { maxBodyBytes: settings.maxBodyBytes, secrets: request.secrets };
    let live: LiveSocket | null = null;
    return {
      progress: (p) => {
        if (panel.isCurrentRun(run)) panel.showProgress(p);
      },
      open: (socket, snapshot) => {
        live = socket;
        if (!panel.isCurrentRun(run)) {
          socket.close(1001, 'the panel shows another request');
          return;
        }
        panel.handlers = {
          ...panel.handlers,
          socketSend: (text) => {
            live?.send(socket.kind === 'websocket' ? new TextEncoder().encode(text) : typedBytes(text), true);
          },
          socketClose: (code, reason) => {
            live?.close(code, reason);
          },
        };
        const dispose = panel.onDidDispose(() => {
          live?.close(1001, 'the panel was closed');
          dispose.dispose();
        });
        // The record so far (the handshake, messages already exchanged), shown live.
        panel.showExchange(buildViewModel(0, snapshot, { ...viewOpts, live: true }), true);
      },
      message: (m, i) => {
        const kind = m.opcode !== undefined ? 'websocket' : (live?.kind ?? 'tcp');
        if (panel.isCurrentRun(run)) panel.showSocketMessage(transcriptRow(m, i, { secrets: request.secrets, kind }));
      },
      done: (e, details) => {
        live = null;
        const id = this.remember(e, request, details?.source ?? null);
        if (panel.isCurrentRun(run)) {
          panel.handlers = { cancel: onCancel, rerun: onRerun };
          panel.showExchange(buildViewModel(id, e, { ...viewOpts, run: details }));
        }
      },
    };
  }

  /** Called by the send commands so a panel restored after a reload can rerun its request. */
  attach(run: (r: ResolvedRequest) => Promise<Exchange>): void {
    this.runner = run;
  }

  // ---- for tests and the benchmark -----------------------------------------------------------------------------

  /** The last render report from any panel. */
  lastRender(): RenderReport | null {
    return this.last;
  }

  /** Resolves with the first render report (the last one included) that satisfies `test`. */
  waitForRender(test: (r: RenderReport) => boolean, timeoutMs = 30_000): Promise<RenderReport> {
    if (this.last && test(this.last)) return Promise.resolve(this.last);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`no matching render within ${timeoutMs} ms; last: ${JSON.stringify(this.last)?.slice(0, 500)}`));
      }, timeoutMs);
      const sub = this.onRender((r) => {
        if (test(r)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(r);
        }
      });
    });
  }

  /** Open panels (oldest first). */
  openPanels(): readonly ResponsePanel[] {
    return this.panels.filter((p) => !p.isDisposed);
  }

  /** Messages from webviews that failed validation. */
  rejectedMessages(): number {
    return this.panels.reduce((n, p) => n + p.rejected, 0);
  }

  /** Copy Header of the panel's header list (the integration tests call it as the webview would). */
  copyHeader(id: number | undefined, hop: HopRef, index: number, trailer: boolean): Promise<string | undefined> {
    return this.actions.copyHeader(id, hop, index, trailer);
  }

  /** Open Body in Editor for exchange `id` (the active panel's by default). */
  openBody(id?: number, hop: HopRef = -1): Promise<vscode.TextEditor | undefined> {
    return this.actions.openBody(id, hop);
  }

  /** The full exchange an action applies to (the active panel's, by default). */
  exchange(id?: number): Exchange | undefined {
    const key = id ?? this.active?.exchangeId ?? this.store.latestId();
    return this.store.get(key)?.exchange;
  }

  // ---- panels --------------------------------------------------------------------------------------------------

  private panelFor(settings: PanelSettings): ResponsePanel {
    const open = this.openPanels();
    // A reused panel is never one whose request is still running in "one per request" mode, and vice versa.
    const reuse = settings.reuse ? (this.active && !this.active.isDisposed ? this.active : open[open.length - 1]) : undefined;
    if (reuse) {
      reuse.reveal(settings.preserveFocus);
      this.active = reuse;
      return reuse;
    }
    const panel = new ResponsePanel(this.extensionUri, { preserveFocus: settings.preserveFocus });
    this.adopt(panel);
    return panel;
  }

  private adopt(panel: ResponsePanel): void {
    this.panels.push(panel);
    this.active = panel;
    panel.onDidDispose(() => {
      this.panels = this.panels.filter((p) => p !== panel);
      if (this.active === panel) this.active = this.panels[this.panels.length - 1] ?? null;
    });
    panel.panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = panel;
    });
    panel.onRender((r) => {
      this.last = r;
      this.renderEmitter.fire(r);
    });
    panel.onMessage((m) => void this.actions.handle(panel.exchangeId ?? undefined, m));
  }

  private remember(e: Exchange, request: ResolvedRequest | null, source: string | null = null): number {
    const record = { exchange: e, secrets: request?.secrets ?? [], insecure: request?.options.insecure ?? false, source };
    return this.store.add(
      record,
      this.openPanels().map((p) => p.exchangeId),
    );
  }

  // ---- restore after reload ------------------------------------------------------------------------------------

  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        const panel = new ResponsePanel(this.extensionUri, { preserveFocus: true }, webviewPanel);
        this.adopt(panel);
        const vm = restoredView(state);
        if (vm) {
          // The saved view is bounded (bodies cut); it is still the best record left of that exchange.
          const ex = exchangeFromView(vm);
          panel.exchangeId = this.remember(ex, null);
          // A restored panel has no live handler: Rerun repeats the request as it went out, unless secrets were
          // masked in what was saved (then only the .http file can send it again).
          const request = requestFromExchange(ex);
          panel.handlers = {
            cancel: () => undefined,
            rerun: () => {
              if (vm.masked || !this.runner) void vscode.window.showInformationMessage('Wire Lens: send this request again from its .http file.');
              else void this.runner(request);
            },
          };
        }
      },
    };
  }

  dispose(): void {
    for (const p of this.panels) p.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export { PANEL_VIEW_TYPE };

/** What the input box sends on a TCP or UDP connection: the text with the block's escapes (\r \n \t \0 \xHH \\). */
function typedBytes(text: string): Uint8Array {
  return piecesToBytes(decodeEscapes(text), (t) => t);
}
