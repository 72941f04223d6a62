// The tolerant .http parser: text → HttpDocument. Never throws; problems become diagnostics with lines.
// Rules follow REST Client and the JetBrains HTTP Client (plus httpyac's requests without `###`).
import { curlCommandEnd, parseCurl } from './curl';
import { splitLines } from './lines';
import {
  isBlank,
  isComment,
  isSeparator,
  isStrictRequestLine,
  parseHeader,
  parseInclude,
  parseMetadata,
  parseRequestLine,
  parseVariableDefinition,
  preScriptFile,
  skipStart,
  type RequestLine,
  type SkipStart,
} from './syntax';
import { describeEvidence, detectDialect, type DocumentDialect } from './dialect';
import {
  isProtoImport,
  isSseMethod,
  isUnsupportedProtocolLine,
  PROTO_MESSAGE,
  sendsFromScript,
  unsupportedMessage,
  unsupportedProtocol,
  type UnsupportedProtocol,
} from './protocols';
import { checkSocketBlock } from './socketBlock';
import { parseSeparator, socketKindOf } from './sockets';
import type {
  AssertSource,
  BodyInclude,
  HeaderLine,
  HttpDocument,
  LangDiagnostic,
  MetadataEntry,
  PromptDefinition,
  RequestBlock,
  ScriptSource,
  Severity,
  SkippedSection,
  FileVariable,
  VariableReference,
} from './types';

/** Bounds so that hostile input yields bounded output. */
const MAX_DIAGNOSTICS = 1000;
const MAX_REFERENCES = 200_000;

/** httpyac opens a script block with a line holding only `{{` (or `{{@request`, `{{@response`…). */
const HTTPYAC_SCRIPT_OPEN = /^\s*\{\{(?:@[\w-]+)?\s*$/;

/** httpyac events whose script runs after the response, wherever the block stands. */
const HTTPYAC_POST_EVENTS = new Set(['response', 'after', 'responseLogging', 'streaming']);

/** What a request collects besides its head and body. */
interface Attached {
  skipped: SkippedSection[];
  scripts: ScriptSource[];
  asserts: AssertSource[];
}

const SKIP_MESSAGES: Record<SkippedSection['kind'], string> = {
  'pre-script': 'Pre-request script ({% %}) is not run by Wire Lens; skipped.',
  'post-script': 'Response handler script is not run by Wire Lens; skipped.',
  'response-redirect': 'Response redirect (>>).',
  'response-reference': 'Saved response to compare with (<>, JetBrains).',
  assert: 'httpyac assertion (??) is not run by Wire Lens; skipped.',
};

/** What the lines before a request line gave it: where it starts, its title and metadata, prompts and attached lines. */
interface LeadIn {
  from: number;
  title: string | null;
  metadata: Record<string, string>;
  metadataEntries: MetadataEntry[];
  prompts: PromptDefinition[];
  att: Attached;
}

class Parser {
  readonly requests: RequestBlock[] = [];
  readonly diagnostics: LangDiagnostic[] = [];
  readonly variables: FileVariable[] = [];
  readonly references: VariableReference[] = [];
  readonly separators: number[] = [];
  /** Metadata in regions that hold no request. */
  readonly loneMetadata: MetadataEntry[] = [];
  private readonly lines: string[];
  private readonly eol: (k: number) => string;

  constructor(text: string) {
    const split = splitLines(text);
    this.lines = split.lines;
    this.eol = split.eol;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  diag(line: number, severity: Severity, message: string, column?: number, endColumn?: number): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) return;
    const d: LangDiagnostic = { line, severity, message };
    if (column !== undefined) d.column = column;
    if (endColumn !== undefined) d.endColumn = endColumn;
    this.diagnostics.push(d);
    if (this.diagnostics.length === MAX_DIAGNOSTICS) {
      this.diagnostics.push({ line, severity: 'warning', message: `More than ${MAX_DIAGNOSTICS} problems; the rest are not listed.` });
    }
  }

  run(): void {
    const { lines } = this;
    let start = 0;
    let title: string | null = null;
    for (let i = 0; i < lines.length; i++) {
      if (isSeparator(lines[i])) {
        if (i > start) this.region(start, i - 1, title);
        this.separators.push(i);
        title = lines[i].replace(/^#+/, '').trim() || null;
        start = i + 1;
      }
    }
    if (start < lines.length) this.region(start, lines.length - 1, title);
  }

  /** A `###` block: zero or more requests (more than one only when a request line follows a blank line, as httpyac allows). */
  private region(start: number, end: number, title: string | null): void {
    let i = start;
    let first = true;
    while (i <= end) {
      const next = this.request(i, end, first ? title : null);
      if (next === null) return;
      i = next;
      first = false;
    }
  }

  /** Parses one request from `from`; returns where the next request starts, or null when the region is done. */
  private request(from: number, end: number, title: string | null): number | null {
    const { lines } = this;
    const metadata: Record<string, string> = {};
    const metadataEntries: MetadataEntry[] = [];
    const prompts: PromptDefinition[] = [];
    const att: Attached = { skipped: [], scripts: [], asserts: [] };
    let i = from;

    // Before the request line: blank lines, comments (metadata), variable definitions, pre-request scripts.
    for (; i <= end; i++) {
      const line = lines[i];
      if (isBlank(line)) continue;
      if (isComment(line)) {
        const meta = parseMetadata(line);
        if (meta) {
          metadata[meta.key] = meta.value;
          metadataEntries.push({ key: meta.key, value: meta.value, line: i });
          if (meta.key === 'prompt') this.prompt(meta.value, i, prompts);
          else if (meta.key === 'sleep' && !/^\d+$/.test(meta.value))
            this.diag(i, 'warning', `@sleep needs a number of milliseconds: ${meta.value.slice(0, 60)}`);
          else if (meta.key === 'loop' && !/^for\s+(?:\d+|[A-Za-z_$][\w$]*\s+of\s+\S.*)$/.test(meta.value)) {
            this.diag(i, 'warning', `@loop needs 'for N' or 'for ITEM of LIST': ${meta.value.slice(0, 60)}`);
          }
        }
        continue;
      }
      if (this.defineVariable(i)) continue;
      // httpyac script block: a line `{{` (or `{{@event`) up to a line `}}`.
      if (HTTPYAC_SCRIPT_OPEN.test(line)) {
        i = this.httpyacScript(i, end, 'pre', att);
        continue;
      }
      const preFile = preScriptFile(line);
      if (preFile !== null) {
        att.scripts.push({ phase: 'pre', dialect: 'jetbrains', code: null, file: preFile, codeLine: i, startLine: i, endLine: i });
        continue;
      }
      const skip = skipStart(line, true);
      if (skip) {
        i = this.capture(i, end, skip, att);
        continue;
      }
      // httpyac's `proto < file` and its loader options (header-like lines) up to a blank line.
      if (isProtoImport(line)) {
        this.diag(i, 'error', PROTO_MESSAGE);
        while (i + 1 <= end && !isBlank(lines[i + 1]) && !isUnsupportedProtocolLine(lines[i + 1])) i++;
        continue;
      }
      break;
    }
    if (i > end) {
      // A region of comments alone (httpyac's global `# @import`): its metadata is the document's.
      this.loneMetadata.push(...metadataEntries);
      return null;
    }

    if (/^\s*curl\s/.test(lines[i])) return this.curlRequest(i, end, { from, title, metadata, metadataEntries, prompts, att });

    const requestLine = i;
    const parsed = parseRequestLine(lines[i]);
    if (!parsed) {
      const shown = lines[i].trim();
      this.diag(
        i,
        'error',
        `Not a request line (expected METHOD URL [HTTP/version] or a URL): ${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}`,
      );
      // The rest of the block belongs to this broken request; one diagnostic is enough.
      return this.nextRequestAfter(i + 1, end);
    }
    const protocol = unsupportedProtocol(parsed);
    if (protocol) return this.unsupported(i, end, protocol, parsed, { from, title, metadata, metadataEntries, prompts, att });
    this.scanReferences(i, 0);
    let target = parsed.target;
    // TCP / TLS / UDP blocks have no headers: the lines after the request line are the bytes to send. A bare
    // ws:// or wss:// URL is a WebSocket, as httpyac reads it.
    const socketKind = parsed.methodWritten ? socketKindOf(parsed.method) : /^wss?:\/\//i.test(parsed.target) ? 'websocket' : null;
    const raw = socketKind !== null && socketKind !== 'websocket';
    // Query continuation lines (`?a=1`, `&b=2`) and JetBrains' indented path continuations.
    for (i++; i <= end && !raw; i++) {
      const t = lines[i].trim();
      const indented = lines[i] !== lines[i].trimStart() && t !== '';
      // `?? status == 200` right under the request line is an httpyac assert, not a query continuation.
      if (t.startsWith('??')) break;
      // JetBrains: every indented line after the request line continues the target (with or without a leading
      // `/`, `?` or `&`), unless it reads as a header; REST Client: `?` and `&` lines continue the query.
      if (
        t.startsWith('?') ||
        t.startsWith('&') ||
        (indented && (t.startsWith('/') || (!isComment(t) && parseHeader(t) === null && skipStart(t, false) === null && !parseInclude(t))))
      ) {
        target += t;
        this.scanReferences(i, 0);
      } else break;
    }
    const requestLineEnd = i - 1;

    // Headers, until the first blank line.
    const headers: HeaderLine[] = [];
    let lastHeaderLine = -1;
    let bodyFrom: number | null = raw ? i : null;
    let afterBody = false;
    for (; i <= end && !raw; i++) {
      const line = lines[i];
      // A WebSocket block's first `===` may follow its headers directly.
      if (socketKind === 'websocket' && parseSeparator(line) !== null) {
        bodyFrom = i;
        break;
      }
      if (isBlank(line)) {
        bodyFrom = i + 1;
        break;
      }
      const skip = skipStart(line, false);
      if (skip || HTTPYAC_SCRIPT_OPEN.test(line)) {
        i = skip ? this.capture(i, end, skip, att) : this.httpyacScript(i, end, 'post', att);
        afterBody = true;
        i++;
        break;
      }
      if (parseInclude(line)) {
        bodyFrom = i;
        break;
      }
      if (isComment(line)) continue;
      const h = parseHeader(line);
      const last = headers[headers.length - 1];
      if (!h && last && /^[ \t]/.test(line) && i > 0 && lastHeaderLine === i - 1) {
        // JetBrains spec 3.2.2: a field value goes on over an indented line; joined with one space, as RFC 9112
        // 5.2 says a recipient replaces obs-fold (nothing folded is ever sent).
        last.value = `${last.value} ${line.trim()}`.trim();
        lastHeaderLine = i;
        this.scanReferences(i, 0);
      } else if (h) {
        headers.push({ name: h.name, value: h.value, line: i });
        lastHeaderLine = i;
        this.scanReferences(i, 0);
      } else this.badHeader(i);
    }

    const headerEndLine = Math.min(i - 1, end);

    // Body, then handlers / redirects / asserts, or a new request (httpyac).
    let bodyStart: number | null = null;
    let bodyEnd: number | null = null;
    let next: number | null = null;
    // `@name = value` lines in a trailing paragraph after the body (REST Client files define variables there).
    const trailingVars: number[] = [];
    if (bodyFrom !== null && !afterBody) {
      i = bodyFrom;
      let last = bodyFrom - 1;
      for (; i <= end; i++) {
        const line = lines[i];
        if (isStrictRequestLine(line)) {
          const run = this.leadIn(i, bodyFrom);
          if (run !== null) {
            next = run;
            break;
          }
        }
        const skip = skipStart(line, false);
        if (skip || HTTPYAC_SCRIPT_OPEN.test(line)) {
          afterBody = true;
          break;
        }
        last = i;
      }
      if (next !== null) last = Math.min(last, next - 1);
      // JetBrains and httpyac: blank lines between the headers and the body are not part of it.
      let first = bodyFrom;
      while (first <= last && isBlank(lines[first])) first++;
      const range = this.trimBody(first, last, trailingVars);
      if (range) [bodyStart, bodyEnd] = range;
    }
    if (afterBody && next === null) {
      // Only handlers, redirects, asserts, comments and blank lines may follow; a request line starts a new request.
      for (; i <= end; i++) {
        const line = lines[i];
        if (isBlank(line) || isComment(line)) continue;
        const skip = skipStart(line, false);
        if (skip) {
          i = this.capture(i, end, skip, att);
          continue;
        }
        if (HTTPYAC_SCRIPT_OPEN.test(line)) {
          i = this.httpyacScript(i, end, 'post', att);
          continue;
        }
        if (isStrictRequestLine(line) || parseVariableDefinition(line)) {
          next = this.leadIn(i, i) ?? i;
          break;
        }
        this.diag(i, 'info', 'Text after a response handler is ignored.');
      }
    }

    let body: string | null = null;
    const includes: BodyInclude[] = [];
    if (bodyStart !== null && bodyEnd !== null) {
      const parts: string[] = [];
      for (let k = bodyStart; k <= bodyEnd; k++) {
        parts.push(lines[k]);
        if (k < bodyEnd) parts.push(this.eol(k));
        const inc = parseInclude(lines[k]);
        if (inc)
          includes.push({
            index: k - bodyStart,
            line: k,
            path: inc.path,
            substitute: inc.substitute,
            ...(inc.encoding ? { encoding: inc.encoding } : {}),
          });
        else this.scanReferences(k, 0);
      }
      body = parts.join('');
    }
    for (const k of trailingVars) this.defineVariable(k);

    const responseRedirect = this.redirect;
    const responseReferences = this.references_;
    this.redirect = undefined;
    this.references_ = [];
    const graphql = headers.some((h) => h.name.toLowerCase() === 'x-request-type' && h.value.toLowerCase() === 'graphql');
    const endLine = next !== null ? next - 1 : end;
    const socket = checkSocketBlock(
      {
        kind: socketKind,
        target,
        requestLine,
        httpVersion: parsed.httpVersion,
        bodyLines: bodyStart !== null && bodyEnd !== null ? lines.slice(bodyStart, bodyEnd + 1) : [],
        bodyStartLine: bodyStart ?? requestLine + 1,
        metadataEntries,
      },
      (line, severity, message, column, endColumn) => this.diag(line, severity, message, column, endColumn),
    );
    const sse = isSseMethod(parsed);
    if (sse && bodyStart !== null)
      this.diag(bodyStart, 'error', 'An SSE request (httpyac: Server-Sent Events) has no body: an EventSource sends a GET.');
    if (socketKind === 'websocket') {
      // httpyac's @streaming hook sends further messages with $requestClient; Wire Lens does not run it that way.
      for (const sc of att.scripts)
        if (sc.dialect === 'httpyac' && /\{\{@streaming\b/.test(lines[sc.startLine]) && sendsFromScript(sc.code ?? ''))
          this.diag(
            sc.startLine,
            'error',
            "httpyac's @streaming script sends messages ($requestClient); Wire Lens does not run it on a connection: write each further message after a === line (=== wait-for-server waits for the server first). Nothing is sent.",
          );
    }
    this.requests.push({
      startLine: from,
      endLine,
      requestLine,
      requestLineEnd,
      title,
      name: metadata.name !== undefined && metadata.name !== '' ? metadata.name : null,
      method: parsed.method,
      methodWritten: parsed.methodWritten,
      target,
      httpVersion: parsed.httpVersion,
      headers,
      headerEndLine,
      body,
      bodyStartLine: body === null ? null : bodyStart,
      bodyEndLine: body === null ? null : bodyEnd,
      includes,
      metadata,
      metadataEntries,
      prompts,
      skipped: att.skipped,
      scripts: att.scripts,
      asserts: att.asserts,
      graphql,
      ...(responseRedirect ? { responseRedirect } : {}),
      ...(responseReferences.length ? { responseReferences } : {}),
      ...(socket ? { socket } : {}),
      ...(sse ? { sse: true as const } : {}),
    });
    return next;
  }

  /** An httpyac request of a protocol Wire Lens does not speak: refused by name, the block kept so that sending it says why. */
  private unsupported(at: number, end: number, protocol: UnsupportedProtocol, parsed: RequestLine, pre: LeadIn): number | null {
    const { lines } = this;
    this.diag(at, 'error', unsupportedMessage(protocol));
    // Its headers, body and scripts are its own; the next request starts after a blank line.
    let next: number | null = null;
    for (let k = at + 1; k <= end; k++) {
      if (!isBlank(lines[k - 1])) continue;
      if (isStrictRequestLine(lines[k]) || isUnsupportedProtocolLine(lines[k]) || isProtoImport(lines[k])) {
        next = this.leadIn(k, at + 1) ?? k;
        break;
      }
    }
    this.requests.push({
      startLine: pre.from,
      endLine: next !== null ? next - 1 : end,
      requestLine: at,
      requestLineEnd: at,
      title: pre.title,
      name: pre.metadata.name !== undefined && pre.metadata.name !== '' ? pre.metadata.name : null,
      method: parsed.method,
      methodWritten: parsed.methodWritten,
      target: parsed.target,
      httpVersion: parsed.httpVersion,
      headers: [],
      headerEndLine: at,
      body: null,
      bodyStartLine: null,
      bodyEndLine: null,
      includes: [],
      metadata: pre.metadata,
      metadataEntries: pre.metadataEntries,
      prompts: pre.prompts,
      skipped: pre.att.skipped,
      scripts: [],
      asserts: [],
      graphql: false,
      unsupported: protocol.keyword,
    });
    return next;
  }

  /** A pasted `curl …` command (REST Client reads them): one request, up to where the command ends. */
  private curlRequest(at: number, end: number, pre: LeadIn): number | null {
    const { lines } = this;
    const last = curlCommandEnd(lines, at, end);
    for (let k = at; k <= last; k++) this.scanReferences(k, 0);
    // Comments and blank lines may follow; a request line starts the next request; anything else is an error.
    let next: number | null = null;
    for (let k = last + 1; k <= end; k++) {
      if (isBlank(lines[k]) || isComment(lines[k])) continue;
      if (isStrictRequestLine(lines[k]) || /^curl\s/.test(lines[k])) {
        next = this.leadIn(k, last + 1) ?? k;
        break;
      }
      this.diag(k, 'error', 'Text after a curl command: put the next request after ###.');
      break;
    }
    const parsed = parseCurl(lines.slice(at, last + 1).join('\n'));
    let r: Exclude<typeof parsed, { error: string }>;
    if ('error' in parsed) {
      this.diag(at, 'error', `curl: ${parsed.error}`);
      // The block still exists, so that sending it names the problem (and is held back by it).
      r = { method: 'GET', url: '', headers: [], body: null, files: [], multipart: false, insecure: false, location: true, ignored: [] };
    } else r = parsed;
    const metadata = { ...pre.metadata };
    if (r.insecure) metadata.insecure = '';
    // curl follows redirects only when told to (-L).
    if (!r.location && !('no-redirect' in metadata)) metadata['no-redirect'] = '';
    if (r.ignored.length) this.diag(at, 'info', `curl: ${r.ignored.join(', ')} change nothing that is sent; ignored.`);
    const includes: BodyInclude[] = r.files.map((f) => ({ index: f.index, line: at, path: f.path, substitute: false }));
    this.requests.push({
      startLine: pre.from,
      endLine: next !== null ? next - 1 : end,
      requestLine: at,
      requestLineEnd: last,
      title: pre.title,
      name: metadata.name !== undefined && metadata.name !== '' ? metadata.name : null,
      method: r.method,
      methodWritten: true,
      target: r.url,
      httpVersion: null,
      headers: r.headers.map(([name, value]) => ({ name, value, line: at })),
      headerEndLine: last,
      body: r.body,
      bodyStartLine: r.body === null ? null : at,
      bodyEndLine: r.body === null ? null : last,
      includes,
      metadata,
      metadataEntries: pre.metadataEntries,
      prompts: pre.prompts,
      skipped: pre.att.skipped,
      scripts: pre.att.scripts,
      asserts: pre.att.asserts,
      graphql: false,
      curl: true,
    });
    return next;
  }

  /** A line in the header section that is not a header: say which rule it breaks. */
  private badHeader(i: number): void {
    const line = this.lines[i];
    const shown = line.trim().length > 80 ? `${line.trim().slice(0, 80)}…` : line.trim();
    if (isStrictRequestLine(line)) {
      this.diag(
        i,
        'error',
        `A second request line where headers are expected: ${shown}. Separate requests with ### (or a blank line after the headers of the first).`,
      );
      return;
    }
    const colon = line.indexOf(':');
    if (colon > 0) {
      const name = line.slice(0, colon).trim();
      const bad = [...name].find((c) => !/[!#$%&'*+.^_`|~0-9A-Za-z-]/.test(c));
      if (name !== '' && bad !== undefined && !name.includes('{{')) {
        const what =
          bad === ' ' || bad === '\t'
            ? 'whitespace'
            : `${JSON.stringify(bad)}${bad.charCodeAt(0) > 0x7e ? ` (U+${bad.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})` : ''}`;
        this.diag(
          i,
          'error',
          `Invalid header name ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)}: ${what} is not allowed in a field name (RFC 9110 5.1: a token of ASCII letters, digits and !#$%&'*+-.^_\`|~).`,
          line.indexOf(name),
          line.indexOf(name) + name.length,
        );
        return;
      }
    }
    this.diag(i, 'error', `Not a header (expected Name: value): ${shown}`);
  }

  /** Where a request line at `at` really starts: back over its comments and variable definitions to a blank line. */
  private leadIn(at: number, floor: number): number | null {
    let k = at - 1;
    while (k >= floor && !isBlank(this.lines[k]) && (isComment(this.lines[k]) || parseVariableDefinition(this.lines[k]))) k--;
    // Reaching the floor means only the blank line that opened the body (or nothing) precedes the run.
    if (k < floor) return floor;
    return isBlank(this.lines[k]) ? k + 1 : null;
  }

  /** After a broken request line: continue at the next request line that follows a blank line, if any. */
  private nextRequestAfter(from: number, end: number): number | null {
    for (let k = from; k <= end; k++) {
      if (isStrictRequestLine(this.lines[k]) && k > 0 && isBlank(this.lines[k - 1])) return this.leadIn(k, from) ?? k;
    }
    return null;
  }

  /** Records `@name = value` on a line; false when the line is not a definition. */
  private defineVariable(i: number): boolean {
    const def = parseVariableDefinition(this.lines[i]);
    if (!def) return false;
    this.variables.push({ name: def.name, value: def.value, line: i, nameStart: def.nameStart, nameEnd: def.nameEnd });
    this.scanReferences(i, def.nameEnd);
    return true;
  }

  /**
   * Trailing blank lines go; so does a trailing paragraph of comments and `@name = value` definitions set apart
   * by a blank line (its definitions are collected into `vars`: REST Client defines variables after a request).
   */
  private trimBody(from: number, to: number, vars: number[]): [number, number] | null {
    const { lines } = this;
    let last = to;
    const collect = (a: number, b: number): void => {
      for (let k = b; k >= a; k--) if (parseVariableDefinition(lines[k])) vars.unshift(k);
    };
    for (;;) {
      while (last >= from && isBlank(lines[last])) last--;
      if (last < from) return null;
      let k = last;
      while (k >= from && ((isComment(lines[k]) && !parseInclude(lines[k])) || parseVariableDefinition(lines[k]) !== null)) k--;
      if (k === last) break;
      if (k < from) {
        collect(from, last);
        return null;
      }
      if (isBlank(lines[k])) {
        collect(k + 1, last);
        last = k;
        continue;
      }
      break;
    }
    return [from, last];
  }

  /** httpyac `{{` … `}}`: a script before the request (or `{{@response`: after it). Returns its last line. */
  private httpyacScript(at: number, end: number, where: 'pre' | 'post', att: Attached): number {
    let k = at + 1;
    while (k <= end && this.lines[k].trim() !== '}}') k++;
    const last = Math.min(k, end);
    if (k > end) this.diag(at, 'warning', 'Script block is not closed with }}.');
    const event = /\{\{@([\w-]+)/.exec(this.lines[at])?.[1];
    const phase = event === undefined ? where : HTTPYAC_POST_EVENTS.has(event) ? 'post' : 'pre';
    const code: string[] = [];
    for (let n = at + 1; n <= (k > end ? end : k - 1); n++) code.push(this.lines[n]);
    att.scripts.push({ phase, dialect: 'httpyac', code: code.join('\n'), file: null, codeLine: at + 1, startLine: at, endLine: last });
    return last;
  }

  /** A JetBrains script, an httpyac assert, or syntax kept aside (redirects, saved responses). Returns the last line. */
  private capture(at: number, end: number, start: SkipStart, att: Attached): number {
    const line = this.lines[at];
    if (start.kind === 'assert') {
      att.asserts.push({ text: line.trim().slice(2).trim(), line: at });
      return at;
    }
    if (start.kind === 'post-script-file') {
      att.scripts.push({
        phase: 'post',
        dialect: 'jetbrains',
        code: null,
        file: line.trim().slice(1).trim(),
        codeLine: at,
        startLine: at,
        endLine: at,
      });
      return at;
    }
    if (start.kind === 'pre-script' || start.kind === 'post-script') {
      const open = line.indexOf('{%') + 2;
      let last = at;
      let code: string;
      if (start.inline) code = line.slice(open, line.indexOf('%}', open));
      else {
        let k = at + 1;
        while (k <= end && this.lines[k].indexOf('%}') < 0) k++;
        const parts = [line.slice(open)];
        for (let n = at + 1; n <= Math.min(k, end); n++) parts.push(n === k ? this.lines[n].slice(0, this.lines[n].indexOf('%}')) : this.lines[n]);
        if (k > end) this.diag(at, 'warning', 'Script block is not closed with %}.');
        last = Math.min(k, end);
        code = parts.join('\n');
      }
      att.scripts.push({
        phase: start.kind === 'pre-script' ? 'pre' : 'post',
        dialect: 'jetbrains',
        code,
        file: null,
        codeLine: at,
        startLine: at,
        endLine: last,
      });
      return last;
    }
    return this.skip(at, end, start.kind, start.inline, att.skipped);
  }

  /** `>> file`, `>>! file` and `<> file` of the request being parsed. */
  private redirect: RequestBlock['responseRedirect'] = undefined;
  private references_: { path: string; line: number }[] = [];

  private skip(at: number, end: number, kind: SkippedSection['kind'], inline: boolean, out: SkippedSection[]): number {
    if (kind === 'response-redirect' || kind === 'response-reference') {
      const t = this.lines[at].trim();
      const m = kind === 'response-redirect' ? /^>>(!?)\s*(\S.*)$/.exec(t) : /^<>\s*(\S.*)$/.exec(t);
      out.push({ kind, startLine: at, endLine: at });
      if (!m)
        this.diag(
          at,
          'warning',
          kind === 'response-redirect' ? '>> needs a file name: >> response.json (or >>! to overwrite).' : '<> needs a file name.',
        );
      else if (kind === 'response-redirect') {
        if (this.redirect) this.diag(at, 'warning', 'Only one >> per request; the first one is used.');
        else this.redirect = { path: m[2].trim(), overwrite: m[1] === '!', line: at };
      } else this.references_.push({ path: m[1].trim(), line: at });
      return at;
    }
    let last = at;
    if (!inline) {
      let k = at + 1;
      while (k <= end && this.lines[k].indexOf('%}') < 0) k++;
      if (k > end) {
        this.diag(at, 'warning', 'Script block is not closed with %}.');
        last = end;
      } else last = k;
    }
    out.push({ kind, startLine: at, endLine: last });
    this.diag(at, 'info', SKIP_MESSAGES[kind]);
    return last;
  }

  private prompt(value: string, line: number, out: PromptDefinition[]): void {
    const m = /^(\S+)(?:\s+(.*))?$/.exec(value.length > 2000 ? value.slice(0, 2000) : value);
    if (!m) {
      this.diag(line, 'warning', '@prompt needs a variable name.');
      return;
    }
    out.push({ name: m[1], description: m[2]?.trim() || null, line });
  }

  /** Records each `{{…}}` on a line from column `from`; an unterminated one is a warning. */
  scanReferences(line: number, from: number): void {
    const text = this.lines[line];
    let p = text.indexOf('{{', from);
    while (p >= 0) {
      const close = text.indexOf('}}', p + 2);
      if (close < 0) {
        this.diag(line, 'warning', 'Unterminated variable: {{ without }}.', p, text.length);
        return;
      }
      const expression = text.slice(p + 2, close).trim();
      if (expression === '') this.diag(line, 'warning', 'Empty variable {{}}.', p, close + 2);
      else if (this.references.length < MAX_REFERENCES) this.references.push({ expression, line, start: p, end: close + 2 });
      p = text.indexOf('{{', close + 2);
    }
  }
}

/**
 * `@timeout` value in milliseconds: `5000 ms`, `5 s`, `2 m`; a bare number is in `bare` units (milliseconds for
 * httpyac and Wire Lens' own tags, seconds in a JetBrains HTTP Client file).
 */
export function parseTimeout(value: string, bare: 'ms' | 's' = 'ms'): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|sec|min)?$/i.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? bare).toLowerCase();
  return Math.round(unit === 's' || unit === 'sec' ? n * 1000 : unit === 'm' || unit === 'min' ? n * 60_000 : n);
}

/** Tags whose bare number is seconds in a JetBrains file (`@max-time` is Wire Lens' own: always milliseconds). */
const JETBRAINS_TIMEOUTS = new Set(['timeout', 'connection-timeout']);

/**
 * The unit a bare number of this tag is read in, in a document of this dialect. TCP, TLS and UDP blocks are Wire
 * Lens' own (no other tool has them): milliseconds there whatever the file.
 */
export function bareTimeoutUnit(key: string, dialect: DocumentDialect | undefined, block?: Pick<RequestBlock, 'socket'>): 'ms' | 's' {
  if (block?.socket && block.socket.kind !== 'websocket') return 'ms';
  return dialect?.tool === 'jetbrains' && JETBRAINS_TIMEOUTS.has(key) ? 's' : 'ms';
}

/** Says how each `@timeout`-like tag is read; bare numbers name the tool whose reading applies. */
function timeoutDiagnostics(p: Parser, requests: RequestBlock[], dialect: DocumentDialect): void {
  const jb = dialect.evidence.find((e) => e.tool === 'jetbrains');
  const yac = dialect.evidence.find((e) => e.tool === 'httpyac');
  for (const r of requests)
    for (const m of r.metadataEntries) {
      if ((m.key !== 'timeout' && m.key !== 'connection-timeout' && m.key !== 'max-time') || m.value === '') continue;
      const unit = bareTimeoutUnit(m.key, dialect, r);
      if (parseTimeout(m.value, unit) === null) {
        p.diag(
          m.line,
          'warning',
          `@${m.key} needs a duration: 5000 ms, 30 s, 2 m or a bare number (${unit === 's' ? 'seconds in this JetBrains file' : 'milliseconds'}): ${m.value.slice(0, 60)}`,
        );
        continue;
      }
      // @max-time and the TCP / TLS / UDP blocks are Wire Lens' own: milliseconds, nothing to tell apart.
      if (!/^\d+(?:\.\d+)?$/.test(m.value.trim()) || m.key === 'max-time' || (r.socket && r.socket.kind !== 'websocket')) continue;
      if (unit === 's') {
        p.diag(
          m.line,
          'info',
          `@${m.key} ${m.value} is read as ${m.value} s: this file is written for the JetBrains HTTP Client (${describeEvidence(jb ?? dialect.evidence[0])}), which reads a bare number as seconds (httpyac would read milliseconds).`,
        );
      } else if (Number(m.value) < 1000) {
        const why =
          dialect.tool === 'httpyac' && yac
            ? `this file is written for httpyac (${describeEvidence(yac)})`
            : jb
              ? `this file mixes forms of several tools (${dialect.evidence.map(describeEvidence).join(', ')})`
              : 'nothing in this file is JetBrains-only';
        p.diag(
          m.line,
          'warning',
          `@${m.key} ${m.value} is read as ${m.value} ms (httpyac; ${why}); the JetBrains HTTP Client reads a bare number as seconds. Write ${m.value} s or ${m.value} ms to be unambiguous.`,
        );
      }
    }
}

export function parseHttp(text: string): HttpDocument {
  const p = new Parser(typeof text === 'string' ? text : String(text));
  try {
    p.run();
  } catch (e) {
    // Defensive: the parser is meant never to throw; if it does, the document still comes back.
    p.diag(0, 'error', `Internal parser error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const imports: { path: string; line: number }[] = [];
  for (const r of p.requests)
    for (const m of r.metadataEntries) if (m.key === 'import' && m.value !== '') imports.push({ path: m.value, line: m.line });
  for (const m of p.loneMetadata) if (m.key === 'import' && m.value !== '') imports.push({ path: m.value, line: m.line });
  imports.sort((a, b) => a.line - b.line);
  const dialect = detectDialect(p.requests, p.references);
  timeoutDiagnostics(p, p.requests, dialect);
  return {
    ...(imports.length ? { imports } : {}),
    dialect,
    requests: p.requests,
    diagnostics: p.diagnostics,
    variables: p.variables,
    references: p.references,
    separators: p.separators,
    lineCount: p.lineCount,
  };
}
