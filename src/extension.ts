// Wires the editor features and the panel together. No logic lives here.
import * as vscode from 'vscode';
import { registerAnnotationFeatures } from './editor/annotationFeatures';
import { SendRequestCodeLensProvider } from './editor/codeLens';
import { registerLanguageFeatures } from './editor/languageFeatures';
import { History } from './editor/history';
import { registerPasteCurl } from './editor/pasteCurl';
import { SendCommands } from './editor/sendCommands';
import { TestDiagnostics } from './editor/testDiagnostics';
import { TestExplorer } from './editor/testExplorer';
import { PanelManager } from './panel/panelManager';

export interface WireLensApi {
  commands: SendCommands;
  panels: PanelManager;
  history: History;
  tests: TestExplorer;
  testDiagnostics: TestDiagnostics;
}

const HTTP_SELECTOR: vscode.DocumentSelector = [{ language: 'http' }];

export function activate(context: vscode.ExtensionContext): WireLensApi {
  const panels = new PanelManager(context.extensionUri);
  const commands = new SendCommands(panels);
  const history = new History(context, panels);
  commands.onSent = (exchange, request, source) => history.record(exchange, request, source);
  history.attach((request) => commands.run(request));
  const testDiagnostics = new TestDiagnostics();
  const tests = new TestExplorer(commands);
  context.subscriptions.push(
    panels,
    history,
    ...commands.register(),
    testDiagnostics,
    tests,
    commands.onResult(({ document, result }) => testDiagnostics.record(document, result)),
    vscode.languages.registerCodeLensProvider(HTTP_SELECTOR, new SendRequestCodeLensProvider()),
    vscode.window.registerWebviewPanelSerializer('wirelens.response', panels.serializer()),
    ...registerLanguageFeatures(context),
    ...registerAnnotationFeatures(context),
    registerPasteCurl(),
  );
  return { commands, panels, history, tests, testDiagnostics };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
