// Send Request / Cancel / Rerun Last / Send All: resolve the block, run the pipeline, show the panel.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { handleResponseFiles, loadImports, referencePlan, resolveRequest, sendOrder, type RequestBlock } from '../language';
import { execute } from '../pipeline';
import type { Exchange } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import type { ExchangeView } from '../view/exchangeView';
import { describeProgress, formatElapsed } from '../view/progress';
import { parsedDocument } from './documentCache';
import { recordResponse, resolveContextFor } from './environments';
import { engineOptions, keepAliveMs } from './settings';
import { CookieJar } from '../wire/cookieJar';
import { ConnectionPool } from '../wire/pool';
import { chainTotalMs } from '../shared/timing';

/** Where a request was written: its document and request line (0-based). */
export interface RequestSource {
  uri: string;
  line: number;
  name?: string;
}

export class SendCommands {
  private running: AbortController | null = null;
  private lastRequest: ResolvedRequest | null = null;
  /** The most recent exchange, for tests and the status bar. */
  lastExchange: Exchange | null = null;
  private readonly status: vscode.StatusBarItem;
  /** Cookies remembered for this window's session (cleared by the Clear Cookies command or a reload). */
  readonly cookieJar = new CookieJar();
  /**
   * Keep-alive across the window's requests (Send, Send All, Rerun): idle connections are kept for
   * `wirelens.keepAliveMs`. The run model (src/run/) takes over ownership once it lands: one per run.
   */
  readonly pool = new ConnectionPool({ idleMs: keepAliveMs() });

  constructor(private readonly view: ExchangeView) {
    this.status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'Wire Lens request';
    view.attach?.((request) => this.run(request));
  }

  /** The status bar item's text (for tests). */
  get statusText(): string {
    return this.status.text;
  }

  register(): vscode.Disposable[] {
    return [
      this.status,
      { dispose: () => this.pool.close() },
      vscode.commands.registerCommand('wirelens.sendRequest', (uri?: vscode.Uri, line?: number) => this.sendAt(uri, line)),
      vscode.commands.registerCommand('wirelens.cancelRequest', () => this.cancel()),
      vscode.commands.registerCommand('wirelens.rerunLastRequest', () => (this.lastRequest ? this.run(this.lastRequest) : undefined)),
      vscode.commands.registerCommand('wirelens.sendAllRequests', (uri?: vscode.Uri) => this.sendAll(uri)),
      vscode.commands.registerCommand('wirelens.clearCookies', () => this.clearCookies()),
    ];
  }

  private async documentFor(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
    if (uri) return vscode.workspace.openTextDocument(uri);
    return vscode.window.activeTextEditor?.document;
  }

  async sendAt(uri?: vscode.Uri, line?: number): Promise<Exchange | undefined> {
    const document = await this.documentFor(uri);
    if (!document) {
      void vscode.window.showErrorMessage('Wire Lens: open an .http file to send a request.');
      return undefined;
    }
    const at = line ?? vscode.window.activeTextEditor?.selection.active.line ?? 0;
    const blocks = parsedDocument(document).requests;
    const block = blocks.find((b) => at >= b.startLine && at <= b.endLine) ?? blocks.find((b) => b.requestLine >= at);
    if (!block) {
      void vscode.window.showErrorMessage('Wire Lens: no request at the cursor.');
      return undefined;
    }
    return this.sendBlock(document, block);
  }

  private async sendBlock(document: vscode.TextDocument, block: RequestBlock): Promise<Exchange | undefined> {
    const doc = parsedDocument(document);
    const ctx = resolveContextFor(document);
    const filePath = ctx.filePath;
    const imports = loadImports({ doc, filePath });
    ctx.imports = imports.docs.map((d) => d.doc);
    const refs = referencePlan({ doc, filePath, block }, imports.docs, (n) => ctx.responses?.has(n) === true);
    const problems = [...imports.problems, ...refs.problems];
    if (problems.length) {
      void vscode.window.showErrorMessage(`Wire Lens: not sent: ${problems.map((e) => `line ${e.line + 1}: ${e.message}`).join('; ')}`);
      return undefined;
    }
    let exchange: Exchange | undefined;
    // `# @ref` / `# @forceRef` (httpyac) requests go first; the one asked for last.
    for (const step of [...refs.plan, { doc, filePath, block }]) {
      const { request, errors } = await resolveRequest(step.doc, step.block, { ...ctx, filePath: step.filePath });
      if (!request) {
        const where = step.filePath && step.filePath !== filePath ? `${step.filePath} ` : '';
        void vscode.window.showErrorMessage(`Wire Lens: not sent: ${errors.map((e) => `${where}line ${e.line + 1}: ${e.message}`).join('; ')}`);
        return undefined;
      }
      // History keeps where each request was written (an @ref'd one may live in an imported file).
      const uri = step.block === block || !step.filePath ? document.uri : vscode.Uri.file(step.filePath);
      exchange = await this.run(request, { uri: uri.toString(), line: step.block.requestLine, ...(step.block.name ? { name: step.block.name } : {}) });
      // `>> file` writes the body; `<> file` compares with a saved response.
      if (step.filePath) {
        const after = handleResponseFiles(step.block, exchange, path.dirname(step.filePath));
        if (after.error) void vscode.window.showWarningMessage(`Wire Lens: line ${after.error.line + 1}: ${after.error.message}`);
      }
      // Named requests feed `{{name.response…}}` in later requests.
      recordResponse(step.block, exchange);
    }
    return exchange;
  }

  async sendAll(uri?: vscode.Uri): Promise<Exchange[]> {
    const document = await this.documentFor(uri);
    if (!document) return [];
    const out: Exchange[] = [];
    // Document order, with named requests that others read (`{{login.response…}}`) sent before them.
    for (const block of sendOrder(parsedDocument(document))) {
      const ex = await this.sendBlock(document, block);
      if (ex) out.push(ex);
    }
    return out;
  }

  /** Forgets every cookie; returns how many there were. */
  clearCookies(): number {
    const n = this.cookieJar.size;
    this.cookieJar.clear();
    vscode.window.setStatusBarMessage(`Wire Lens: cleared ${n} cookie${n === 1 ? '' : 's'}`, 3000);
    return n;
  }

  /** The pool with the idle time the settings ask for now (0 closes what it holds). */
  private syncPool(): ConnectionPool {
    const ms = keepAliveMs();
    if (ms !== this.pool.idleTimeMs) this.pool.setIdleMs(ms);
    return this.pool;
  }

  cancel(): void {
    this.running?.abort();
  }

  /** Told of every exchange once it is shown (the history keeps it). */
  onSent: ((exchange: Exchange, request: ResolvedRequest, source?: RequestSource) => Promise<unknown>) | null = null;

  async run(request: ResolvedRequest, source?: RequestSource): Promise<Exchange> {
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    this.lastRequest = request;
    const view = this.view.pending(request, () => abort.abort(), () => void this.run(request, source));
    this.status.text = `$(sync~spin) ${request.method} ${request.url}`;
    this.status.command = 'wirelens.cancelRequest';
    this.status.tooltip = 'Wire Lens: click to cancel';
    this.status.show();
    // Progress arrives on phase changes; the elapsed time in the status bar ticks on its own, like the panel's.
    const started = Date.now();
    let phase = 'connecting';
    const showStatus = (): void => { if (this.running === abort) this.status.text = `$(sync~spin) ${phase} · ${formatElapsed(Date.now() - started)}`; };
    const ticker = setInterval(showStatus, 250);
    let detached = false;
    try {
      const exchange = await execute(request, {
        ...engineOptions(),
        cookieJar: this.cookieJar,
        pool: this.syncPool(),
        signal: abort.signal,
        onProgress: (p) => {
          view.progress(p);
          phase = describeProgress(p);
          showStatus();
        },
        // Socket blocks stay open in the panel: messages appear as they come, the panel sends and closes.
        socket: {
          live: true,
          onOpen: (control, snapshot) => {
            // An open connection is the panel's now: a new request no longer cancels it (its Close button does).
            if (this.running === abort) { this.running = null; detached = true; }
            phase = 'connected';
            this.status.text = `$(plug) ${request.method === 'GET' ? 'WebSocket' : request.method} open · ${request.url}`;
            view.open?.(control, snapshot);
          },
          onMessage: (m, i) => view.message?.(m, i),
        },
      });
      view.done(exchange);
      if (this.onSent) await this.onSent(exchange, request, source);
      // A request replaced by a newer one leaves the status bar (and lastExchange) to the newer one.
      if (this.running !== abort && !(detached && this.running === null)) return exchange;
      this.lastExchange = exchange;
      const r = exchange.response;
      // A redirected request took as long as its whole chain, not its last hop.
      this.status.text = exchange.error ? `$(error) ${exchange.error.code}` : `$(pass) ${r?.status ?? ''} in ${Math.round(chainTotalMs(exchange) ?? 0)} ms`;
      this.status.command = undefined;
      this.status.tooltip = undefined;
      return exchange;
    } finally {
      clearInterval(ticker);
      if (this.running === abort) this.running = null;
    }
  }
}
