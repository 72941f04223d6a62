// The Test Explorer (VS Code Testing API): each .http/.rest file of the workspace with its requests; under a
// request, its `??` asserts and the client.test / test names its scripts declare. A request is itself a
// "sends and completes" check. Runs go through the run model (SendCommands.runDocument), so results match
// Send Request and `wirelens test`.
import * as vscode from 'vscode';
import { parseHttp, type HttpDocument, type RequestBlock } from '../language';
import { requestName, type RequestResult } from '../run';
import { parsedDocument } from './documentCache';
import type { SendCommands } from './sendCommands';

const GLOB = '**/*.{http,rest}';
const EXCLUDE = '**/node_modules/**';
const MAX_FILES = 2000;

function label(b: RequestBlock): string {
  return requestName(b) ?? b.title ?? `${b.method} ${b.target}`;
}

/** Test names a script declares literally: `client.test("name"` (JetBrains) and `test("name"` (httpyac). */
function declaredTests(b: RequestBlock): string[] {
  const names: string[] = [];
  for (const s of b.scripts) {
    if (s.phase !== 'post' || s.code === null) continue;
    for (const m of s.code.matchAll(/(?:client\.)?\btest\s*\(\s*(["'`])((?:(?!\1)[^\\\n]|\\.){1,200})\1/g)) names.push(m[2]);
  }
  return names;
}

export class TestExplorer implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('wirelens', 'Wire Lens');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly blocks = new WeakMap<vscode.TestItem, { uri: vscode.Uri; index: number }>();
  private pending: NodeJS.Timeout | null = null;
  /** The outcome of each item in the last run, with its messages (tests read it; the Testing API has no getter). */
  readonly lastRun = new Map<string, { state: 'passed' | 'failed' | 'skipped'; messages: string[]; durationMs?: number }>();

  constructor(private readonly commands: SendCommands) {
    const c = this.controller;
    c.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
      else if (item.uri) await this.refreshFile(item.uri);
    };
    c.refreshHandler = () => this.discoverAll();
    c.createRunProfile('Run', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => void this.refreshFile(u)),
      watcher.onDidChange((u) => void this.refreshFile(u)),
      watcher.onDidDelete((u) => c.items.delete(u.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.languageId !== 'http' || e.document.uri.scheme !== 'file') return;
        // Continuous refresh while typing, without re-parsing on every key stroke.
        if (this.pending) clearTimeout(this.pending);
        this.pending = setTimeout(() => {
          this.pending = null;
          this.fill(e.document.uri, parseHttp(e.document.getText()));
        }, 300);
      }),
    );
    void this.discoverAll();
  }

  /** Lists every .http / .rest file of the workspace (for tests: resolves when done). */
  async discoverAll(): Promise<void> {
    const uris = await vscode.workspace.findFiles(GLOB, EXCLUDE, MAX_FILES);
    const keep = new Set(uris.map((u) => u.toString()));
    this.controller.items.forEach((item) => {
      if (!keep.has(item.id)) this.controller.items.delete(item.id);
    });
    for (const u of uris) await this.refreshFile(u);
  }

  private async refreshFile(uri: vscode.Uri): Promise<void> {
    if (/[\\/]node_modules[\\/]/.test(uri.fsPath)) return;
    let text: string;
    try {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      text = open ? open.getText() : new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.controller.items.delete(uri.toString());
      return;
    }
    this.fill(uri, parseHttp(text));
  }

  private fill(uri: vscode.Uri, doc: HttpDocument): void {
    const c = this.controller;
    let file = c.items.get(uri.toString());
    if (!file) {
      file = c.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
      c.items.add(file);
    }
    const children: vscode.TestItem[] = [];
    doc.requests.forEach((b, index) => {
      const item = c.createTestItem(`${uri.toString()}#${index}:${b.method} ${b.target}`, label(b), uri);
      item.range = new vscode.Range(b.requestLine, 0, b.requestLine, 0);
      item.description = requestName(b) || b.title ? `${b.method} ${b.target}` : undefined;
      this.blocks.set(item, { uri, index });
      const subs: vscode.TestItem[] = [];
      for (const a of b.asserts) {
        const t = c.createTestItem(`${item.id}/assert:${a.line}`, `?? ${a.text}`, uri);
        t.range = new vscode.Range(a.line, 0, a.line, 0);
        subs.push(t);
      }
      for (const name of declaredTests(b)) subs.push(c.createTestItem(`${item.id}/test:${name}`, name, uri));
      item.children.replace(subs);
      children.push(item);
    });
    file.children.replace(children);
  }

  private collect(req: vscode.TestRunRequest): Map<string, { uri: vscode.Uri; items: vscode.TestItem[] | null }> {
    const byFile = new Map<string, { uri: vscode.Uri; items: vscode.TestItem[] | null }>();
    const excluded = new Set((req.exclude ?? []).map((i) => i.id));
    const add = (item: vscode.TestItem): void => {
      if (excluded.has(item.id)) return;
      const block = this.blocks.get(item);
      if (block) {
        const entry = byFile.get(block.uri.toString()) ?? { uri: block.uri, items: [] };
        if (entry.items) entry.items.push(item);
        byFile.set(block.uri.toString(), entry);
      } else if (item.parent) add(item.parent);
      else if (item.uri) {
        const all: vscode.TestItem[] = [];
        item.children.forEach((ch) => {
          if (!excluded.has(ch.id)) all.push(ch);
        });
        byFile.set(item.uri.toString(), { uri: item.uri, items: all });
      }
    };
    if (req.include) req.include.forEach(add);
    else this.controller.items.forEach(add);
    return byFile;
  }

  async run(req: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(req);
    this.lastRun.clear();
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      for (const { uri, items } of this.collect(req).values()) {
        if (token.isCancellationRequested) break;
        const document = await vscode.workspace.openTextDocument(uri);
        await this.refreshFile(uri);
        const file = this.controller.items.get(uri.toString());
        const byIndex = new Map<number, vscode.TestItem>();
        file?.children.forEach((ch) => {
          const b = this.blocks.get(ch);
          if (b) byIndex.set(b.index, ch);
        });
        const wanted = new Set((items ?? []).map((i) => this.blocks.get(i)?.index));
        for (const i of wanted) {
          const it = i === undefined ? undefined : byIndex.get(i);
          if (it) run.enqueued(it);
        }
        // The editor's own parse of the document (the one Send Request uses); results map back by index.
        const parsed = parsedDocument(document);
        const indexOf = new Map(parsed.requests.map((b, i) => [b, i]));
        const selected = parsed.requests.filter((_, i) => wanted.has(i));
        await this.commands.runDocument(document, selected, {
          signal: abort.signal,
          live: false,
          onResult: (r) => this.report(run, uri, byIndex.get(indexOf.get(r.block) ?? -1), r),
        });
      }
    } finally {
      sub.dispose();
      run.end();
    }
  }

  private report(run: vscode.TestRun, uri: vscode.Uri, item: vscode.TestItem | undefined, r: RequestResult): void {
    if (!item) return;
    run.started(item);
    const at = (line: number, file?: string): vscode.Location =>
      new vscode.Location(file !== undefined ? vscode.Uri.joinPath(uri, '..', file) : uri, new vscode.Position(line, 0));
    const why = r.scriptsNotRun ? ` Scripts were not run: ${r.scriptsNotRun}.` : '';
    if (r.scriptsNotRun) run.appendOutput(`${label(r.block)}: scripts were not run: ${r.scriptsNotRun}.\r\n`, at(r.block.requestLine), item);
    for (const l of r.logs) run.appendOutput(`${l.replace(/\r?\n/g, '\r\n')}\r\n`, at(r.block.requestLine), item);
    if (r.skipped) {
      run.skipped(item);
      this.lastRun.set(item.id, { state: 'skipped', messages: [r.skipped] });
      item.children.forEach((ch) => {
        run.skipped(ch);
        this.lastRun.set(ch.id, { state: 'skipped', messages: [] });
      });
      return;
    }
    const duration = Math.round(r.durationMs);
    const messages: vscode.TestMessage[] = [];
    // Children: asserts by line, tests by name (a test only known at run time gets an item of its own).
    const seen = new Set<vscode.TestItem>();
    for (const t of r.tests) {
      if (t.code === 'exit') continue;
      let child: vscode.TestItem | undefined;
      if (t.kind === 'assert') child = item.children.get(`${item.id}/assert:${t.line}`);
      else if (t.kind === 'test') {
        child = item.children.get(`${item.id}/test:${t.name}`);
        if (!child) {
          child = this.controller.createTestItem(`${item.id}/test:${t.name}`, t.name, uri);
          item.children.add(child);
        }
      }
      const msg = new vscode.TestMessage(`${t.name}: ${t.message ?? 'failed'}`);
      if (t.expected !== undefined) msg.expectedOutput = t.expected;
      if (t.actual !== undefined) msg.actualOutput = t.actual;
      msg.location = at(t.line, t.file);
      if (child) {
        seen.add(child);
        if (!child.range && t.file === undefined) child.range = new vscode.Range(t.line, 0, t.line, 0);
        run.started(child);
        if (t.passed) run.passed(child);
        else run.failed(child, msg);
        this.lastRun.set(child.id, { state: t.passed ? 'passed' : 'failed', messages: t.passed ? [] : [msg.message.toString()] });
      }
      if (!t.passed) messages.push(msg);
    }
    item.children.forEach((ch) => {
      if (seen.has(ch)) return;
      run.skipped(ch);
      this.lastRun.set(ch.id, { state: 'skipped', messages: r.scriptsNotRun ? [`Scripts were not run: ${r.scriptsNotRun}.`] : [] });
    });
    if (r.errors.length > 0) {
      for (const e of r.errors) {
        const m = new vscode.TestMessage(`Not sent: ${e.message}${why}`);
        m.location = at(e.line);
        messages.push(m);
      }
    } else if (r.exchange?.error) {
      const m = new vscode.TestMessage(`${r.exchange.error.code}: ${r.exchange.error.message}`);
      m.location = at(r.block.requestLine);
      messages.push(m);
    }
    if (messages.length > 0) run.failed(item, messages, duration);
    else run.passed(item, duration);
    this.lastRun.set(item.id, {
      state: messages.length > 0 ? 'failed' : 'passed',
      messages: messages.map((m) => m.message.toString()),
      durationMs: duration,
    });
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
    this.controller.dispose();
  }
}
