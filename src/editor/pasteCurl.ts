// "Wire Lens: Paste cURL as Request": the clipboard's curl command becomes .http text at the cursor.
import * as vscode from 'vscode';
import { curlToHttp } from '../language/curl';

export async function pasteCurlAsRequest(): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showErrorMessage('Wire Lens: open an .http file to paste a curl command into.');
    return false;
  }
  const clip = (await vscode.env.clipboard.readText()).trim();
  if (!/^curl\s/.test(clip)) {
    void vscode.window.showErrorMessage('Wire Lens: the clipboard holds no curl command (it should start with "curl ").');
    return false;
  }
  const r = curlToHttp(clip);
  if ('error' in r) {
    void vscode.window.showErrorMessage(`Wire Lens: cannot read the curl command: ${r.error}`);
    return false;
  }
  const doc = editor.document;
  const { start, end } = editor.selection;
  const text = placed(
    r.text,
    doc.getText(new vscode.Range(new vscode.Position(0, 0), start)),
    doc.getText(new vscode.Range(end, doc.lineAt(doc.lineCount - 1).range.end)),
  );
  return editor.edit((e) => e.replace(editor.selection, text));
}

/**
 * A request of its own: set apart by `###` from a request before it (else it would be read as that request's
 * body) and from one after it (else that request line would be read as one of its headers).
 */
export function placed(request: string, before: string, after: string): string {
  const lastLine = before
    .split(/\r?\n/)
    .reverse()
    .find((l) => l.trim() !== '');
  const firstLine = after.split(/\r?\n/).find((l) => l.trim() !== '');
  const midLine = before !== '' && !/\n$/.test(before);
  const lead = lastLine !== undefined && !/^###/.test(lastLine.trim()) ? `${midLine ? '\n' : ''}\n###\n` : midLine ? '\n' : '';
  const trail = firstLine !== undefined && !/^###/.test(firstLine.trim()) ? '\n###\n' : '';
  return `${lead}${request}${trail}`;
}

export function registerPasteCurl(): vscode.Disposable {
  return vscode.commands.registerCommand('wirelens.pasteCurlAsRequest', () => pasteCurlAsRequest());
}
