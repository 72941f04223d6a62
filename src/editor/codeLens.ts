// A `Send Request` CodeLens above each request line.
import * as vscode from 'vscode';
import { parsedDocument } from './documentCache';

export class SendRequestCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return parsedDocument(document).requests.map((block) => {
      const range = new vscode.Range(block.requestLine, 0, block.requestLine, 0);
      return new vscode.CodeLens(range, {
        title: 'Send Request',
        command: 'wirelens.sendRequest',
        arguments: [document.uri, block.requestLine],
        tooltip: 'Send this request and show the exchange (Ctrl+Alt+R)',
      });
    });
  }
}
