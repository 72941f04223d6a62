// Chooses which panel shows an exchange (one reused panel, or one per request), keeps the full exchanges for the
// panel's actions (the webview only holds a bounded view), and implements those actions as commands.
import * as vscode from 'vscode';
import type { ExchangeView, LiveSocket } from '../view/exchangeView';
import { decodeEscapes, piecesToBytes } from '../language/sockets';
import { transcriptRow } from '../view/transcript';
import type { Exchange } from '../shared/exchange';
import type { HopRef, RenderReport, WebviewMessage } from '../shared/protocol';
import type { ResolvedRequest } from '../shared/request';
import { BODY_SCHEME, BodyDocumentProvider, bodyLanguage, bodyUri } from './bodyDocuments';
import { base64ToBytes } from '../view/bytes';
import { toCurl } from '../view/curl';
import { maskExchange, maskSecrets } from '../view/mask';
import { curlIncludesSecrets } from './curlSecrets';
import { exchangeToHttpFile, responseAsText } from '../view/httpFile';
import { bodyKind, extensionFor } from '../view/tokenize';
import { ExchangeStore, type ExchangeRecord } from './exchangeStore';
import { PANEL_VIEW_TYPE, ResponsePanel } from './responsePanel';
import { exchangeFromView, requestFromExchange, restoredView } from '../view/restore';
import { headerValue, requestBody } from '../shared/access';
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
  private runner: ((r: ResolvedRequest) => Promise<Exchange>) | null = null;

  constructor(private readonly extensionUri: vscode.Uri) {
    this.disposables.push(
      this.renderEmitter,
      vscode.workspace.registerTextDocumentContentProvider(BODY_SCHEME, new BodyDocumentProvider({ exchange: (id, hop) => this.hop(id, hop) })),
      vscode.commands.registerCommand('wirelens.copyAsCurl', (id?: number, hop?: number) => this.copyCurl(id, hop)),
      vscode.commands.registerCommand('wirelens.copyResponse', (id?: number, hop?: number) => this.copyResponse(id, hop)),
      vscode.commands.registerCommand('wirelens.saveExchange', (target?: vscode.Uri, id?: number) => this.saveExchange(target, id)),
      vscode.commands.registerCommand('wirelens.saveBody', (target?: vscode.Uri, id?: number, hop?: number) => this.saveBody(target, id, hop)),
      vscode.commands.registerCommand('wirelens.openBodyInEditor', (id?: number, hop?: number) => this.openBody(id, hop)),
    );
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
    panel.onMessage((m) => void this.act(panel, m));
  }

  /** A test's line: in the .http file the exchange came from, or in an external script next to it. */
  private async revealLine(id: number | undefined, line: number, file?: string): Promise<void> {
    const source = id === undefined ? null : (this.store.get(id)?.source ?? null);
    if (!source) return;
    let uri = vscode.Uri.parse(source);
    if (file !== undefined) uri = vscode.Uri.joinPath(uri, '..', file);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const at = new vscode.Position(Math.min(line - 1, Math.max(0, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One });
    } catch {
      void vscode.window.showWarningMessage(`Wire Lens: cannot open ${uri.fsPath || uri.toString()}.`);
    }
  }

  private remember(e: Exchange, request: ResolvedRequest | null, source: string | null = null): number {
    const record = { exchange: e, secrets: request?.secrets ?? [], insecure: request?.options.insecure ?? false, source };
    return this.store.add(
      record,
      this.openPanels().map((p) => p.exchangeId),
    );
  }

  private hop(id: number, hop: HopRef): Exchange | undefined {
    return this.store.hop(id, hop);
  }

  private async act(panel: ResponsePanel, m: WebviewMessage): Promise<void> {
    const id = panel.exchangeId ?? undefined;
    switch (m.type) {
      case 'copyCurl':
        await this.copyCurl(id, m.hop);
        break;
      case 'copyResponse':
        await this.copyResponse(id, m.hop);
        break;
      case 'copyHeader':
        await this.copyHeader(id, m.hop, m.index, m.trailer);
        break;
      case 'saveExchange':
        await this.saveExchange(undefined, id);
        break;
      case 'saveBody':
        await this.saveBody(undefined, id, m.hop);
        break;
      case 'openBody':
        await this.openBody(id, m.hop);
        break;
      case 'revealLine':
        await this.revealLine(id, m.line, m.file);
        break;
      default:
        break;
    }
  }

  private target(id?: number, hop: HopRef = -1): { id: number; ex: Exchange; rec: ExchangeRecord } | undefined {
    const key = id ?? this.active?.exchangeId ?? this.store.latestId();
    const rec = this.store.get(key);
    const ex = rec ? (hop < 0 ? rec.exchange : rec.exchange.redirects[hop]) : undefined;
    if (!rec || !ex) {
      void vscode.window.showWarningMessage('Wire Lens: no response to act on. Send a request first.');
      return undefined;
    }
    return { id: key, ex, rec };
  }

  async copyCurl(id?: number, hop: HopRef = -1): Promise<string | undefined> {
    const t = this.target(id, hop);
    if (!t) return undefined;
    // The final exchange of a followed chain holds the last hop's request (GET /echo after /redirect/3): repeat the
    // request as written instead, and let curl follow the redirects as Wire Lens did.
    const chained = hop < 0 && t.ex.redirects.length > 0;
    const sentHop = chained ? t.ex.redirects[0] : t.ex;
    const req = sentHop.request;
    const body = requestBody(req, sentHop.frames);
    const full = toCurl({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: body.length ? body : null,
      insecure: t.rec.insecure,
      location: chained,
    });
    // A command line with a token in it ends up in shell history and chat windows: secrets only when chosen.
    let text = full;
    if (t.rec.secrets.length > 0) {
      const include = await curlIncludesSecrets();
      if (include === undefined) return undefined;
      if (!include) text = maskSecrets(full, t.rec.secrets);
    }
    await vscode.env.clipboard.writeText(text);
    const note = t.ex.request.rawTruncated ? ' (the body was streamed from a file and is only partly included)' : '';
    void vscode.window.setStatusBarMessage(`Wire Lens: request copied as cURL${note}`, 3000);
    return text;
  }

  async copyResponse(id?: number, hop: HopRef = -1): Promise<string | undefined> {
    const t = this.target(id, hop);
    if (!t) return undefined;
    const text = responseAsText(t.ex);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage('Wire Lens: response copied', 3000);
    return text;
  }

  async copyHeader(id: number | undefined, hop: HopRef, index: number, trailer: boolean): Promise<string | undefined> {
    const t = this.target(id, hop);
    const list = trailer ? t?.ex.response?.trailers : t?.ex.response?.headers;
    const h = list?.[index];
    if (!h) return undefined;
    const text = `${h[0]}: ${h[1]}`;
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`Wire Lens: copied ${h[0]}`, 3000);
    return text;
  }

  async saveExchange(targetUri?: vscode.Uri, id?: number): Promise<vscode.Uri | undefined> {
    const t = this.target(id);
    if (!t) return undefined;
    const uri =
      targetUri ??
      (await vscode.window.showSaveDialog({
        defaultUri: defaultSaveUri(`response-${t.ex.response?.status ?? 'error'}.http`),
        filters: { 'HTTP file': ['http', 'rest'] },
        saveLabel: 'Save Exchange',
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(
      uri,
      new TextEncoder().encode(exchangeToHttpFile(maskExchange(t.ex, t.rec.secrets), { secrets: t.rec.secrets })),
    );
    return uri;
  }

  async saveBody(targetUri?: vscode.Uri, id?: number, hop: HopRef = -1): Promise<vscode.Uri | undefined> {
    const t = this.target(id, hop);
    const r = t?.ex.response;
    if (!t || !r) return undefined;
    const ct = headerValue(r.headers, 'content-type');
    const ext = extensionFor(bodyKind(ct, r.body.size, r.body.text), ct);
    const uri = targetUri ?? (await vscode.window.showSaveDialog({ defaultUri: defaultSaveUri(`response.${ext}`), saveLabel: 'Save Body' }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, base64ToBytes(r.body.base64));
    if (r.body.truncated)
      void vscode.window.showWarningMessage(
        `Wire Lens: the body was cut at the engine's limit; the file holds the first ${(r.body.base64.length * 0.75) | 0} bytes.`,
      );
    return uri;
  }

  async openBody(id?: number, hop: HopRef = -1): Promise<vscode.TextEditor | undefined> {
    const t = this.target(id, hop);
    if (!t) return undefined;
    const uri = bodyUri(t.id, hop, t.ex);
    let doc = await vscode.workspace.openTextDocument(uri);
    const lang = bodyLanguage(t.ex);
    if (doc.languageId !== lang) doc = await vscode.languages.setTextDocumentLanguage(doc, lang);
    // Next to the response (in the panel's group), never replacing the .http editor the user works in.
    const column = this.active && !this.active.isDisposed ? this.active.panel.viewColumn : undefined;
    return vscode.window.showTextDocument(doc, { viewColumn: column ?? vscode.ViewColumn.Beside, preview: false });
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

function defaultSaveUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}

export { PANEL_VIEW_TYPE };

/** What the input box sends on a TCP or UDP connection: the text with the block's escapes (\r \n \t \0 \xHH \\). */
function typedBytes(text: string): Uint8Array {
  return piecesToBytes(decodeEscapes(text), (t) => t);
}
