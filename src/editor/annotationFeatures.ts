// Annotations in the editor: hover on header names and values in .http files (and ```http fences in Markdown),
// and the request-side checks as diagnostics, both from the annotations knowledge base.
import * as vscode from 'vscode';
import { parsedDocument } from './documentCache';
import { headerHoverAt } from './headerHover';
import { requestProblems } from '../annotate/requestProblems';

const SELECTOR: vscode.DocumentSelector = [{ language: 'http' }, { language: 'markdown' }];
const DEBOUNCE_MS = 250;

class HeaderHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hover = headerHoverAt(parsedDocument(document), position.line, position.character, document.lineAt(position.line).text);
    if (!hover) return undefined;
    const md = new vscode.MarkdownString(hover.markdown);
    md.isTrusted = false;
    return new vscode.Hover(md, new vscode.Range(position.line, hover.start, position.line, hover.end));
  }
}

function isHttp(document: vscode.TextDocument): boolean {
  return document.languageId === 'http';
}

function refresh(collection: vscode.DiagnosticCollection, document: vscode.TextDocument): void {
  if (!isHttp(document)) return;
  const diagnostics = requestProblems(parsedDocument(document))
    .filter((p) => p.line < document.lineCount)
    .map((p) => {
      const text = document.lineAt(p.line);
      const range = new vscode.Range(p.line, text.firstNonWhitespaceCharacterIndex, p.line, text.text.length);
      const d = new vscode.Diagnostic(
        range,
        p.message,
        p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
      );
      d.source = 'Wire Lens';
      d.code = p.code;
      return d;
    });
  collection.set(document.uri, diagnostics);
}

export function registerAnnotationFeatures(_context: vscode.ExtensionContext): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('wirelens-annotations');
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (document: vscode.TextDocument): void => {
    if (!isHttp(document)) return;
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        refresh(collection, document);
      }, DEBOUNCE_MS),
    );
  };
  for (const d of vscode.workspace.textDocuments) refresh(collection, d);
  return [
    vscode.languages.registerHoverProvider(SELECTOR, new HeaderHoverProvider()),
    collection,
    vscode.workspace.onDidOpenTextDocument((d) => refresh(collection, d)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
    }),
    {
      dispose: () => {
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
      },
    },
  ];
}
