// Editor features of the .http language (completion, hover on variables, definition, symbols, folding,
// diagnostics, environment picker). Registered from extension.ts.
import type * as vscode from 'vscode';

export function registerLanguageFeatures(_context: vscode.ExtensionContext): vscode.Disposable[] {
  return [];
}
