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
  // A request of its own: set apart from what is around it by ###.
  const at = editor.selection.active;
  const before = at.line > 0 && editor.document.lineAt(Math.max(0, at.line - 1)).text.trim() !== '' ? '\n###\n' : '';
  return editor.edit((e) => e.replace(editor.selection, `${before}${r.text}`));
}

export function registerPasteCurl(): vscode.Disposable {
  return vscode.commands.registerCommand('wirelens.pasteCurlAsRequest', () => pasteCurlAsRequest());
}
