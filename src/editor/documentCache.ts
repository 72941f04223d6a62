// Parses each document version once; CodeLens, commands and other providers share the result.
import type * as vscode from 'vscode';
import { parseHttp, type HttpDocument } from '../language';

const cache = new WeakMap<vscode.TextDocument, { version: number; doc: HttpDocument }>();

export function parsedDocument(document: vscode.TextDocument): HttpDocument {
  const hit = cache.get(document);
  if (hit && hit.version === document.version) return hit.doc;
  const doc = parseHttp(document.getText());
  cache.set(document, { version: document.version, doc });
  return doc;
}
