// The knowledge base API: status codes and header fields as data. The annotations issue fills the tables;
// completion and hover in the editor read them through these functions.

export type HeaderContext = 'request' | 'response' | 'both';

export interface HeaderField {
  name: string;
  /** One line, plain words. */
  description: string;
  /** Longer explanation. */
  detail?: string;
  context: HeaderContext;
  syntax?: string;
  reference: string;
  repeatable?: boolean;
  deprecated?: boolean;
  /** Common values, offered by completion. */
  values?: string[];
}

export interface StatusCode {
  code: number;
  name: string;
  description: string;
  clientAction?: string;
  reference: string;
  registered: boolean;
}

const HEADERS: HeaderField[] = [
  { name: 'Accept', description: 'Media types the client can take in the response.', context: 'request', reference: 'RFC 9110, Section 12.5.1', values: ['application/json', '*/*'] },
  { name: 'Content-Type', description: 'Media type of the content.', context: 'both', reference: 'RFC 9110, Section 8.3', values: ['application/json', 'text/plain; charset=utf-8'] },
  { name: 'Authorization', description: 'Credentials for the target resource.', context: 'request', reference: 'RFC 9110, Section 11.6.2', values: ['Bearer ', 'Basic '] },
];

const STATUSES: StatusCode[] = [
  { code: 200, name: 'OK', description: 'The request succeeded.', reference: 'RFC 9110, Section 15.3.1', registered: true },
  { code: 404, name: 'Not Found', description: 'The server has no current representation for the target.', reference: 'RFC 9110, Section 15.5.5', registered: true },
];

const byName = new Map(HEADERS.map((h) => [h.name.toLowerCase(), h]));
const byCode = new Map(STATUSES.map((s) => [s.code, s]));

export function headerFields(): readonly HeaderField[] {
  return HEADERS;
}

export function headerField(name: string): HeaderField | undefined {
  return byName.get(name.toLowerCase());
}

export function statusCodes(): readonly StatusCode[] {
  return STATUSES;
}

export function statusCode(code: number): StatusCode | undefined {
  return byCode.get(code);
}
