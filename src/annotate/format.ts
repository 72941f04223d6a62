// Plain-text and Markdown renderings of knowledge entries and notes, shared by `wirelens explain` and the hover.
import type { Note } from '../shared/exchange';
import type { HeaderField, StatusCode } from './types';

const CONTEXT_TEXT: Record<HeaderField['context'], string> = {
  request: 'request',
  response: 'response',
  both: 'request and response',
};

export interface FormatOptions {
  markdown?: boolean;
}

export function formatHeaderExplanation(f: HeaderField, opts: FormatOptions = {}): string {
  const md = opts.markdown === true;
  const lines: string[] = [];
  lines.push(md ? `**${f.name}**${f.deprecated ? ' _(deprecated)_' : ''}` : `${f.name}${f.deprecated ? ' (deprecated)' : ''}`);
  lines.push('');
  lines.push(f.description);
  if (f.detail) {
    lines.push('');
    lines.push(f.detail);
  }
  lines.push('');
  const facts: Array<[string, string]> = [['Used in', CONTEXT_TEXT[f.context]]];
  if (f.syntax) facts.push(['Syntax', md ? `\`${f.syntax}\`` : f.syntax]);
  if (f.structured) facts.push(['Structured field', `${f.structured} (RFC 9651)`]);
  if (f.repeatable !== undefined) facts.push(['Repeatable', f.repeatable ? 'yes (list or multi-line)' : 'no (one value)']);
  if (f.status && f.status !== 'permanent') facts.push(['Registration', f.status]);
  if (f.values?.length) facts.push(['Common values', f.values.map((v) => (md ? `\`${v}\`` : v)).join(', ')]);
  facts.push(['Reference', f.reference]);
  for (const [k, v] of facts) lines.push(md ? `- ${k}: ${v}` : `  ${k}: ${v}`);
  return lines.join('\n');
}

export function formatStatusExplanation(s: StatusCode, opts: FormatOptions = {}): string {
  const md = opts.markdown === true;
  const lines = [md ? `**${s.code} ${s.name}**` : `${s.code} ${s.name}`, '', s.description, ''];
  const facts: Array<[string, string]> = [['Class', `${Math.floor(s.code / 100)}xx ${s.class ?? ''}`.trim()]];
  if (s.clientAction) facts.push(['What a client does', s.clientAction]);
  facts.push(['Registered', s.registered ? 'yes (IANA HTTP Status Code Registry)' : `no${s.origin ? ` (used by ${s.origin})` : ''}`]);
  facts.push(['Reference', s.reference]);
  for (const [k, v] of facts) lines.push(md ? `- ${k}: ${v}` : `  ${k}: ${v}`);
  return lines.join('\n');
}

const ICON: Record<Note['level'], string> = { good: '✓', info: 'ℹ', warning: '⚠', bad: '✗' };

/** Escapes Markdown syntax in text that may carry values from the wire or the user's file. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&');
}

export function formatNote(n: Note, opts: FormatOptions = {}): string {
  if (opts.markdown)
    return `${ICON[n.level]} **${escapeMarkdown(n.summary)}** _(${n.level}, ${n.category}${n.id ? `, \`${n.id}\`` : ''})_  \n${escapeMarkdown(n.detail)}${n.reference ? ` — ${n.reference}` : ''}`;
  return `${ICON[n.level]} [${n.level}] ${n.summary}${n.id ? ` (${n.id})` : ''}\n    ${n.detail}${n.reference ? `\n    See ${n.reference}` : ''}`;
}
