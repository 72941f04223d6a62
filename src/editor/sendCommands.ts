// Send Request / Cancel / Rerun Last / Send All: resolve the block, run the pipeline, show the panel.
import * as vscode from 'vscode';
import { loadImports, type RequestBlock } from '../language';
import { execute } from '../pipeline';
import { runRequests, type RequestResult, type ScriptPolicy } from '../run';
import type { Exchange } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import type { ExchangeView, RunDetails } from '../view/exchangeView';
import { describeProgress, formatElapsed } from '../view/progress';
import { parsedDocument } from './documentCache';
import { resolveContextFor, windowState } from './environments';
import { engineOptions, keepAliveMs } from './settings';
import { ConnectionPool } from '../wire/pool';
import type { CookieJar } from '../wire/cookieJar';
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
  readonly cookieJar: CookieJar = windowState.cookieJar as CookieJar;
  /** Keep-alive across the window's requests (Send, Send All, Rerun): idle connections are kept for `wirelens.keepAliveMs`. */
  readonly pool = new ConnectionPool({ idleMs: keepAliveMs() });
  /** Told of every exchange once it is shown (the history keeps it). */
  onSent: ((exchange: Exchange, request: ResolvedRequest, source?: RequestSource) => Promise<unknown>) | null = null;
  /** Each request's result from the run model (diagnostics and the Test Explorer listen). */
  private readonly testResults = new vscode.EventEmitter<{ document: vscode.TextDocument; result: RequestResult }>();
  readonly onResult = this.testResults.event;
  /** Tests only: stands in for Workspace Trust (the test workbench runs trusted). */
  scriptPolicyOverride: ScriptPolicy | null = null;

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
      this.testResults,
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
    const results = await this.runDocument(document, [block]);
    const mine = results.filter((r) => r.block === block);
    const last = mine[mine.length - 1];
    if (last && !last.exchange && last.errors.length > 0) {
      void vscode.window.showErrorMessage(`Wire Lens: ${last.errors.map((e) => `line ${e.line + 1}: ${e.message}`).join('; ')}`);
    } else if (last?.skipped) void vscode.window.setStatusBarMessage(`Wire Lens: not sent (${last.skipped})`, 4000);
    return last?.exchange ?? undefined;
  }

  async sendAll(uri?: vscode.Uri): Promise<Exchange[]> {
    const document = await this.documentFor(uri);
    if (!document) return [];
    // Document order, with named requests that others read (`{{login.response…}}`) sent before them.
    const results = await this.runDocument(document, undefined);
    for (const r of results) {
      if (!r.exchange && r.errors.length > 0)
        void vscode.window.showErrorMessage(`Wire Lens: ${r.errors.map((e) => `line ${e.line + 1}: ${e.message}`).join('; ')}`);
    }
    return results.flatMap((r) => (r.exchange ? [r.exchange] : []));
  }

  /**
   * Runs requests of a document through the run model, each shown in the panel as it goes (its Tests section
   * filled in once its handlers and asserts have run). The Test Explorer runs through here too.
   */
  async runDocument(
    document: vscode.TextDocument,
    selection: RequestBlock[] | undefined,
    hooks: { signal?: AbortSignal; onResult?: (r: RequestResult) => void; live?: boolean } = {},
  ): Promise<RequestResult[]> {
    const shown = new Map<ResolvedRequest, { finish(ex: Exchange, run?: RunDetails, source?: RequestSource): void }>();
    const doc = parsedDocument(document);
    const context = resolveContextFor(document);
    // httpyac `# @import`: other files' variables and named requests (for `# @ref`); a file that cannot be read stops the run.
    const imports = loadImports({ doc, filePath: context.filePath });
    const problems = imports.problems.filter((p) => p.severity === 'error');
    if (problems.length) {
      void vscode.window.showErrorMessage(`Wire Lens: not sent: ${problems.map((e) => `line ${e.line + 1}: ${e.message}`).join('; ')}`);
      return [];
    }
    const outcome = await runRequests({
      doc,
      selection,
      context,
      imports: imports.docs,
      state: windowState,
      engine: engineOptions(),
      scripts: this.scriptPolicyOverride ?? scriptPolicy(),
      signal: hooks.signal,
      sender: async (request) => {
        // A cancelled run (the Test Explorer's Cancel) stops the request in flight, not only the ones after it.
        const run = this.begin(request, hooks.signal, hooks.live !== false);
        shown.set(request, run);
        return run.exchange;
      },
      onResult: (r) => {
        if (r.request && r.exchange) {
          // History keeps where each request was written (an @ref'd one may live in an imported file).
          const uri = r.file && r.file !== context.filePath ? vscode.Uri.file(r.file).toString() : document.uri.toString();
          const source: RequestSource = { uri, line: r.block.requestLine, ...(r.block.name ? { name: r.block.name } : {}) };
          shown
            .get(r.request)
            ?.finish(r.exchange, { logs: r.logs, globalsSet: r.globalsSet, scriptsNotRun: r.scriptsNotRun, source: document.uri.toString() }, source);
          shown.delete(r.request);
        }
        if (r.responseFileError)
          void vscode.window.showWarningMessage(`Wire Lens: line ${r.responseFileError.line + 1}: ${r.responseFileError.message}`);
        this.testResults.fire({ document, result: r });
        hooks.onResult?.(r);
      },
    });
    return outcome.results;
  }

  /** Forgets every cookie; returns how many there were. */
  clearCookies(): number {
    const n = this.cookieJar.size;
    this.cookieJar.clear();
    vscode.window.setStatusBarMessage(`Wire Lens: cleared ${n} cookie${n === 1 ? '' : 's'}`, 3000);
    return n;
  }

  cancel(): void {
    this.running?.abort();
  }

  private syncPool(): ConnectionPool {
    const ms = keepAliveMs();
    if (ms !== this.pool.idleTimeMs) this.pool.setIdleMs(ms);
    return this.pool;
  }

  /** Sends one resolved request with the panel and the status bar (Rerun, a restored panel, tests). */
  async run(request: ResolvedRequest): Promise<Exchange> {
    const r = this.begin(request);
    const ex = await r.exchange;
    r.finish(ex);
    return ex;
  }

  /** Starts a request: panel pending, status bar spinning; `finish` shows the result (with its tests). */
  private begin(
    request: ResolvedRequest,
    outer?: AbortSignal,
    live = true,
  ): { exchange: Promise<Exchange>; finish(ex: Exchange, run?: RunDetails, source?: RequestSource): void } {
    this.running?.abort();
    const abort = new AbortController();
    this.running = abort;
    const onOuterAbort = (): void => abort.abort();
    if (outer?.aborted) abort.abort();
    else outer?.addEventListener('abort', onOuterAbort, { once: true });
    this.lastRequest = request;
    const view = this.view.pending(
      request,
      () => abort.abort(),
      () => void this.run(request),
    );
    this.status.text = `$(sync~spin) ${request.method} ${request.url}`;
    this.status.command = 'wirelens.cancelRequest';
    this.status.tooltip = 'Wire Lens: click to cancel';
    this.status.show();
    // Progress arrives on phase changes; the elapsed time in the status bar ticks on its own, like the panel's.
    const started = Date.now();
    let phase = 'connecting';
    const showStatus = (): void => {
      if (this.running === abort) this.status.text = `$(sync~spin) ${phase} · ${formatElapsed(Date.now() - started)}`;
    };
    const ticker = setInterval(showStatus, 250);
    let detached = false;
    const exchange = execute(request, {
      ...engineOptions(),
      cookieJar: this.cookieJar,
      pool: this.syncPool(),
      signal: abort.signal,
      onProgress: (p) => {
        view.progress(p);
        phase = describeProgress(p);
        showStatus();
      },
      // Socket blocks stay open in the panel: messages appear as they come, the panel sends and closes. A test
      // run's do not: they end by their @until rule or the timeout, so the run goes on.
      socket: {
        live,
        onOpen: (control, snapshot) => {
          // An open connection is the panel's now: a new request no longer cancels it (its Close button does).
          if (this.running === abort) {
            this.running = null;
            detached = true;
          }
          phase = 'connected';
          this.status.text = `$(plug) ${request.method === 'GET' ? 'WebSocket' : request.method} open · ${request.url}`;
          view.open?.(control, snapshot);
        },
        onMessage: (m, i) => view.message?.(m, i),
      },
    }).finally(() => {
      clearInterval(ticker);
      outer?.removeEventListener('abort', onOuterAbort);
    });
    return {
      exchange,
      finish: (ex, run, source) => {
        view.done(ex, run);
        if (this.onSent) void this.onSent(ex, request, source);
        const current = this.running === abort || (detached && this.running === null);
        if (this.running === abort) this.running = null;
        // A request replaced by a newer one leaves the status bar (and lastExchange) to the newer one.
        if (!current) return;
        this.lastExchange = ex;
        const r = ex.response;
        const failed = (ex.tests ?? []).filter((t) => !t.passed).length;
        // A redirected request took as long as its whole chain, not its last hop.
        this.status.text = ex.error
          ? `$(error) ${ex.error.code}`
          : `$(${failed ? 'testing-failed-icon' : 'pass'}) ${SOCKET_LABEL[ex.kind ?? 'http'] ?? r?.status ?? ''} in ${Math.round(chainTotalMs(ex) ?? 0)} ms${failed ? ` · ${failed} test${failed === 1 ? '' : 's'} failed` : ''}`;
        this.status.command = undefined;
        this.status.tooltip = undefined;
      },
    };
  }
}

/** What the status bar says of a socket block once it has ended (an HTTP exchange shows its status code). */
const SOCKET_LABEL: Partial<Record<string, string>> = { tcp: 'TCP closed', udp: 'UDP done', websocket: 'WebSocket closed' };

/** Scripts run only in a trusted workspace (Workspace Trust); the time limit is a setting. */
export function scriptPolicy(): ScriptPolicy {
  const timeoutMs = vscode.workspace.getConfiguration('wirelens').get<number>('scripts.timeoutMs', 2000);
  if (!vscode.workspace.isTrusted) {
    return {
      enabled: false,
      reason: 'this workspace is in Restricted Mode (not trusted), so scripts from its files are not run; trust the workspace to run them',
      timeoutMs,
    };
  }
  return { enabled: true, timeoutMs };
}
