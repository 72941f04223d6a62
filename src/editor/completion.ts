// Completion in .http files: methods, header names (with their meaning) and values from the annotations
// knowledge base, media types, and variable names (file, environment, prompts, named requests, system).
import * as vscode from 'vscode';
import { headerField, headerFields } from '../annotate/knowledge';
import { completionContext, KNOWN_METHODS, SYSTEM_VARIABLES, blockAt } from '../language';
import { parsedDocument } from './documentCache';
import { currentEnvironment, environmentsFor } from './environments';

/** Media types offered for Content-Type and Accept, after the knowledge base's own values. */
const MEDIA_TYPES = [
  'application/json',
  'application/xml',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=WireLensBoundary',
  'application/octet-stream',
  'application/problem+json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/graphql-response+json',
  'application/ld+json',
  'application/yaml',
  'text/csv',
  'text/xml',
  'application/pdf',
  'image/png',
  '*/*',
];

/** Values the knowledge base may not list but .http files use. */
const EXTRA_VALUES: Record<string, string[]> = {
  'x-request-type': ['GraphQL'],
};

function mask(value: string): string {
  return '•'.repeat(Math.min(8, Math.max(4, value.length)));
}

export class HttpCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    _token: vscode.CancellationToken,
    trigger?: vscode.CompletionContext,
  ): vscode.CompletionItem[] {
    const doc = parsedDocument(document);
    const lineText = document.lineAt(position.line).text;
    const ctx = completionContext(doc, lineText, position.line, position.character);
    if (ctx.kind === 'none') return [];
    // Trigger characters only open the list where they mean something: `{{`, `$`, `.` in variables; `:` / space in header values.
    const ch = trigger?.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter ? trigger.triggerCharacter : undefined;
    if (ch !== undefined && (ch === ':' || ch === ' ' ? ctx.kind !== 'header-value' : ctx.kind !== 'variable')) return [];
    const range = new vscode.Range(position.line, ctx.start, position.line, position.character);
    switch (ctx.kind) {
      case 'variable':
        return this.variables(document, position, range);
      case 'method':
        return KNOWN_METHODS.map((m, i) => {
          const item = new vscode.CompletionItem(m, vscode.CompletionItemKind.Keyword);
          item.insertText = `${m} `;
          item.range = range;
          item.sortText = String(i).padStart(3, '0');
          item.detail = 'HTTP method';
          return item;
        });
      case 'header-name':
        return headerFields()
          .filter((h) => h.context !== 'response')
          .map((h) => {
            const item = new vscode.CompletionItem(h.name, vscode.CompletionItemKind.Field);
            item.insertText = `${h.name}: `;
            item.range = range;
            item.detail = h.description;
            item.documentation = new vscode.MarkdownString(
              [h.description, h.syntax ? `\`${h.name}: ${h.syntax}\`` : '', h.reference ? `_${h.reference}_` : ''].filter(Boolean).join('\n\n'),
            );
            if (h.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
            item.command = h.values?.length ? { title: 'values', command: 'editor.action.triggerSuggest' } : undefined;
            return item;
          });
      case 'header-value': {
        const lower = ctx.header.toLowerCase();
        const values = [...(headerField(ctx.header)?.values ?? []), ...(EXTRA_VALUES[lower] ?? [])];
        if (lower === 'content-type' || lower === 'accept') values.push(...MEDIA_TYPES);
        const space = lineText[ctx.start - 1] === ':' ? ' ' : '';
        return [...new Set(values)].map((v, i) => {
          const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.Value);
          item.range = range;
          if (space) item.insertText = space + v;
          item.sortText = String(i).padStart(3, '0');
          return item;
        });
      }
    }
  }

  private variables(document: vscode.TextDocument, position: vscode.Position, range: vscode.Range): vscode.CompletionItem[] {
    const doc = parsedDocument(document);
    const items: vscode.CompletionItem[] = [];
    const seen = new Set<string>();
    const add = (label: string, kind: vscode.CompletionItemKind, detail: string, doc?: string, insert?: string): void => {
      if (seen.has(label)) return;
      seen.add(label);
      const item = new vscode.CompletionItem(label, kind);
      item.range = range;
      item.detail = detail;
      if (doc) item.documentation = new vscode.MarkdownString(doc);
      if (insert) item.insertText = insert;
      // Keep the order they are added in (file, prompt, environment, request, then system variables): sorted by
      // label, every `$system` name would come before the file's own variables.
      item.sortText = String(items.length).padStart(4, '0');
      items.push(item);
    };
    for (const v of [...doc.variables].reverse()) add(v.name, vscode.CompletionItemKind.Variable, `file variable = ${v.value}`);
    for (const p of blockAt(doc, position.line)?.prompts ?? [])
      add(p.name, vscode.CompletionItemKind.Variable, `prompted when sent${p.description ? `: ${p.description}` : ''}`);
    const env = currentEnvironment();
    for (const [name, v] of environmentsFor(document).variables(env)) {
      add(name, vscode.CompletionItemKind.Constant, `${env ?? '$shared'} = ${v.secret ? mask(v.value) : v.value}`);
    }
    for (const r of doc.requests) {
      const name = r.name ?? (r.title && /^[\w-]+$/.test(r.title) ? r.title : null);
      if (!name) continue;
      const what = `${r.method} ${r.target}`;
      add(`${name}.response.body.$`, vscode.CompletionItemKind.Reference, `JSONPath into the last response of ${what}`);
      add(`${name}.response.headers.`, vscode.CompletionItemKind.Reference, `A header of the last response of ${what}`);
      add(`${name}.request.body.*`, vscode.CompletionItemKind.Reference, `The body last sent by ${what}`);
      add(`${name}.request.headers.`, vscode.CompletionItemKind.Reference, `A header last sent by ${what}`);
    }
    for (const s of SYSTEM_VARIABLES) add(s.name, vscode.CompletionItemKind.Function, 'system variable', s.description, s.insert);
    return items;
  }
}
