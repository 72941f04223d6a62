// Editor features of the .http language (completion, hover on variables, definition, symbols, folding,
// diagnostics, environment picker, CodeLens in Markdown ```http fences). Registered from extension.ts.
import * as vscode from 'vscode';
import { SendRequestCodeLensProvider } from './codeLens';
import { HttpCompletionProvider } from './completion';
import { VariableDefinitionProvider } from './definition';
import { registerDiagnostics } from './diagnostics';
import { EnvironmentPicker, usePicker } from './environments';
import { HttpFoldingProvider, HttpSymbolProvider } from './outline';
import { VariableHoverProvider } from './variableHover';

const HTTP: vscode.DocumentSelector = [{ language: 'http' }];

export function registerLanguageFeatures(context: vscode.ExtensionContext): vscode.Disposable[] {
  const picker = new EnvironmentPicker(context);
  usePicker(picker);
  return [
    picker,
    { dispose: () => usePicker(undefined) },
    vscode.languages.registerCompletionItemProvider(HTTP, new HttpCompletionProvider(), '{', ':', ' ', '$', '.'),
    vscode.languages.registerHoverProvider(HTTP, new VariableHoverProvider()),
    vscode.languages.registerDefinitionProvider(HTTP, new VariableDefinitionProvider()),
    vscode.languages.registerDocumentSymbolProvider(HTTP, new HttpSymbolProvider(), { label: 'Wire Lens' }),
    vscode.languages.registerFoldingRangeProvider(HTTP, new HttpFoldingProvider()),
    // extension.ts registers the CodeLens for .http files; Markdown ```http fences get it here.
    vscode.languages.registerCodeLensProvider([{ language: 'markdown' }], new SendRequestCodeLensProvider()),
    ...registerDiagnostics(picker),
  ];
}
