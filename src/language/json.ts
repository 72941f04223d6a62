// The document as `wirelens parse --json` prints it: as written, variables unresolved, lines 1-based.
import type { HttpDocument } from './types';

export interface ParsedRequestJson {
  name: string | null;
  title: string | null;
  method: string;
  url: string;
  httpVersion: string | null;
  headers: [string, string][];
  body: string | null;
  line: number;
  metadata: Record<string, string>;
}

export interface ParsedDocumentJson {
  requests: ParsedRequestJson[];
  variables: { name: string; value: string; line: number }[];
  diagnostics: { line: number; severity: string; message: string }[];
}

export function documentToJson(doc: HttpDocument): ParsedDocumentJson {
  return {
    requests: doc.requests.map((r) => ({
      name: r.name,
      title: r.title,
      method: r.method,
      url: r.target,
      httpVersion: r.httpVersion,
      headers: r.headers.map((h): [string, string] => [h.name, h.value]),
      body: r.body,
      line: r.requestLine + 1,
      metadata: { ...r.metadata },
    })),
    variables: doc.variables.map((v) => ({ name: v.name, value: v.value, line: v.line + 1 })),
    diagnostics: doc.diagnostics.map((d) => ({ line: d.line + 1, severity: d.severity, message: d.message })),
  };
}
