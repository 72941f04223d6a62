// Hover on header names and values in .http files (and ```http fences in Markdown), from the annotations
// knowledge base and the request-side checks.
import * as vscode from 'vscode';
import { parsedDocument } from './documentCache';
import { headerHoverAt } from './headerHover';

const SELECTOR: vscode.DocumentSelector = [{ language: 'http' }, { language: 'markdown' }];

class HeaderHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hover = headerHoverAt(parsedDocument(document), position.line, position.character, document.lineAt(position.line).text);
    if (!hover) return undefined;
    const md = new vscode.MarkdownString(hover.markdown);
    md.isTrusted = false;
    return new vscode.Hover(md, new vscode.Range(position.line, hover.start, position.line, hover.end));
  }
}

export function registerAnnotationFeatures(_context: vscode.ExtensionContext): vscode.Disposable[] {
  return [vscode.languages.registerHoverProvider(SELECTOR, new HeaderHoverProvider())];
}
