// Diagnostics for .http files: the parser's (malformed lines, skipped syntax) and unknown variables for the
// selected environment. Recomputed on edit (debounced), on environment switch and when env files change.
import * as vscode from 'vscode';
import { checkVariables, type LangDiagnostic } from '../language';
import { parsedDocument } from './documentCache';
import { currentEnvironment, environmentsFor, type EnvironmentPicker } from './environments';

const SEVERITY: Record<LangDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(document: vscode.TextDocument, d: LangDiagnostic): vscode.Diagnostic {
  const line = Math.min(d.line, document.lineCount - 1);
  const text = document.lineAt(line).text;
  const start = d.column ?? text.length - text.trimStart().length;
  const end = d.endColumn ?? text.length;
  const diag = new vscode.Diagnostic(
    new vscode.Range(line, Math.min(start, text.length), line, Math.max(Math.min(end, text.length), Math.min(start, text.length))),
    d.message,
    SEVERITY[d.severity],
  );
  diag.source = 'Wire Lens';
  return diag;
}

export function computeDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  const doc = parsedDocument(document);
  const env = currentEnvironment();
  const envs = environmentsFor(document);
  const others = envs.names.filter((n) => n !== env).map((n) => ({ n, vars: envs.variables(n) }));
  const vars = checkVariables(doc, {
    environment: new Set(envs.variables(env).keys()),
    environmentName: env,
    elsewhere: (name) => others.filter((o) => o.vars.has(name)).map((o) => o.n),
  });
  return [...doc.diagnostics, ...vars].map((d) => toDiagnostic(document, d));
}

export function registerDiagnostics(picker: EnvironmentPicker): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('wirelens');
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (document: vscode.TextDocument): void => {
    if (document.languageId !== 'http') return;
    collection.set(document.uri, computeDiagnostics(document));
  };
  const later = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        refresh(document);
      }, 250),
    );
  };
  const all = (): void => vscode.workspace.textDocuments.forEach(refresh);
  const watcher = vscode.workspace.createFileSystemWatcher('**/{http-client.env.json,http-client.private.env.json,.env,.env.*,*.env}');
  vscode.workspace.textDocuments.forEach(refresh);
  return [
    collection,
    watcher,
    watcher.onDidChange(all),
    watcher.onDidCreate(all),
    watcher.onDidDelete(all),
    picker.onDidChange(all),
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  ];
}
