// Request variables: `{{login.response.body.$.token}}`, `{{login.response.headers.Location}}`,
// `{{login.request.body.*}}`, read from the last exchange of the request named `login`.
import { JSONPath } from 'jsonpath-plus';
import { headerList, requestBodyText } from '../shared/access';
import type { Exchange } from '../shared/exchange';

type XmlLibraries = { xmldom: typeof import('@xmldom/xmldom'); xpath: typeof import('xpath') };
let xml: XmlLibraries | null = null;
/**
 * The XML libraries, loaded on the first XPath request variable: loading them costs every CLI start and editor
 * activation 50–80 ms, and most files never use an XPath.
 */
function xmlLibraries(): XmlLibraries {
  /* eslint-disable @typescript-eslint/no-require-imports -- a synchronous lazy load (the resolver is synchronous) */
  xml ??= { xmldom: require('@xmldom/xmldom') as XmlLibraries['xmldom'], xpath: require('xpath') as XmlLibraries['xpath'] };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return xml;
}

export interface RequestVariableRef {
  name: string;
  source: 'request' | 'response';
  part: 'body' | 'headers';
  /** JSONPath (`$.a.b`), `*` for the whole body, a header name, or a dotted path (`a.b`, httpyac style). */
  path: string;
}

export function parseRequestVariable(expression: string): RequestVariableRef | null {
  const m = /^([\w-]+)\.(request|response)\.(body|headers)(?:\.(.*))?$/.exec(expression);
  if (!m) return null;
  return { name: m[1], source: m[2] as 'request' | 'response', part: m[3] as 'body' | 'headers', path: (m[4] ?? '*').trim() || '*' };
}

function requestBody(exchange: Exchange): string {
  return exchange.request.rawBase64 ? requestBodyText(exchange.request, exchange.frames) : '';
}

function responseBody(exchange: Exchange): string | null {
  const body = exchange.response?.body;
  if (!body) return null;
  if (typeof body.text === 'string') return body.text;
  return Buffer.from(body.base64 ?? '', 'base64').toString('utf8');
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}

/** Reads the value; `error` says why it cannot (not sent yet, no such header, path matched nothing…). */
export function readRequestVariable(ref: RequestVariableRef, exchange: Exchange | undefined): { value: string } | { error: string } {
  const label = `{{${ref.name}.${ref.source}.${ref.part}.${ref.path}}}`;
  if (!exchange) return { error: `${label}: request '${ref.name}' has not been sent yet (send it first, or Send All Requests).` };
  if (ref.source === 'response' && !exchange.response) return { error: `${label}: request '${ref.name}' got no response.` };
  if (ref.part === 'headers') {
    const headers = ref.source === 'response' ? (exchange.response?.headers ?? []) : exchange.request.headers;
    const v = headerList(headers, ref.path);
    return v === null ? { error: `${label}: no ${ref.path} header in the ${ref.source}.` } : { value: v };
  }
  const text = ref.source === 'response' ? responseBody(exchange) : requestBody(exchange);
  if (text === null) return { error: `${label}: the ${ref.source} has no body.` };
  if (ref.path === '*') return { value: text };
  if (ref.path.startsWith('/')) return xpathValue(text, ref.path, label, ref.source);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: `${label}: the ${ref.source} body is not JSON, so a JSONPath cannot be applied.` };
  }
  const path = ref.path.startsWith('$') ? ref.path : `$.${ref.path}`;
  let found: unknown[];
  try {
    const r: unknown = JSONPath({ path, json: json as object, wrap: true, eval: 'safe' });
    found = Array.isArray(r) ? r : [];
  } catch (e) {
    return { error: `${label}: bad JSONPath: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (found.length === 0) return { error: `${label}: the JSONPath matched nothing in the ${ref.source} body.` };
  return { value: stringify(found[0]) };
}

/** REST Client: `{{name.response.body.//book/title}}` on an XML body, by XPath 1.0 (xpath + @xmldom/xmldom). */
function xpathValue(text: string, expression: string, label: string, source: string): { value: string } | { error: string } {
  const { xmldom, xpath } = xmlLibraries();
  let problem: string | null = null;
  let doc: ReturnType<InstanceType<XmlLibraries['xmldom']['DOMParser']>['parseFromString']> | null = null;
  try {
    doc = new xmldom.DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning' && problem === null) problem = msg;
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    // xmldom throws a ParseError on a fatal error (after reporting it): the same answer as a reported one.
    problem ??= e instanceof Error ? e.message : String(e);
  }
  if (problem !== null || !doc?.documentElement)
    return {
      error: `${label}: the ${source} body is not XML, so an XPath cannot be applied${problem ? ` (${String(problem).split('\n')[0]})` : ''}.`,
    };
  let found: unknown;
  try {
    found = (xpath.select as (e: string, n: unknown) => unknown)(expression, doc);
  } catch (e) {
    return { error: `${label}: bad XPath: ${e instanceof Error ? e.message : String(e)}` };
  }
  const first = Array.isArray(found) ? found[0] : found;
  if (first === undefined || first === null) return { error: `${label}: the XPath matched nothing in the ${source} body.` };
  if (typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean') return { value: String(first) };
  // An attribute or text node gives its value; an element gives its text content, as REST Client does.
  const node = first as { nodeValue?: string | null; textContent?: string | null; nodeType?: number };
  return { value: (node.nodeType === 2 || node.nodeType === 3 ? node.nodeValue : node.textContent) ?? '' };
}
