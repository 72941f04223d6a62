// The History tree: entries grouped by day (newest first), each `METHOD URL` with status, time and size,
// filterable. Clicking one opens it in the panel as it was.
import * as vscode from 'vscode';
import { groupByDay, matchesFilter, type HistoryItem, type HistoryStore } from '../history/store';
import { formatBytes, formatMs } from '../view/units';

export type HistoryNode = { kind: 'day'; label: string; items: HistoryItem[] } | { kind: 'entry'; item: HistoryItem };

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode> {
  private readonly emitter = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  filter = '';

  constructor(private readonly store: HistoryStore) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  setFilter(text: string): void {
    this.filter = text.trim();
    this.refresh();
  }

  /** The entries shown now (filter applied), newest first. */
  visible(): HistoryItem[] {
    return this.store.list().filter((i) => this.filter === '' || matchesFilter(i, this.filter));
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    if (!node) return groupByDay(this.visible()).map((g) => ({ kind: 'day', label: g.label, items: g.items }));
    if (node.kind === 'day') return node.items.map((item) => ({ kind: 'entry', item }));
    return [];
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node.kind === 'day') {
      const t = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      t.description = `${node.items.length}`;
      t.contextValue = 'wirelens.historyDay';
      t.id = `day:${node.label}`;
      return t;
    }
    const i = node.item;
    // Method and path first (what tells entries apart in a narrow side bar); the origin goes in the description.
    let pathPart = i.url;
    let origin = '';
    try {
      const u = new URL(i.url);
      pathPart = `${u.pathname}${u.search}`;
      origin = u.host;
    } catch {
      // not a URL (refused before sending): shown whole
    }
    const t = new vscode.TreeItem(`${i.method} ${pathPart}`, vscode.TreeItemCollapsibleState.None);
    t.id = i.id;
    const sent = new Date(i.sentAt);
    const clock = `${String(sent.getHours()).padStart(2, '0')}:${String(sent.getMinutes()).padStart(2, '0')}:${String(sent.getSeconds()).padStart(2, '0')}`;
    const outcome = i.status !== null ? `${i.status}` : (i.errorCode ?? '—');
    t.description = `${outcome} · ${formatMs(i.totalMs)} · ${i.size === null ? '—' : formatBytes(i.size)} · ${clock}${origin ? ` · ${origin}` : ''}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendText(`${i.method} ${i.url}\n\n`);
    md.appendText(
      `${i.status !== null ? `${i.status} ${i.reason ?? ''}` : `failed: ${i.errorCode ?? ''}`} — ${formatMs(i.totalMs)}, ${i.size === null ? 'no body' : formatBytes(i.size)}\n`,
    );
    md.appendText(
      `Sent ${sent.toLocaleString()}${i.source ? ` from ${vscode.Uri.parse(i.source.uri).path.split('/').pop() ?? ''}:${i.source.line + 1}` : ''}`,
    );
    if (i.masked) md.appendText('\nSecrets are masked in this record.');
    t.tooltip = md;
    t.iconPath = new vscode.ThemeIcon(
      i.errorCode && i.status === null ? 'error' : i.status !== null && i.status >= 400 ? 'warning' : 'pass',
      new vscode.ThemeColor(
        i.errorCode && i.status === null
          ? 'errorForeground'
          : i.status !== null && i.status >= 500
            ? 'errorForeground'
            : i.status !== null && i.status >= 400
              ? 'editorWarning.foreground'
              : 'testing.iconPassed',
      ),
    );
    t.contextValue = i.source ? 'wirelens.historyEntry.withSource' : 'wirelens.historyEntry';
    t.command = { command: 'wirelens.history.open', title: 'Open in Panel', arguments: [i.id] };
    t.accessibilityInformation = { label: `${i.method} ${i.url}, ${outcome}, ${formatMs(i.totalMs)}, sent ${clock}` };
    return t;
  }

  getParent(): undefined {
    return undefined;
  }
}
