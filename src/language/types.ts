// The .http document model: what the parser produces. Plain data, 0-based lines, no vscode import.

export type Severity = 'error' | 'warning' | 'info';

export interface LangDiagnostic {
  /** 0-based line. */
  line: number;
  severity: Severity;
  message: string;
  /** 0-based columns on `line`, when the problem is narrower than the line. */
  column?: number;
  endColumn?: number;
}

export interface HeaderLine {
  name: string;
  value: string;
  /** 0-based line. */
  line: number;
}

/** `@name = value` at the top level of a block. */
export interface FileVariable {
  name: string;
  /** Raw value as written (may hold `{{…}}` references, resolved at send time). */
  value: string;
  line: number;
  /** Columns of the name (after `@`) on its line. */
  nameStart: number;
  nameEnd: number;
}

/** One `{{…}}` occurrence in the document. */
export interface VariableReference {
  /** Text between the braces, trimmed. */
  expression: string;
  line: number;
  /** Columns of the whole `{{…}}` on its line (end exclusive). */
  start: number;
  end: number;
}

export interface MetadataEntry {
  key: string;
  value: string;
  line: number;
}

export interface PromptDefinition {
  name: string;
  description: string | null;
  line: number;
}

/** A line of the body that stands for a file: `< path` (streamed as is) or `<@ path` (variables substituted). */
export interface BodyInclude {
  /** Index into the body's lines (0 = first body line). */
  index: number;
  line: number;
  path: string;
  substitute: boolean;
  /** `<@latin1 path`: the encoding the file is read in (default UTF-8). */
  encoding?: string;
}

/** JetBrains / httpyac syntax we recognise but do not run (scripts, redirects, asserts). */
export interface SkippedSection {
  kind: 'pre-script' | 'post-script' | 'response-redirect' | 'response-reference' | 'assert';
  startLine: number;
  endLine: number;
}

/** A script attached to a request: JetBrains `< {% %}` / `> {% %}` / `< ./pre.js` / `> ./handler.js`, httpyac `{{ }}`. */
export interface ScriptSource {
  /** Before the request is resolved and sent, or after its response arrived. */
  phase: 'pre' | 'post';
  dialect: 'jetbrains' | 'httpyac';
  /** The code as written (between `{%` and `%}`, or the lines inside `{{ }}`); null for a script file. */
  code: string | null;
  /** Path of an external script as written (relative to the .http file), or null for inline code. */
  file: string | null;
  /** 0-based line the code's first line is on (for messages and links). */
  codeLine: number;
  /** 0-based lines of the whole construct, markers included. */
  startLine: number;
  endLine: number;
}

/** An httpyac assertion line: `?? status == 200`. */
export interface AssertSource {
  /** Text after `??`, trimmed. */
  text: string;
  line: number;
}

export interface RequestBlock {
  /** 0-based first and last line of the block (separators excluded). */
  startLine: number;
  endLine: number;
  /** 0-based line of the request line. */
  requestLine: number;
  /** Last line of the request target (query continuation lines included). */
  requestLineEnd: number;
  /** Text after the `###` that opens the block. */
  title: string | null;
  /** `# @name`, when given. */
  name: string | null;
  method: string;
  /** False when the request line is a bare URL (GET implied). */
  methodWritten: boolean;
  /** Target as written, query continuation lines joined without spaces. */
  target: string;
  httpVersion: string | null;
  headers: HeaderLine[];
  /** Last line of the header section (the request line's last line when there are no headers). */
  headerEndLine: number;
  /** Exactly as written (original line endings), trailing blank lines removed; null when absent. */
  body: string | null;
  /** 0-based lines of the body, when there is one. */
  bodyStartLine: number | null;
  bodyEndLine: number | null;
  /** Body lines that include files. */
  includes: BodyInclude[];
  metadata: Record<string, string>;
  metadataEntries: MetadataEntry[];
  prompts: PromptDefinition[];
  skipped: SkippedSection[];
  /** Pre-request scripts and response handlers, in document order (each phase runs in that order). */
  scripts: ScriptSource[];
  /** httpyac `??` assertion lines, in document order. */
  asserts: AssertSource[];
  /** `X-Request-Type: GraphQL`. */
  graphql: boolean;
  /** `>> file` / `>>! file` after the request: where the response body is written (`>>!` overwrites). */
  responseRedirect?: { path: string; overwrite: boolean; line: number };
  /** The request was written as a `curl …` command (its body lines are not lines of the file). */
  curl?: boolean;
  /** JetBrains `<> file`: saved responses to compare the new one with. */
  responseReferences?: { path: string; line: number }[];
  /** httpyac `SSE url` / `EVENTSOURCE url`: Server-Sent Events, sent as a GET that reads the event stream. */
  sse?: true;
  /** httpyac `GRPC`, `MQTT`, `AMQP`, `KAFKA` (the keyword): refused by name, never sent. */
  unsupported?: string;
  /** A TCP / TLS / UDP / WebSocket block: its messages and rules. */
  socket?: import('./sockets').SocketBlock;
}

export interface HttpDocument {
  requests: RequestBlock[];
  diagnostics: LangDiagnostic[];
  /** File variables in document order (REST Client: they apply to the whole file; a later one wins). */
  variables: FileVariable[];
  /** Every `{{…}}` occurrence, in document order. */
  references: VariableReference[];
  /** Separator lines (`###…`), 0-based. */
  separators: number[];
  lineCount: number;
  /** httpyac `# @import path` lines (0-based), in document order. */
  imports?: { path: string; line: number }[];
  /** The tool the file is written for, from the forms only one tool defines (see dialect.ts). */
  dialect?: DocumentDialect;
}

/** The tools whose forms a file may be written in (see dialect.ts). */
export type Dialect = 'jetbrains' | 'httpyac' | 'restclient';

export interface DialectEvidence {
  tool: Dialect;
  /** The form, as a reader would name it (`{% %} script`, `# @keepStreaming`…). */
  form: string;
  /** 0-based line where it first occurs. */
  line: number;
}

export interface DocumentDialect {
  /** The one tool whose home forms the file uses; null when it uses none, or those of more than one tool. */
  tool: Dialect | null;
  /** The first home form of each tool found (at most one per tool). */
  evidence: DialectEvidence[];
}
