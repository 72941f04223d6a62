// Resolution at send time: block + context → ResolvedRequest (absolute URL, headers and body parts with
// every variable substituted), or errors with lines. Refuses CR/LF smuggled into the request line or headers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Exchange, Note } from '../shared/exchange';
import type { BodyPart, RequestOptions, ResolvedRequest } from '../shared/request';
import { loadDotenv, loadEnvironments, type EnvironmentTable, type Environments } from './environments';
import { splitLines } from './lines';
import { buildTarget } from './target';
import { declaredCharset, decodeFile, encodeBodyText } from './bodyCharset';
import { parseAuthShortcut, type AuthShortcut } from './auth';
import { signAws } from './awsSign';
import { bareTimeoutUnit, parseTimeout } from './parser';
import { resolveSocket } from './resolveSocket';
import type { HttpDocument, LangDiagnostic, RequestBlock } from './types';
import { expandSecrets, isSecretName } from './secrets';
import { VariableResolver } from './variables';

export interface ResolveResult {
  request: ResolvedRequest | null;
  errors: LangDiagnostic[];
}

export interface PromptRequest {
  name: string;
  description: string | null;
  /** The name looks like a password or token: hide the input. */
  secret: boolean;
}

/** What resolution may draw on besides the document. */
export interface ResolveContext {
  /** Absolute path of the .http file, for `< file` includes, env files and .env lookup. */
  filePath?: string;
  /** Do not look for env files above this directory (the workspace folder). */
  workspaceRoot?: string;
  /** Selected environment name, or null for none (`$shared` only). */
  environment?: string | null;
  /** The last exchange of each named request (`# @name`), for request variables; the sender records into it. */
  responses?: Map<string, Exchange>;
  /** `wirelens.environmentVariables` (REST Client's shape, `$shared` included). */
  settingsEnvironments?: EnvironmentTable;
  /** Environments already loaded (otherwise loaded from env files next to filePath and the settings). */
  environments?: Environments;
  /** Process environment for `$processEnv` (default: process.env). */
  processEnv?: Record<string, string | undefined>;
  /** False: read no env files at all, `.env` included (Restricted Mode for a file outside the workspace). */
  envFiles?: boolean;
  /** Asks the user for `# @prompt` values; undefined answer = cancelled. */
  prompt?: (p: PromptRequest) => Promise<string | undefined>;
  /**
   * Asked before a request marked `# @note` is sent (REST Client: confirm first); false = do not send.
   * Without it (CLI) the request is sent as is.
   */
  confirm?: (c: { block: RequestBlock; note: string }) => Promise<boolean>;
  /** Prompt answers given up front (CLI, tests). */
  promptValues?: Record<string, string>;
  /** Variables the request's own scripts set (run model): above file variables. */
  scriptVariables?: Map<string, string>;
  /** Script globals of the run / window (run model): above the environment, below file variables. */
  globals?: Map<string, string>;
  /** Documents this file imports (httpyac `# @import`), nearest first: their file variables apply below its own. */
  imports?: HttpDocument[];
  /** Headers added when the request writes none of that name (`wirelens.defaultHeaders`, `rest-client.defaultHeaders`). */
  defaultHeaders?: Record<string, string>;
  /** Clock and randomness, for tests. */
  now?: Date;
  random?: () => number;
}

const FORBIDDEN_IN_HEAD = /[\r\n\0]/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The first control byte other than HTAB in a header value (RFC 9110 5.5: field-vchar / obs-text only), or null. */
export function controlByteIn(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 9) || c === 0x7f) return `0x${c.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return null;
}

export async function resolveRequest(doc: HttpDocument, block: RequestBlock, ctx: ResolveContext = {}): Promise<ResolveResult> {
  try {
    return await resolve(doc, block, ctx);
  } catch (e) {
    return {
      request: null,
      errors: [
        { line: block.requestLine, severity: 'error', message: `Could not resolve the request: ${e instanceof Error ? e.message : String(e)}` },
      ],
    };
  }
}

function dirOf(ctx: ResolveContext): string | undefined {
  return ctx.filePath ? path.dirname(ctx.filePath) : undefined;
}

/** Builds the resolver for a block (also used by hover to show values). */
export function makeResolver(
  doc: HttpDocument,
  ctx: ResolveContext,
  prompts: Map<string, string> = new Map(),
): { resolver: VariableResolver; environments: Environments } {
  const dir = dirOf(ctx);
  const environments =
    ctx.environments ??
    loadEnvironments({ dir: ctx.envFiles === false ? undefined : dir, stopAt: ctx.workspaceRoot, settings: ctx.settingsEnvironments });
  let dotenv: Record<string, string> | null = null;
  // httpyac @import: the imported files' variables apply, below this file's own (a later definition wins).
  const imported = ctx.imports && ctx.imports.length > 0 ? [...ctx.imports].reverse().flatMap((d) => d.variables) : [];
  const resolver = new VariableResolver({
    doc: imported.length ? { ...doc, variables: [...imported, ...doc.variables] } : doc,
    env: environments.variables(ctx.environment ?? null),
    shared: environments.variables(null),
    prompts,
    responses: ctx.responses ?? new Map(),
    scriptVariables: ctx.scriptVariables,
    globals: ctx.globals,
    system: {
      now: ctx.now ?? new Date(),
      random: ctx.random ?? Math.random,
      processEnv: ctx.processEnv ?? process.env,
      dotenv: () => (dotenv ??= ctx.envFiles === false ? {} : dotenvFor(ctx.environments, dir, ctx.workspaceRoot)),
    },
  });
  return { resolver, environments };
}

/** The error-level diagnostics of a diagnostics list (usually none), kept per list: each request of a run looks. */
const errorsOf = new WeakMap<readonly LangDiagnostic[], { length: number; errors: LangDiagnostic[] }>();

function documentErrors(diagnostics: readonly LangDiagnostic[]): LangDiagnostic[] {
  const known = errorsOf.get(diagnostics);
  if (known && known.length === diagnostics.length) return known.errors;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  errorsOf.set(diagnostics, { length: diagnostics.length, errors });
  return errors;
}

/**
 * `.env` read for `{{$dotenv}}` once per loaded Environments (a run, or one send in the editor), as the env files
 * themselves are: not again for every request of a run. Without environments given, read each time.
 */
const dotenvRead = new WeakMap<Environments, Map<string, Record<string, string>>>();

function dotenvFor(environments: Environments | undefined, dir: string | undefined, root: string | undefined): Record<string, string> {
  if (!environments) return loadDotenv(dir, root);
  let byPlace = dotenvRead.get(environments);
  if (!byPlace) dotenvRead.set(environments, (byPlace = new Map()));
  const key = `${dir ?? ''}\u0000${root ?? ''}`;
  let values = byPlace.get(key);
  if (!values) byPlace.set(key, (values = loadDotenv(dir, root)));
  return values;
}

/** Error-level diagnostics of the document that fall inside the block: such a block is never sent. */
export function blockingDiagnostics(doc: HttpDocument, block: RequestBlock): LangDiagnostic[] {
  return documentErrors(doc.diagnostics).filter((d) => d.line >= block.startLine && d.line <= block.endLine);
}

async function resolve(doc: HttpDocument, block: RequestBlock, ctx: ResolveContext): Promise<ResolveResult> {
  const errors: LangDiagnostic[] = [];
  const fail = (line: number, message: string): void => {
    errors.push({ line, severity: 'error', message });
  };

  // Nothing broken is sent: a block with an error in it stops here, before prompts, confirmation or the socket.
  const blocking = blockingDiagnostics(doc, block);
  if (blocking.length > 0)
    return {
      request: null,
      errors: blocking.map((d) => ({
        ...d,
        message: /nothing is sent\.$/i.test(d.message) ? d.message : `${d.message} (not sent: fix this line first)`,
      })),
    };
  if (block.unsupported)
    return {
      request: null,
      errors: [
        {
          line: block.requestLine,
          severity: 'error',
          message: `${block.unsupported} requests (httpyac) are not supported by Wire Lens; nothing is sent.`,
        },
      ],
    };

  // `# @note`: the user confirms before anything else happens (prompts included).
  if ('note' in block.metadata && ctx.confirm) {
    const ok = await ctx.confirm({ block, note: block.metadata.note });
    if (!ok) {
      const line = block.metadataEntries.find((m) => m.key === 'note')?.line ?? block.requestLine;
      return { request: null, errors: [{ line, severity: 'error', message: '@note: not sent (not confirmed).' }] };
    }
  }

  // Prompts first: they may be needed anywhere below.
  const promptValues = new Map<string, string>();
  for (const p of block.prompts) {
    const given = ctx.promptValues?.[p.name];
    if (given !== undefined) {
      promptValues.set(p.name, given);
      continue;
    }
    if (!ctx.prompt) {
      fail(p.line, `@prompt ${p.name}: no value given (nothing to ask the user with).`);
      continue;
    }
    const answer = await ctx.prompt({ name: p.name, description: p.description, secret: isSecretName(p.name) });
    if (answer === undefined) return { request: null, errors: [{ line: p.line, severity: 'error', message: `@prompt ${p.name}: cancelled.` }] };
    promptValues.set(p.name, answer);
  }
  if (errors.length) return { request: null, errors };

  const { resolver } = makeResolver(doc, ctx, promptValues);
  const sub = (text: string, line: number): string => {
    const r = resolver.substitute(text);
    for (const e of r.errors) fail(line, e);
    return r.text;
  };

  // Request line.
  const rawTarget = sub(block.target, block.requestLine).trim();
  if (FORBIDDEN_IN_HEAD.test(rawTarget))
    fail(block.requestLine, 'A variable put CR, LF or NUL into the request target; refused (it would split the request line).');

  // Headers.
  const headers: [string, string][] = [];
  /** Header indexes whose value drew on a secret (private env file, secret-looking name). */
  const secretHeaders = new Set<number>();
  for (const h of block.headers) {
    const name = sub(h.name, h.line);
    const sv = resolver.substitute(h.value);
    for (const e of sv.errors) fail(h.line, e);
    const value = sv.text;
    if (sv.secret) secretHeaders.add(headers.length);
    const ctl = controlByteIn(value);
    if (FORBIDDEN_IN_HEAD.test(name) || FORBIDDEN_IN_HEAD.test(value)) {
      fail(h.line, `A variable put CR, LF or NUL into the ${h.name} header; refused (header injection).`);
    } else if (ctl !== null) {
      fail(
        h.line,
        `The ${name} header value holds the control byte ${ctl}; refused (RFC 9110 5.5 allows no control characters but HTAB in a field value).`,
      );
    } else if (!HEADER_NAME.test(name)) {
      // `{{h}}: v` with h = "X-A: 1" would otherwise smuggle a different field in.
      fail(
        h.line,
        `Header name ${JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name)} is not a valid field name (RFC 9110 token); refused.`,
      );
    }
    headers.push([name, value]);
  }

  if (block.socket) {
    const socket = resolveSocket(block, block.socket, rawTarget, (text, line) => sub(text, line), fail);
    if (errors.length || !socket) return { request: null, errors };
    const options: RequestOptions = {};
    if ('insecure' in block.metadata) options.insecure = true;
    if (block.metadata.timeout) {
      const ms = parseTimeout(block.metadata.timeout, bareTimeoutUnit('timeout', doc.dialect, block));
      if (ms !== null) options.timeoutMs = ms;
    }
    const secrets = [...resolver.usedSecrets].filter((s) => s !== '');
    // httpyac @keepStreaming on a WebSocket: read until the server closes (or the timeout / cancel ends it).
    if (socket.kind === 'websocket' && 'keepStreaming' in block.metadata && socket.request.until === null) socket.request.until = { kind: 'close' };
    const request: ResolvedRequest = {
      method: socket.kind === 'websocket' ? 'GET' : socket.kind.toUpperCase(),
      url: socket.url,
      httpVersion: socket.kind === 'websocket' ? 'HTTP/1.1' : '',
      headers,
      body: null,
      options,
      socket: socket.request,
    };
    if (block.name) request.name = block.name;
    if (secrets.length) request.secrets = secrets;
    return { request, errors: [] };
  }
  // Default headers (settings) go after the written ones, only where the request writes none of that name.
  for (const [n, v] of Object.entries(ctx.defaultHeaders ?? {})) {
    if (typeof v !== 'string' || !HEADER_NAME.test(n) || FORBIDDEN_IN_HEAD.test(v) || controlByteIn(v) !== null) continue;
    if (!headers.some(([h]) => h.toLowerCase() === n.toLowerCase())) headers.push([n, v]);
  }

  let url: string | null = null;
  let target: string | undefined;
  const notes: Note[] = [];
  if (!FORBIDDEN_IN_HEAD.test(rawTarget)) {
    const built = buildTarget({
      raw: rawTarget,
      method: block.method,
      headers,
      hostVariable: () => {
        if (resolver.sourceOf('host') === null) return undefined;
        const r = resolver.lookup('host');
        return 'value' in r ? r.value : undefined;
      },
      noAutoEncoding: 'no-auto-encoding' in block.metadata,
    });
    if ('error' in built) fail(block.requestLine, built.error);
    else {
      url = built.url;
      target = built.target;
      notes.push(...built.notes);
      if (built.hostValue !== undefined) {
        const at = headers.findIndex(([n]) => n.toLowerCase() === 'host');
        if (at >= 0) headers[at] = [headers[at][0], built.hostValue];
      }
    }
  }

  // Authorization shortcuts (REST Client, httpyac): computed here (Basic, AWS) or by the engine (Digest).
  const computedSecrets: string[] = [];
  let digest: ResolvedRequest['digest'];
  let aws: Extract<AuthShortcut, { kind: 'aws' }> | null = null;
  let awsAt = -1;
  const authAt = headerIndex(headers, 'authorization');
  if (authAt >= 0) {
    const line = block.headers[authAt]?.line ?? block.requestLine;
    const shortcut = parseAuthShortcut(headers[authAt][1]);
    const secret = secretHeaders.has(authAt);
    if (shortcut?.kind === 'refused') fail(line, `Authorization: ${shortcut.message} Not sent.`);
    else if (shortcut?.kind === 'basic') {
      headers[authAt] = [headers[authAt][0], shortcut.value];
      if (secret) computedSecrets.push(shortcut.value.slice(6));
      notes.push(
        authNote(
          'Basic credentials computed',
          'The Authorization: Basic user:pass (or user pass) shortcut of REST Client and httpyac was sent as Basic base64(user:pass), RFC 7617.',
          'https://www.rfc-editor.org/rfc/rfc7617',
        ),
      );
    } else if (shortcut?.kind === 'digest') {
      // The first leg goes without credentials; the engine answers the 401 challenge (both legs are kept).
      headers.splice(authAt, 1);
      digest = { user: shortcut.user, password: shortcut.password, secret };
    } else if (shortcut?.kind === 'aws') {
      aws = shortcut;
      awsAt = authAt;
    }
  }

  if (block.sse) notes.push(sseHeaders(headers));

  // Body.
  const contentTypeAt = headerIndex(headers, 'content-type');
  const contentType = contentTypeAt >= 0 ? headers[contentTypeAt][1] : '';
  let body: BodyPart[] | null = null;
  const method = block.method === 'GRAPHQL' ? 'POST' : block.sse ? 'GET' : block.method;
  if (block.body !== null) {
    if (block.graphql || block.method === 'GRAPHQL' || looksLikeGraphql(block.body, contentType)) body = graphqlBody(block, sub, headers);
    else {
      const mode = /^multipart\//i.test(contentType.trim())
        ? 'multipart'
        : /^application\/x-www-form-urlencoded\b/i.test(contentType.trim())
          ? 'form'
          : 'text';
      body = await textBody(block, mode, sub, ctx, fail, declaredCharset(contentType));
    }
  }

  if (errors.length) return { request: null, errors };

  if (aws && url !== null && target !== undefined) {
    const signed = await signAws(aws, { method, url, target, headers, awsAt, body });
    if ('error' in signed)
      return { request: null, errors: [{ line: block.headers[awsAt]?.line ?? block.requestLine, severity: 'error', message: signed.error }] };
    headers.splice(0, headers.length, ...signed.headers);
    computedSecrets.push(...signed.secrets);
    notes.push(
      authNote(
        'AWS Signature Version 4 computed',
        'The Authorization: AWS <accessId> <secretKey> shortcut of REST Client was signed with AWS Signature Version 4 (by the aws4 library): X-Amz-Date and Authorization (and X-Amz-Security-Token, Content-Type, Content-Length where aws4 adds them) were sent in its place.',
        'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html',
      ),
    );
  }

  const options: RequestOptions = {};
  if ('no-redirect' in block.metadata) options.followRedirects = false;
  // httpyac's @no-reject-unauthorized is REST Client / Wire Lens @insecure.
  if ('insecure' in block.metadata || 'no-reject-unauthorized' in block.metadata) options.insecure = true;
  if ('no-cookie-jar' in block.metadata) options.noCookieJar = true;
  if ('new-connection' in block.metadata) options.newConnection = true;
  if ('no-proxy' in block.metadata) options.noProxy = true;
  if (block.metadata.proxy) options.proxy = block.metadata.proxy.trim();
  if (block.metadata['max-time']) {
    const ms = parseTimeout(block.metadata['max-time']);
    if (ms !== null) options.maxTimeMs = ms;
  }
  if (block.metadata.timeout) {
    const ms = parseTimeout(block.metadata.timeout, bareTimeoutUnit('timeout', doc.dialect, block));
    if (ms !== null) options.timeoutMs = ms;
  }
  // httpyac @keepStreaming: the event stream is read until the server ends it or it is cancelled, with no idle
  // timeout (unless @timeout sets one; @max-time still bounds the whole exchange).
  if (block.sse && 'keepStreaming' in block.metadata && !block.metadata.timeout) options.timeoutMs = 0;
  if (block.metadata['connection-timeout']) {
    const ms = parseTimeout(block.metadata['connection-timeout'], bareTimeoutUnit('connection-timeout', doc.dialect));
    if (ms !== null) options.connectTimeoutMs = ms;
  }
  // The one rule (language/secrets.ts): the secret values used, and what is derived from them and the URL.
  const secrets = expandSecrets([...resolver.usedSecrets, ...computedSecrets], url ?? '', headers);
  const request: ResolvedRequest = {
    method,
    url: url ?? '',
    // Empty when none is written: the engine (and the HTTP/2 setting) decide the protocol then.
    httpVersion: block.httpVersion ?? '',
    headers,
    body,
    options,
  };
  if (target !== undefined) request.target = target;
  if (digest) request.digest = digest;
  if (notes.length) request.notes = notes;
  if (block.name) request.name = block.name;
  if (secrets.length) request.secrets = secrets;
  return { request, errors: [] };
}

async function textBody(
  block: RequestBlock,
  mode: 'text' | 'multipart' | 'form',
  sub: (text: string, line: number) => string,
  ctx: ResolveContext,
  fail: (line: number, message: string) => void,
  charset: string | null,
): Promise<BodyPart[]> {
  const { lines, eol: eolOf } = splitLines(block.body ?? '');
  const first = block.bodyStartLine ?? block.requestLine;
  const includes = new Map(block.includes.map((inc) => [inc.index, inc]));
  const parts: BodyPart[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') {
      const enc = encodeBodyText(text, mode === 'multipart' ? null : charset);
      if ('error' in enc) fail(first, enc.error);
      else parts.push({ kind: 'bytes', data: enc.data });
    }
    text = '';
  };
  const baseDir = dirOf(ctx) ?? process.cwd();
  for (let k = 0; k < lines.length; k++) {
    // RFC 7578: multipart bodies use CRLF; everything else keeps the line endings as written, except that
    // a form body may continue on lines starting with `&`, joined without a line break (REST Client's rule).
    const eol =
      k === lines.length - 1 ? '' : mode === 'multipart' ? '\r\n' : mode === 'form' && lines[k + 1].trimStart().startsWith('&') ? '' : eolOf(k);
    if (mode === 'form' && k > 0 && lines[k].trimStart().startsWith('&')) lines[k] = lines[k].trimStart();
    const inc = includes.get(k);
    if (!inc) {
      text += sub(lines[k], first + k) + eol;
      continue;
    }
    const rel = sub(inc.path, inc.line);
    // Relative to the .http file; REST Client files may also name it relative to the workspace folder.
    const candidates = [path.resolve(baseDir, rel)];
    if (ctx.workspaceRoot && !path.isAbsolute(rel)) candidates.push(path.resolve(ctx.workspaceRoot, rel));
    let file = candidates[0];
    let size = -1;
    for (const c of candidates) {
      try {
        const st = await fs.promises.stat(c);
        if (!st.isFile()) continue;
        file = c;
        size = st.size;
        break;
      } catch {
        // try the next place
      }
    }
    if (size < 0) {
      fail(inc.line, `Body file not found: ${rel} (looked at ${candidates.join(' and ')}).`);
      continue;
    }
    if (inc.substitute) {
      if (size > 64 * 1024 * 1024) {
        fail(inc.line, `${rel} is too large for <@ (variables are substituted in memory); use < to stream it.`);
        continue;
      }
      const raw = await fs.promises.readFile(file);
      const content = inc.encoding ? decodeFile(raw, inc.encoding) : raw.toString('utf8');
      if (content === null) {
        fail(inc.line, `<@${inc.encoding}: unknown encoding (known: utf8, latin1, ascii, utf16le, windows-1252, iso-8859-15, shift_jis…).`);
        continue;
      }
      const r = sub(content, inc.line);
      text += r + eol;
    } else {
      flush();
      parts.push({ kind: 'file', path: file });
      text = eol;
    }
  }
  flush();
  return parts;
}

/** `X-Request-Type: GraphQL`: the body is a query, then optionally a blank line and variables JSON. */
function graphqlBody(block: RequestBlock, sub: (text: string, line: number) => string, headers: [string, string][]): BodyPart[] {
  const line = block.bodyStartLine ?? block.requestLine;
  const text = sub(block.body ?? '', line);
  let query = text;
  let variables: unknown;
  const separators = [...text.matchAll(/\r?\n[ \t]*\r?\n/g)];
  for (let k = separators.length - 1; k >= 0; k--) {
    const at = separators[k].index ?? 0;
    const rest = text.slice(at).trim();
    if (!rest.startsWith('{')) continue;
    try {
      variables = JSON.parse(rest);
      query = text.slice(0, at);
      break;
    } catch {
      // not the variables part; keep looking further up
    }
  }
  const payload: Record<string, unknown> = { query: query.trim() };
  const op = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  if (op) payload.operationName = op[1];
  if (variables !== undefined) payload.variables = variables;
  if (!headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json']);
  // X-Request-Type: GraphQL tells Wire Lens how to build the body; like REST Client, it is not sent.
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i][0].toLowerCase() === 'x-request-type') headers.splice(i, 1);
  return [{ kind: 'bytes', data: Buffer.from(JSON.stringify(payload), 'utf8') }];
}

/**
 * httpyac's `SSE url`: what an EventSource sends (the eventsource package httpyac uses, and browsers): a GET with
 * `Accept: text/event-stream` and `Cache-Control: no-cache`, added when the file writes neither. httpyac's
 * `Event:` header only chooses which events it prints; it is not sent.
 */
function sseHeaders(headers: [string, string][]): Note {
  const events = headers.filter(([n]) => n.toLowerCase() === 'event').map(([, v]) => v);
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i][0].toLowerCase() === 'event') headers.splice(i, 1);
  const added: string[] = [];
  if (!headers.some(([n]) => n.toLowerCase() === 'accept')) {
    headers.push(['Accept', 'text/event-stream']);
    added.push('Accept: text/event-stream');
  }
  if (!headers.some(([n]) => n.toLowerCase() === 'cache-control')) {
    headers.push(['Cache-Control', 'no-cache']);
    added.push('Cache-Control: no-cache');
  }
  return {
    id: 'sse-request',
    subject: 'request',
    level: 'info',
    category: 'protocol',
    summary: 'Server-Sent Events (httpyac SSE): sent as a GET',
    detail:
      `SSE url is sent as an EventSource sends it: GET${added.length ? `, with ${added.join(' and ')} added` : ''}. ` +
      'The events are the response body, read as they arrive until the server ends the stream, @timeout passes without an event, @max-time passes, or you cancel (# @keepStreaming: no idle timeout); what arrived is kept. ' +
      `Wire Lens sends it once: an EventSource would connect again when the stream ends.${events.length ? ` Event: ${events.join(', ')} chooses the events httpyac shows; it is not sent.` : ''}`,
    reference: 'https://html.spec.whatwg.org/multipage/server-sent-events.html',
  };
}

/** Where the first header of a (lower-case) name is, or -1; indexed, not destructured (cold code pays for the iterator). */
function headerIndex(headers: readonly [string, string][], lower: string): number {
  for (let i = 0; i < headers.length; i++) if (headers[i][0].toLowerCase() === lower) return i;
  return -1;
}

function authNote(summary: string, detail: string, reference: string): Note {
  return { id: 'auth-shortcut', subject: 'request', level: 'info', category: 'auth', summary, detail, reference };
}

/** httpyac sends a body that starts with a GraphQL `query`, `mutation`, `subscription` or `fragment` as GraphQL JSON. */
function looksLikeGraphql(body: string, contentType: string): boolean {
  const ct = contentType.trim().toLowerCase();
  if (ct !== '' && !ct.startsWith('application/json')) return false;
  return /^\s*(?:query|mutation|subscription)\b\s*(?:[_A-Za-z][_0-9A-Za-z]*\s*)?[({]/.test(body) || /^\s*fragment\s+[_A-Za-z]\w*\s+on\s+/.test(body);
}
