// History glue: keeps every exchange sent from the editor in the workspace's storage (src/history/store.ts does
// the keeping), and the commands of the History view: open as it was, rerun, reveal the source line, delete one or
// all, filter, and compare two in VS Code's diff editor (read-only virtual documents).
import * as vscode from 'vscode';
import { exchangeDiffText } from '../history/diffText';
import { DEFAULT_HISTORY_LIMITS, HistoryStore, type HistoryItem, type HistoryLimits, type HistorySource } from '../history/store';
import type { Exchange } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import { requestFromExchange } from '../view/restore';
import { HistoryTreeProvider, type HistoryNode } from './historyView';
import type { ExchangeView } from '../view/exchangeView';

export const HISTORY_SCHEME = 'wirelens-history';

function settings(): { enabled: boolean; limits: HistoryLimits } {
  const c = vscode.workspace.getConfiguration('wirelens.history');
  const num = (k: string, d: number): number => {
    const v = c.get<number>(k, d);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : d;
  };
  return {
    enabled: c.get<boolean>('enabled', true) !== false,
    limits: {
      maxEntries: Math.floor(num('maxEntries', DEFAULT_HISTORY_LIMITS.maxEntries)),
      maxBytes: num('maxMiB', DEFAULT_HISTORY_LIMITS.maxBytes / 1024 / 1024) * 1024 * 1024,
      maxBodyBytes: num('maxBodyKiB', DEFAULT_HISTORY_LIMITS.maxBodyBytes / 1024) * 1024,
    },
  };
}

/** Per workspace when there is one (storageUri), else the global storage: files, not Memento. */
function storageDir(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'history').fsPath;
}

export class History implements vscode.Disposable {
  readonly store: HistoryStore;
  readonly tree: HistoryTreeProvider;
  private readonly view: vscode.TreeView<HistoryNode>;
  private readonly disposables: vscode.Disposable[] = [];
  /** The first pick of "Select for Compare". */
  private compareWith: string | null = null;
  private send: ((request: ResolvedRequest) => Promise<Exchange>) | null = null;

  constructor(
    context: vscode.ExtensionContext,
    private readonly panels: ExchangeView,
  ) {
    this.store = new HistoryStore(storageDir(context), settings().limits);
    this.tree = new HistoryTreeProvider(this.store);
    this.view = vscode.window.createTreeView('wirelens.history', { treeDataProvider: this.tree, canSelectMany: true, showCollapseAll: true });
    const docs = new HistoryDocuments(this.store);
    this.disposables.push(
      this.view,
      this.store.onDidChange(() => this.tree.refresh()),
      vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, docs),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('wirelens.history')) this.store.setLimits(settings().limits);
      }),
      vscode.commands.registerCommand('wirelens.history.open', (n?: HistoryNode | string) => this.open(idOf(n))),
      vscode.commands.registerCommand('wirelens.history.rerun', (n?: HistoryNode | string) => this.rerun(idOf(n))),
      vscode.commands.registerCommand('wirelens.history.revealSource', (n?: HistoryNode | string) => this.reveal(idOf(n))),
      vscode.commands.registerCommand('wirelens.history.delete', (n?: HistoryNode | string, all?: HistoryNode[]) => this.remove(n, all)),
      vscode.commands.registerCommand('wirelens.history.clear', () => this.clear()),
      vscode.commands.registerCommand('wirelens.history.filter', (text?: string) => this.filter(text)),
      vscode.commands.registerCommand('wirelens.history.clearFilter', () => this.filter('')),
      vscode.commands.registerCommand('wirelens.history.selectForCompare', (n?: HistoryNode | string) => this.selectForCompare(idOf(n))),
      vscode.commands.registerCommand('wirelens.history.compare', (n?: HistoryNode | string, all?: HistoryNode[]) => this.compare(n, all)),
    );
    void this.store.load();
  }

  /** Lets Rerun send without going through the .http file when the record is complete (no masked secrets). */
  attach(send: (request: ResolvedRequest) => Promise<Exchange>): void {
    this.send = send;
  }

  /** Keeps an exchange sent from the editor (nothing when wirelens.history.enabled is off). */
  async record(ex: Exchange, request: ResolvedRequest, source?: HistorySource): Promise<HistoryItem | null> {
    if (!settings().enabled) return null;
    try {
      return await this.store.add(ex, { secrets: request.secrets, source });
    } catch (e) {
      // History is a convenience: a full disk must not fail the send.
      console.warn(`Wire Lens history: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /** Re-reads the storage (what a new window sees). */
  reload(): Promise<void> {
    return this.store.load();
  }

  async open(id: string | null): Promise<Exchange | undefined> {
    const entry = id ? await this.store.get(id) : null;
    if (!entry) {
      void vscode.window.showWarningMessage('Wire Lens: that history entry is gone.');
      return undefined;
    }
    const request = requestFromExchange(entry.exchange);
    const shown = this.panels.pending(
      request,
      () => undefined,
      () => void this.rerun(entry.id),
    );
    shown.done(entry.exchange);
    return entry.exchange;
  }

  async rerun(id: string | null): Promise<Exchange | undefined> {
    const entry = id ? await this.store.get(id) : null;
    if (!entry) return undefined;
    // From its .http file when it is still there: variables and secrets are resolved afresh.
    if (entry.source) {
      try {
        const uri = vscode.Uri.parse(entry.source.uri);
        await vscode.workspace.openTextDocument(uri);
        return await vscode.commands.executeCommand<Exchange | undefined>('wirelens.sendRequest', uri, entry.source.line);
      } catch {
        // the file is gone: from the record, below
      }
    }
    if (entry.masked || !this.send) {
      void vscode.window.showInformationMessage(
        'Wire Lens: this request had masked secrets and its .http file is gone; it cannot be sent again from the history.',
      );
      return undefined;
    }
    return this.send(requestFromExchange(entry.exchange));
  }

  async reveal(id: string | null): Promise<vscode.TextEditor | undefined> {
    const item = this.store.list().find((i) => i.id === id);
    if (!item?.source) {
      void vscode.window.showInformationMessage('Wire Lens: this request was not sent from a file.');
      return undefined;
    }
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(item.source.uri));
      const pos = new vscode.Position(Math.min(item.source.line, doc.lineCount - 1), 0);
      return await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
    } catch {
      void vscode.window.showWarningMessage('Wire Lens: the .http file of this request is gone.');
      return undefined;
    }
  }

  private async remove(n: HistoryNode | string | undefined, all: HistoryNode[] | undefined): Promise<void> {
    const ids = (all && all.length > 0 ? all : n ? [n] : this.view.selection).map(idOf).filter((x): x is string => x !== null);
    for (const id of ids) await this.store.delete(id);
  }

  async clear(): Promise<void> {
    await this.store.clear();
  }

  private async filter(text?: string): Promise<void> {
    const value =
      text ??
      (await vscode.window.showInputBox({
        prompt: 'Show history entries whose method, URL, status or error contain…',
        value: this.tree.filter,
        placeHolder: 'e.g. POST /login 401',
      }));
    if (value === undefined) return;
    this.tree.setFilter(value);
    this.view.description = value ? `filter: ${value}` : undefined;
    void vscode.commands.executeCommand('setContext', 'wirelens.historyFiltered', value !== '');
  }

  private selectForCompare(id: string | null): void {
    this.compareWith = id;
    void vscode.commands.executeCommand('setContext', 'wirelens.historyCompareSelected', id !== null);
  }

  /**
   * Compares two entries: the two selected in the view, or this one with the one picked by Select for Compare,
   * or two given as ids (tests). Opens `vscode.diff` on read-only documents; resolves with the right one's URI.
   */
  async compare(n?: HistoryNode | string, all?: HistoryNode[] | string[]): Promise<vscode.Uri | undefined> {
    let ids: string[];
    if (all && all.length >= 2) ids = all.map((x) => idOf(x)).filter((x): x is string => x !== null);
    else if (n && this.compareWith && idOf(n) !== this.compareWith) ids = [this.compareWith, idOf(n) ?? ''];
    else ids = this.view.selection.map(idOf).filter((x): x is string => x !== null);
    if (ids.length < 2) {
      void vscode.window.showInformationMessage('Wire Lens: select two history entries (Ctrl/Cmd+click), or use Select for Compare first.');
      return undefined;
    }
    const items = ids
      .slice(0, 2)
      .map((id) => this.store.list().find((i) => i.id === id))
      .filter((x): x is HistoryItem => x !== undefined);
    if (items.length < 2) return undefined;
    // Older on the left.
    items.sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    const [left, right] = items.map(docUri);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${label(items[0])} ↔ ${label(items[1])}`, { preview: false });
    return right;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function label(i: HistoryItem): string {
  const t = new Date(i.sentAt);
  return `${i.method} ${i.status ?? i.errorCode ?? ''} ${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}:${String(t.getSeconds()).padStart(2, '0')}`;
}

function docUri(i: HistoryItem): vscode.Uri {
  let pathPart = '/';
  try {
    pathPart = new URL(i.url).pathname;
  } catch {
    // a URL the engine refused: the path stays '/'
  }
  const name = pathPart.split('/').filter(Boolean).pop() ?? 'root';
  return vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${i.id}/${i.method} ${name.replace(/[^\w.-]/g, '_')}.http` });
}

function idOf(n: HistoryNode | string | undefined | null): string | null {
  if (!n) return null;
  if (typeof n === 'string') return n;
  return n.kind === 'entry' ? n.item.id : null;
}

/** `wirelens-history:/<id>/name.http`: the exchange as text for the diff editor (read-only). */
class HistoryDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: HistoryStore) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = uri.path.split('/')[1] ?? '';
    const entry = await this.store.get(id);
    return entry ? exchangeDiffText(entry.exchange) : '(this history entry is gone)\n';
  }
}
