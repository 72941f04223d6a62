// Parses each document version once; CodeLens, symbols, commands and the other providers share the result.
// Markdown documents are parsed through their ```http fences.
import type * as vscode from 'vscode';
import { parseHttp, parseMarkdownHttp, type HttpDocument } from '../language';

const cache = new WeakMap<vscode.TextDocument, { version: number; doc: HttpDocument }>();

export function parsedDocument(document: vscode.TextDocument): HttpDocument {
  const hit = cache.get(document);
  if (hit && hit.version === document.version) return hit.doc;
  const text = document.getText();
  const doc = document.languageId === 'markdown' ? parseMarkdownHttp(text) : parseHttp(text);
  cache.set(document, { version: document.version, doc });
  return doc;
}
