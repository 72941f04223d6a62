// Hover on header names and values in .http files, from the annotations knowledge base.
import type * as vscode from 'vscode';

export function registerAnnotationFeatures(_context: vscode.ExtensionContext): vscode.Disposable[] {
  return [];
}
