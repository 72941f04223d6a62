// Failed tests and asserts as editor diagnostics on their line, until the request runs again.
import * as vscode from 'vscode';
import type { RequestResult } from '../run';

export class TestDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('wirelens.tests');
  /** Per document, per request (its first line): the diagnostics of its last run. */
  private readonly byRequest = new Map<string, Map<number, vscode.Diagnostic[]>>();

  /** Replaces the diagnostics of the request that just ran. */
  record(document: vscode.TextDocument, r: RequestResult): void {
    const key = document.uri.toString();
    const perDoc = this.byRequest.get(key) ?? new Map<number, vscode.Diagnostic[]>();
    this.byRequest.set(key, perDoc);
    const list: vscode.Diagnostic[] = [];
    const externals = new Map<string, vscode.Diagnostic[]>();
    for (const t of r.tests) {
      if (t.passed) continue;
      const message = [
        `${t.kind === 'assert' ? 'Assert' : t.kind === 'script' ? 'Script' : 'Test'} failed: ${t.name}`,
        t.message,
        t.expected !== undefined || t.actual !== undefined ? `expected ${t.expected ?? '?'}, actual ${t.actual ?? '?'}` : null,
      ]
        .filter(Boolean)
        .join(' — ');
      if (t.file !== undefined) {
        const d = new vscode.Diagnostic(new vscode.Range(t.line, 0, t.line, 1000), message, vscode.DiagnosticSeverity.Error);
        d.source = 'Wire Lens tests';
        const uri = vscode.Uri.joinPath(document.uri, '..', t.file).toString();
        externals.set(uri, [...(externals.get(uri) ?? []), d]);
        continue;
      }
      const line = Math.min(t.line, Math.max(0, document.lineCount - 1));
      const d = new vscode.Diagnostic(document.lineAt(line).range, message, vscode.DiagnosticSeverity.Error);
      d.source = 'Wire Lens tests';
      if (t.code) d.code = t.code;
      list.push(d);
    }
    if (r.scriptsNotRun && r.block.scripts.length > 0) {
      const d = new vscode.Diagnostic(
        document.lineAt(r.block.scripts[0].startLine).range,
        `Scripts not run: ${r.scriptsNotRun}.`,
        vscode.DiagnosticSeverity.Information,
      );
      d.source = 'Wire Lens tests';
      list.push(d);
    }
    perDoc.set(r.block.startLine, list);
    this.collection.set(document.uri, [...perDoc.values()].flat());
    for (const [uri, ds] of externals) this.collection.set(vscode.Uri.parse(uri), ds);
  }

  /** Diagnostics shown for a document (tests). */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.collection.dispose();
  }
}
