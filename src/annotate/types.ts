// Shapes of the knowledge-base entries. Kept apart from the tables so data modules import only types.

export type HeaderContext = 'request' | 'response' | 'both';

export type HeaderCategory =
  | 'general'
  | 'caching'
  | 'conditional'
  | 'content'
  | 'negotiation'
  | 'security'
  | 'cors'
  | 'cookies'
  | 'connection'
  | 'auth'
  | 'range'
  | 'redirect'
  | 'fetch-metadata'
  | 'client-hints'
  | 'proxy'
  | 'diagnostics'
  | 'webdav'
  | 'websocket'
  | 'other';

/** How a field's value is defined with Structured Field Values (RFC 9651), when it is. */
export type StructuredType = 'item' | 'list' | 'dictionary';

export interface HeaderField {
  name: string;
  /** One line, plain words. */
  description: string;
  /** Longer explanation. */
  detail?: string;
  context: HeaderContext;
  syntax?: string;
  reference: string;
  /** True when the field is a list that may appear on several lines (or Set-Cookie-like). */
  repeatable?: boolean;
  deprecated?: boolean;
  /** Common values, offered by completion. */
  values?: string[];
  category?: HeaderCategory;
  /** Set when the field is defined as a Structured Field. */
  structured?: StructuredType;
  /** Where the name is registered, when not a permanent IANA registration. */
  status?: 'permanent' | 'provisional' | 'obsoleted' | 'unregistered';
}

export interface StatusCode {
  code: number;
  name: string;
  description: string;
  clientAction?: string;
  reference: string;
  registered: boolean;
  /** 'informational' | 'success' | 'redirection' | 'client-error' | 'server-error' */
  class?: string;
  /** Who uses an unregistered code (vendor, server). */
  origin?: string;
}
