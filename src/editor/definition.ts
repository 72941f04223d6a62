// Go to definition: `{{name}}` → its `@name =` line; `{{login.response…}}` → the `# @name login` request;
// an environment variable → its entry in http-client(.private).env.json.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { namedRequest, parseRequestVariable, referenceAt } from '../language';
import { parsedDocument } from './documentCache';
import { currentEnvironment, environmentsFor } from './environments';

export class VariableDefinitionProvider implements vscode.DefinitionProvider {
  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location[] | undefined {
    const doc = parsedDocument(document);
    const ref = referenceAt(doc, position.line, position.character);
    if (!ref) return undefined;
    const name = ref.expression.replace(/^%/, '');
    const fileVar = [...doc.variables].reverse().find((v) => v.name === name);
    if (fileVar) return [new vscode.Location(document.uri, new vscode.Range(fileVar.line, fileVar.nameStart - 1, fileVar.line, fileVar.nameEnd))];
    const rv = parseRequestVariable(name);
    if (rv) {
      const target = namedRequest(doc, rv.name);
      if (!target) return undefined;
      const meta = target.metadataEntries.find((m) => m.key === 'name' && m.value === rv.name);
      const line = meta?.line ?? target.requestLine;
      return [new vscode.Location(document.uri, new vscode.Range(line, 0, line, document.lineAt(line).text.length))];
    }
    const env = environmentsFor(document).variables(currentEnvironment()).get(name);
    if (env && env.source !== 'settings') {
      try {
        const text = fs.readFileSync(env.source, 'utf8');
        const lines = text.split(/\r?\n/);
        const key = JSON.stringify(name);
        const line = lines.findIndex((l) => l.includes(`${key}:`) || l.includes(`${key} :`));
        if (line >= 0) {
          const col = lines[line].indexOf(key);
          return [new vscode.Location(vscode.Uri.file(env.source), new vscode.Range(line, col, line, col + key.length))];
        }
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}
