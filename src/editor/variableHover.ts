// Hover on `{{variable}}`: its value as it would be sent now (secrets masked) and where it comes from.
import * as vscode from 'vscode';
import { makeResolver, namedRequest, parseRequestVariable, referenceAt, SYSTEM_VARIABLES } from '../language';
import { parsedDocument } from './documentCache';
import { resolveContextFor } from './environments';

const MAX_SHOWN = 500;

function code(text: string): string {
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return `\`\`\`text\n${shown.replace(/```/g, '`\u200b``')}\n\`\`\``;
}

export class VariableHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const doc = parsedDocument(document);
    const ref = referenceAt(doc, position.line, position.character);
    if (!ref) return undefined;
    const range = new vscode.Range(ref.line, ref.start, ref.line, ref.end);
    const ctx = resolveContextFor(document);
    const { resolver, environments } = makeResolver(doc, ctx);
    const md = new vscode.MarkdownString();
    const expr = ref.expression;
    const name = expr.replace(/^%/, '');
    md.appendMarkdown(`**\`{{${expr}}}\`**`);
    if (name.startsWith('$')) {
      const sys = SYSTEM_VARIABLES.find((s) => s.name === name.split(/[\s(]/, 1)[0]);
      md.appendMarkdown(` — system variable\n\n${sys?.description ?? 'Unknown system variable.'}`);
      const r = resolver.lookup(expr);
      md.appendMarkdown(
        'value' in r ? `\n\nNow it would be:\n\n${code(r.value)}\n\n_A new value is made each time the request is sent._` : `\n\n$(error) ${r.error}`,
      );
      md.supportThemeIcons = true;
      return new vscode.Hover(md, range);
    }
    const source = resolver.sourceOf(name);
    const env = environments.variables(ctx.environment ?? null).get(name);
    const rv = source === null ? parseRequestVariable(name) : null;
    if (source === 'file') md.appendMarkdown(' — file variable');
    else if (source === 'environment')
      md.appendMarkdown(
        ` — environment \`${ctx.environment ?? '$shared'}\`${env ? ` (${env.source === 'settings' ? 'settings' : vscode.workspace.asRelativePath(env.source)})` : ''}`,
      );
    else if (rv) {
      const target = namedRequest(doc, rv.name);
      md.appendMarkdown(
        ` — request variable: ${rv.source} ${rv.part} of ${target ? `\`${target.method} ${target.target}\` (line ${target.requestLine + 1})` : `request '${rv.name}'`}`,
      );
    }
    const block = doc.requests.find((r) => ref.line >= r.startLine && ref.line <= r.endLine);
    if (block?.prompts.some((p) => p.name === name)) {
      md.appendMarkdown(' — prompted when the request is sent');
      return new vscode.Hover(md, range);
    }
    const r = resolver.lookup(expr);
    if ('value' in r)
      md.appendMarkdown(`\n\n${r.secret ? '$(lock) secret (from a private env file), masked:\n\n' : ''}${code(r.secret ? '•'.repeat(8) : r.value)}`);
    else md.appendMarkdown(`\n\n$(warning) ${r.error}`);
    md.supportThemeIcons = true;
    return new vscode.Hover(md, range);
  }
}
