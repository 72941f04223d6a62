// A `Send Request` CodeLens above each request line; `Connect` above a WebSocket, TCP, TLS or UDP block.
import * as vscode from 'vscode';
import { parsedDocument } from './documentCache';

export class SendRequestCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return parsedDocument(document).requests.map((block) => {
      const range = new vscode.Range(block.requestLine, 0, block.requestLine, 0);
      const socket = block.socket !== undefined;
      return new vscode.CodeLens(range, {
        title: socket ? 'Connect' : 'Send Request',
        command: 'wirelens.sendRequest',
        arguments: [document.uri, block.requestLine],
        tooltip: socket
          ? "Connect, send the block's messages and show the transcript; the panel keeps the connection open (Ctrl+Alt+R)"
          : 'Send this request and show the exchange (Ctrl+Alt+R)',
      });
    });
  }
}
