// Which tool a file is written for, judged from the forms only one tool defines (its "home" forms). Two readings
// depend on it: a bare number in `# @timeout N` / `# @connection-timeout N` (seconds for the JetBrains HTTP
// Client, milliseconds for httpyac) and httpyac's `\{\{ … \}\}` escape (which REST Client and JetBrains do not
// read: their variables need `{{` written together, so they send the backslashes). A file with forms of two tools,
// or of none, has no dialect; the rules for that case are the ones documented in the README.
import type { Dialect, DialectEvidence, DocumentDialect, RequestBlock, VariableReference } from './types';

export type { Dialect, DialectEvidence, DocumentDialect };

export const TOOL_NAMES: Readonly<Record<Dialect, string>> = {
  jetbrains: 'the JetBrains HTTP Client',
  httpyac: 'httpyac',
  restclient: 'REST Client',
};

/** Metadata tags only one tool defines. */
const METADATA: Readonly<Record<string, Dialect>> = {
  'connection-timeout': 'jetbrains',
  'no-auto-encoding': 'jetbrains',
  ref: 'httpyac',
  forceRef: 'httpyac',
  import: 'httpyac',
  keepStreaming: 'httpyac',
  noStreamingLog: 'httpyac',
  loop: 'httpyac',
  disabled: 'httpyac',
  sleep: 'httpyac',
  'no-reject-unauthorized': 'httpyac',
  'grpc-reflection': 'httpyac',
  rateLimit: 'httpyac',
  openWith: 'httpyac',
  save: 'httpyac',
  noResponseView: 'httpyac',
  noClientCert: 'httpyac',
  injectVariables: 'httpyac',
  postRedirectGet: 'httpyac',
  jwt: 'httpyac',
};

/** Request-line keywords only one tool reads. */
const METHODS: Readonly<Record<string, Dialect>> = {
  WEBSOCKET: 'jetbrains',
  SSE: 'httpyac',
  EVENTSOURCE: 'httpyac',
  WS: 'httpyac',
  WSS: 'httpyac',
  GRPC: 'httpyac',
  MQTT: 'httpyac',
  MQTTS: 'httpyac',
  AMQP: 'httpyac',
  KAFKA: 'httpyac',
};

/** System variables only one tool defines (by prefix of the expression). */
const SYSTEM: readonly [RegExp, Dialect, string][] = [
  [/^\$env\./, 'jetbrains', '{{$env.NAME}}'],
  [/^\$random\./, 'jetbrains', '{{$random.…}}'],
  [/^\$isoTimestamp$/, 'jetbrains', '{{$isoTimestamp}}'],
  [/^\$aadV?2?Token\b/, 'restclient', '{{$aadToken}}'],
  [/^\$processEnv\b/, 'restclient', '{{$processEnv NAME}}'],
  [/^\$(?:local)?[dD]atetime\b/, 'restclient', '{{$datetime …}}'],
];

export function detectDialect(requests: readonly RequestBlock[], references: readonly VariableReference[]): DocumentDialect {
  const first = new Map<Dialect, DialectEvidence>();
  const found = (tool: Dialect, form: string, line: number): void => {
    const had = first.get(tool);
    if (!had || line < had.line) first.set(tool, { tool, form, line });
  };
  for (const r of requests) {
    for (const m of r.metadataEntries) {
      const tool = Object.prototype.hasOwnProperty.call(METADATA, m.key) ? METADATA[m.key] : undefined;
      if (tool) found(tool, `# @${m.key}`, m.line);
    }
    if (r.methodWritten && Object.prototype.hasOwnProperty.call(METHODS, r.method))
      found(METHODS[r.method], `${r.method} request line`, r.requestLine);
    for (const s of r.scripts)
      found(
        s.dialect,
        s.dialect === 'jetbrains' ? (s.file ? `${s.phase === 'pre' ? '<' : '>'} script file` : '{% %} script') : '{{ }} script',
        s.startLine,
      );
    if (r.asserts.length) found('httpyac', '?? assertion', r.asserts[0].line);
    if (r.responseReferences?.length) found('jetbrains', '<> saved response', r.responseReferences[0].line);
    if (r.curl) found('restclient', 'curl command', r.requestLine);
    if (r.graphql) {
      const h = r.headers.find((x) => x.name.toLowerCase() === 'x-request-type');
      found('restclient', 'X-Request-Type: GraphQL', h?.line ?? r.requestLine);
    }
    if (/^:\d/.test(r.target)) found('restclient', ':port shorthand', r.requestLine);
  }
  for (const ref of references) {
    // Every form in SYSTEM is a `$` name: most references are plain variables.
    if (!ref.expression.startsWith('$')) continue;
    for (const [re, tool, form] of SYSTEM)
      if (re.test(ref.expression)) {
        found(tool, form, ref.line);
        break;
      }
  }
  const evidence = [...first.values()].sort((a, b) => a.line - b.line);
  return { tool: evidence.length === 1 ? evidence[0].tool : null, evidence };
}

/** `name (form on line N)` for messages; `line` is 0-based. */
export function describeEvidence(e: DialectEvidence): string {
  return `${e.form} on line ${e.line + 1}`;
}
