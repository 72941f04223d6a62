// Outline (document symbols) per request and file variable, and folding per `###` block and script.
import * as vscode from 'vscode';
import { parsedDocument } from './documentCache';

export class HttpSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const doc = parsedDocument(document);
    const out: vscode.DocumentSymbol[] = [];
    for (const v of doc.variables) {
      const line = document.lineAt(v.line);
      out.push(
        new vscode.DocumentSymbol(
          `@${v.name}`,
          v.value,
          vscode.SymbolKind.Variable,
          line.range,
          new vscode.Range(v.line, v.nameStart, v.line, v.nameEnd),
        ),
      );
    }
    for (const r of doc.requests) {
      const label = r.name ?? r.title ?? `${r.method} ${r.target}`;
      const end = Math.min(r.endLine, document.lineCount - 1);
      const full = new vscode.Range(r.startLine, 0, end, document.lineAt(end).text.length);
      const sel = document.lineAt(r.requestLine).range;
      const symbol = new vscode.DocumentSymbol(label, `${r.method} ${r.target}`, vscode.SymbolKind.Method, full.union(sel), sel);
      out.push(symbol);
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line);
  }
}

export class HttpFoldingProvider implements vscode.FoldingRangeProvider {
  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const doc = parsedDocument(document);
    const out: vscode.FoldingRange[] = [];
    const lastNonBlank = (from: number, to: number): number => {
      let k = to;
      while (k > from && document.lineAt(k).isEmptyOrWhitespace) k--;
      return k;
    };
    const seps = doc.separators;
    const separatorLines = new Set(seps);
    for (let i = 0; i < seps.length; i++) {
      const end = lastNonBlank(seps[i], (i + 1 < seps.length ? seps[i + 1] : document.lineCount) - 1);
      if (end > seps[i]) out.push(new vscode.FoldingRange(seps[i], end, vscode.FoldingRangeKind.Region));
    }
    for (const r of doc.requests) {
      // Requests that do not open with a separator (first in the file, or httpyac style) fold from the request line.
      if (!separatorLines.has(r.startLine - 1)) {
        const end = lastNonBlank(r.requestLine, r.endLine);
        if (end > r.requestLine) out.push(new vscode.FoldingRange(r.requestLine, end, vscode.FoldingRangeKind.Region));
      }
      for (const s of r.skipped) if (s.endLine > s.startLine) out.push(new vscode.FoldingRange(s.startLine, s.endLine));
      if (r.bodyStartLine !== null && r.bodyEndLine !== null && r.bodyEndLine > r.bodyStartLine)
        out.push(new vscode.FoldingRange(r.bodyStartLine, r.bodyEndLine));
    }
    return out;
  }
}
