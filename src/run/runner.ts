// The one run model. Given a document, a selection and a context, it orders the requests (a named request
// another one reads goes first, and is sent first when a selection needs it and the state has no response for
// it yet), then for each: @disabled, @sleep, @loop; pre-request scripts; resolution (script variables and
// globals included); sending; response handlers and `??` asserts in the order written. The editor (Send
// Request, Send All, Test Explorer) and the CLI (send, test) all run through here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeResolver, resolveRequest, type ResolveContext } from '../language/resolve';
import { loadImports, referencePlan, type LocatedDocument } from '../language/imports';
import { handleResponseFiles } from '../language/responseFiles';
import { requestDependencies, sendOrder } from '../language/sendOrder';
import type { HttpDocument, RequestBlock, ScriptSource } from '../language/types';
import { execute } from '../pipeline';
import { mediaType } from '../wire/charset';
import type { Exchange, ExchangeTest } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';
import { send, type SendOptions } from '../wire';
import { evaluateAssert, type AssertSandbox } from './asserts';
import type { Sandbox, SandboxHost, ScriptInput, ScriptOutput } from './sandbox/sandbox';
import { SCRIPT_ERRORS } from './sandbox/sandbox';
import { requestName, type RequestResult, type RunState } from './state';
import { socketResponse, type ScriptMessage } from './socketResponse';

export interface ScriptPolicy {
  /** Run scripts (and `?? js` asserts). Off: --no-scripts, or an untrusted workspace in the editor. */
  enabled: boolean;
  /** Shown when scripts are off and a request has some. */
  reason?: string;
  /** Per-script time limit (default 2000 ms). */
  timeoutMs?: number;
}

export interface RunOptions {
  doc: HttpDocument;
  /** Requests to run (default: every request of the document). */
  selection?: RequestBlock[];
  /** Where the file is, its environment, prompts and confirmations. */
  context: ResolveContext;
  state: RunState;
  /** Engine options (timeouts, TLS…); the cookie jar comes from the state. */
  engine?: SendOptions;
  scripts?: ScriptPolicy;
  signal?: AbortSignal;
  /** Variables given for the run (CLI --var): above everything but prompts. */
  variables?: Map<string, string>;
  /** Stop after the first request that fails (--bail). */
  bail?: boolean;
  /**
   * Annotate each exchange with the knowledge base's notes (default true). `wirelens test` turns it off when
   * no reporter reads the notes (no --fail-on): the verdict does not depend on them.
   */
  annotate?: boolean;
  /** Sends the resolved request (the editor shows its panel around it); default: the pipeline. */
  sender?: (request: ResolvedRequest, block: RequestBlock) => Promise<Exchange>;
  onResult?: (r: RequestResult) => void;
  /**
   * httpyac `# @import`: the imported documents (their variables apply below the file's own; their named requests
   * serve `# @ref`). Default: loaded here from `context.filePath` (their problems are then the caller's diagnostics).
   */
  imports?: LocatedDocument[];
}

export interface RunOutcome {
  results: RequestResult[];
  /** A script called client.exit(): the requests after it were not run. */
  exited: boolean;
}

const MAX_ITERATIONS = 10_000;
const MAX_SCRIPT_FILE = 1024 * 1024;

/** The requests to run, in order: dependencies first, then the selection in document order. */
export function runOrder(doc: HttpDocument, selection: RequestBlock[] | undefined, state: RunState): RequestBlock[] {
  const all = sendOrder(doc);
  if (!selection) return all;
  const wanted = new Set(selection);
  const byName = new Map<string, RequestBlock>();
  for (const b of doc.requests) {
    const n = requestName(b);
    if (n !== null && !byName.has(n)) byName.set(n, b);
  }
  // Dependencies the state cannot answer yet are sent too (once, before the request that reads them).
  const pending = [...selection];
  while (pending.length > 0) {
    const b = pending.pop() as RequestBlock;
    for (const n of requestDependencies(doc, b)) {
      const dep = byName.get(n);
      if (dep && !wanted.has(dep) && !state.responses.has(n)) {
        wanted.add(dep);
        pending.push(dep);
      }
    }
  }
  return all.filter((b) => wanted.has(b));
}

function failed(r: RequestResult): boolean {
  return r.errors.length > 0 || r.exchange?.error != null || r.tests.some((t) => !t.passed);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function runRequests(opts: RunOptions): Promise<RunOutcome> {
  const results: RequestResult[] = [];
  const blocks = runOrder(opts.doc, opts.selection, opts.state);
  const filePath = opts.context.filePath;
  const imported = opts.imports ?? loadImports({ doc: opts.doc, filePath }).docs;
  if (imported.length > 0 && !opts.context.imports) opts = { ...opts, context: { ...opts.context, imports: imported.map((d) => d.doc) } };
  let exited = false;
  let bailed = false;
  for (const block of blocks) {
    if (opts.signal?.aborted) break;
    if (exited || bailed) {
      const r = emptyResult(block, exited ? 'not run: a script called client.exit()' : 'not run: --bail after a failure');
      results.push(r);
      opts.onResult?.(r);
      continue;
    }
    // `# @ref name` / `# @forceRef name` (httpyac): the named requests (this file or its imports) go first.
    const refs = referencePlan({ doc: opts.doc, filePath, block }, imported, (n) => opts.state.responses.has(n));
    if (refs.problems.length > 0) {
      const r = emptyResult(block, null);
      r.errors = refs.problems;
      results.push(r);
      opts.onResult?.(r);
      if (opts.bail) bailed = true;
      continue;
    }
    const own = { doc: opts.doc, filePath, block };
    for (const step of refs.plan.length === 0 ? [own] : [...refs.plan, own]) {
      const isRef = step.block !== block;
      const stepOpts = step.doc === opts.doc ? opts : { ...opts, doc: step.doc, context: { ...opts.context, filePath: step.filePath } };
      let held = false;
      for (const r of await runBlock(step.block, stepOpts)) {
        if (step.filePath !== filePath && step.filePath) r.file = step.filePath;
        results.push(r);
        opts.onResult?.(r);
        if (r.tests.some((t) => t.code === 'exit')) exited = true;
        if (opts.bail && failed(r)) bailed = true;
        // A reference that cannot be sent holds back the request that needs it.
        if (isRef && !r.exchange) held = true;
      }
      if (held || exited || bailed) break;
    }
  }
  return { results, exited };
}

function emptyResult(block: RequestBlock, skipped: string | null, iteration: number | null = null): RequestResult {
  return {
    block,
    name: requestName(block),
    iteration,
    request: null,
    exchange: null,
    errors: [],
    skipped,
    tests: [],
    logs: [],
    globalsSet: {},
    scriptsNotRun: null,
    durationMs: 0,
  };
}

/** Scripts, `?? js` / `matches` asserts, or a `@loop` list that may be JavaScript. */
function needsSandbox(block: RequestBlock): boolean {
  if (block.scripts.length > 0) return true;
  if (block.asserts.some((a) => /^js\s|\smatches\s/.test(a.text))) return true;
  return block.metadata.loop !== undefined && !/^for\s+\d+$/.test(block.metadata.loop);
}

function disabled(block: RequestBlock): boolean {
  if (!('disabled' in block.metadata)) return false;
  const v = block.metadata.disabled.trim().toLowerCase();
  return v !== 'false' && v !== '0';
}

/** The scripts and asserts that run after the response, in the order they are written. */
function postSteps(block: RequestBlock): ({ kind: 'script'; script: ScriptSource } | { kind: 'assert'; index: number })[] {
  const steps: { line: number; step: { kind: 'script'; script: ScriptSource } | { kind: 'assert'; index: number } }[] = [];
  for (const s of block.scripts) if (s.phase === 'post') steps.push({ line: s.startLine, step: { kind: 'script', script: s } });
  block.asserts.forEach((a, index) => steps.push({ line: a.line, step: { kind: 'assert', index } }));
  return steps.sort((a, b) => a.line - b.line).map((s) => s.step);
}

interface Iteration {
  index: number | null;
  vars: Map<string, string>;
}

async function runBlock(block: RequestBlock, opts: RunOptions): Promise<RequestResult[]> {
  if (disabled(block)) return [emptyResult(block, '@disabled')];
  const policy = opts.scripts ?? { enabled: true };
  const file = opts.context.filePath ?? '(untitled)';
  // The sandbox (about 40 ms to load, more on a busy machine) only for requests that have code to run.
  const sandbox = policy.enabled && needsSandbox(block) ? await opts.state.sandboxFor(file, { timeoutMs: policy.timeoutMs }) : null;
  const iterations = loopIterations(block, opts, sandbox);
  if (typeof iterations === 'string') {
    const r = emptyResult(block, null);
    r.tests.push({
      name: '@loop',
      passed: false,
      message: iterations,
      line: block.metadataEntries.find((m) => m.key === 'loop')?.line ?? block.requestLine,
      kind: 'script',
      code: SCRIPT_ERRORS.ERROR,
    });
    return [r];
  }
  const out: RequestResult[] = [];
  for (const it of iterations) {
    if (opts.signal?.aborted) break;
    const sleep = Number(block.metadata.sleep);
    if ('sleep' in block.metadata && Number.isFinite(sleep) && sleep > 0) await delay(Math.min(sleep, 600_000), opts.signal);
    const r = await runOnce(block, opts, sandbox, it);
    out.push(r);
    if (r.tests.some((t) => t.code === 'exit')) break;
  }
  return out;
}

function loopIterations(block: RequestBlock, opts: RunOptions, sandbox: Sandbox | null): Iteration[] | string {
  const spec = block.metadata.loop;
  if (spec === undefined) return [{ index: null, vars: new Map() }];
  const count = /^for\s+(\d+)$/.exec(spec);
  if (count) {
    const n = Math.min(Number(count[1]), MAX_ITERATIONS);
    return Array.from({ length: n }, (_, i) => ({ index: i, vars: new Map([['$index', String(i)]]) }));
  }
  const each = /^for\s+([A-Za-z_$][\w$]*)\s+of\s+(\S.*)$/.exec(spec);
  if (!each) return `@loop needs 'for N' or 'for ITEM of LIST', got '${spec}'.`;
  const [, item, listText] = each;
  const { resolver } = makeResolver(opts.doc, { ...opts.context, globals: opts.state.globals });
  const sub = resolver.substitute(listText);
  if (sub.errors.length) return `@loop: ${sub.errors[0]}`;
  let list: unknown;
  try {
    list = JSON.parse(sub.text);
  } catch {
    if (!sandbox) return '@loop: the list is not JSON, and evaluating it as JavaScript needs scripts (they are off).';
    const scope: Record<string, unknown> = Object.fromEntries(opts.state.globals);
    const r = sandbox.evaluate(sub.text, scope, { lookup: () => null, substitute: (t) => t });
    if ('error' in r) return `@loop: ${r.error}`;
    list = r.value;
  }
  if (!Array.isArray(list)) return `@loop: ${listText} is not a list.`;
  return list.slice(0, MAX_ITERATIONS).map((v, i) => ({
    index: i,
    vars: new Map([
      [item, typeof v === 'string' ? v : JSON.stringify(v)],
      ['$index', String(i)],
    ]),
  }));
}

function contentTypeOf(headers: [string, string][]): { mimeType: string | null; charset: string | null } {
  const ct = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  if (!ct) return { mimeType: null, charset: null };
  const m = mediaType(ct);
  return { mimeType: m.type || null, charset: m.charset };
}

function requestBody(req: ResolvedRequest): string | null {
  if (!req.body) return null;
  return req.body.map((p) => (p.kind === 'bytes' ? Buffer.from(p.data).toString('utf8') : `< ${p.path}`)).join('');
}

function responseInput(ex: Exchange): ScriptInput['response'] {
  const r = ex.response;
  const socket = socketResponse(ex);
  if (socket) {
    // Socket blocks: the messages, and the received data as the body (a WebSocket keeps its 101's status and headers).
    return {
      status: r?.status ?? 0,
      reason: r?.reason ?? '',
      headers: r?.headers ?? [],
      body: socket.received,
      contentType: null,
      durationMs: ex.timings.total === null ? null : Math.round(ex.timings.total),
      socket: { kind: socket.kind, messages: socket.messages },
    };
  }
  if (!r) return null;
  const text = typeof r.body.text === 'string' ? r.body.text : r.body.base64 ? Buffer.from(r.body.base64, 'base64').toString('utf8') : '';
  return {
    status: r.status,
    reason: r.reason,
    headers: r.headers,
    body: text,
    contentType: contentTypeOf(r.headers),
    durationMs: ex.timings.total === null ? null : Math.round(ex.timings.total),
  };
}

function loadScript(s: ScriptSource, ctx: ResolveContext): { code: string } | { error: string } {
  if (s.code !== null) return { code: s.code };
  const base = ctx.filePath ? path.dirname(ctx.filePath) : process.cwd();
  const full = path.resolve(base, s.file ?? '');
  try {
    const st = fs.statSync(full);
    if (!st.isFile()) return { error: `${s.file} is not a file` };
    if (st.size > MAX_SCRIPT_FILE) return { error: `${s.file} is larger than 1 MiB` };
    return { code: fs.readFileSync(full, 'utf8') };
  } catch (e) {
    return { error: `cannot read ${s.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
}

async function runOnce(block: RequestBlock, opts: RunOptions, sandbox: Sandbox | null, it: Iteration): Promise<RequestResult> {
  const started = performance.now();
  const { state } = opts;
  const result = emptyResult(block, null, it.index);
  // The run's variables, then the iteration's (which win).
  const scriptVars = new Map(opts.variables);
  for (const [k, v] of it.vars) scriptVars.set(k, v);
  const hasScripts = block.scripts.length > 0 || block.asserts.some((a) => /^js\s/.test(a.text));
  const policy = opts.scripts ?? { enabled: true };
  if (!policy.enabled && hasScripts) result.scriptsNotRun = policy.reason ?? 'scripts are turned off';
  // One context for the request (its maps are shared, not copied). Object.assign, not a spread followed by new
  // properties: V8 (Node 20) takes a slow path for those, about a microsecond each.
  let context: ResolveContext | null = null;
  const ctx = (): ResolveContext =>
    (context ??= Object.assign({}, opts.context, { scriptVariables: scriptVars, globals: state.globals, responses: state.responses }));

  const host = (): SandboxHost => {
    const { resolver, environments } = makeResolver(opts.doc, ctx());
    return {
      lookup: (scope, name) => {
        if (scope === 'env') {
          const v = environments.variables(opts.context.environment ?? null).get(name);
          if (!v) return null;
          const s = resolver.substitute(v.value);
          return s.errors.length ? v.value : s.text;
        }
        const l = resolver.lookup(name);
        return 'value' in l ? l.value : null;
      },
      substitute: (text) => {
        const s = resolver.substitute(text);
        return s.errors.length ? text : s.text;
      },
    };
  };

  const record = (s: ScriptSource, out: ScriptOutput): void => {
    state.scriptStarts.push(out.startMs);
    const at = (line: number): number => (s.file !== null ? Math.max(0, line - 1) : line > 0 ? s.codeLine + line - 1 : s.startLine);
    for (const t of out.tests) {
      const test: ExchangeTest = { name: t.name, passed: t.passed, message: t.message, line: at(t.line), kind: 'test' };
      if (s.file !== null) test.file = s.file;
      if (t.expected !== undefined) test.expected = t.expected;
      if (t.actual !== undefined) test.actual = t.actual;
      result.tests.push(test);
    }
    result.logs.push(...out.logs);
    if (out.error) {
      const test: ExchangeTest = {
        name: `${s.phase === 'pre' ? 'Pre-request script' : 'Response handler'} (line ${s.startLine + 1})`,
        passed: false,
        message: out.error.message,
        line: at(out.error.line),
        kind: 'script',
        code: out.error.code,
      };
      if (s.file !== null) test.file = s.file;
      result.tests.push(test);
    }
    // Globals: the script's view replaces the run's (set, clear and clearAll all show in it), unless it failed outright.
    if (!out.error || out.error.code === SCRIPT_ERRORS.ERROR) {
      state.globals.clear();
      for (const [k, v] of Object.entries(out.globals)) state.globals.set(k, v);
    }
    for (const n of out.globalsSet) if (state.globals.has(n)) result.globalsSet[n] = state.globals.get(n) ?? '';
    for (const [k, v] of Object.entries(out.requestVars)) scriptVars.set(k, v);
    // httpyac: exports and top-level names are variables for this request and the ones after it.
    for (const [k, v] of Object.entries(out.exports)) {
      scriptVars.set(k, v);
      state.globals.set(k, v);
      result.globalsSet[k] = v;
    }
    if (out.exit)
      result.tests.push({
        name: 'client.exit()',
        passed: true,
        message: 'The script ended the run.',
        line: s.startLine,
        kind: 'script',
        code: 'exit',
      });
  };

  const runScript = (s: ScriptSource, input: Omit<ScriptInput, 'dialect' | 'phase' | 'globals' | 'requestVars'>): ScriptOutput | null => {
    if (!sandbox) return null;
    const loaded = loadScript(s, opts.context);
    if ('error' in loaded) {
      result.tests.push({
        name: `Script ${s.file ?? ''}`,
        passed: false,
        message: loaded.error,
        line: s.startLine,
        kind: 'script',
        code: SCRIPT_ERRORS.FILE,
      });
      return null;
    }
    const out = sandbox.run(
      loaded.code,
      {
        ...input,
        dialect: s.dialect,
        phase: s.phase,
        globals: Object.fromEntries(state.globals),
        requestVars: Object.fromEntries(scriptVars),
      },
      host(),
    );
    record(s, out);
    return out;
  };

  const variablesForHttpyac = (): Record<string, string> => Object.fromEntries(scriptVars);

  // 1. Pre-request scripts, in order (the request as written is built for them only: most requests have none).
  let headerEdits: { headers: [string, string][]; url: string | null } | null = null;
  const rawRequest = block.scripts.some((s) => s.phase === 'pre')
    ? {
        method: block.method,
        url: block.target,
        headers: block.headers.map((h) => [h.name, h.value] as [string, string]),
        body: block.body,
      }
    : null;
  for (const s of rawRequest ? block.scripts : []) {
    if (s.phase !== 'pre' || !rawRequest) continue;
    const out = runScript(s, { request: rawRequest, response: null, variables: variablesForHttpyac() });
    if (out?.exit) {
      result.durationMs = performance.now() - started;
      return result;
    }
    if (out && s.dialect === 'httpyac' && out.headers) headerEdits = { headers: out.headers, url: out.url };
  }

  // 2. Resolve.
  const { request, errors } = await resolveRequest(opts.doc, block, ctx());
  const fatal = errors.filter((e) => e.severity === 'error');
  if (!request || fatal.length > 0) {
    result.errors = fatal.length > 0 ? fatal : errors;
    result.durationMs = performance.now() - started;
    return result;
  }
  if (headerEdits && rawRequest) applyHeaderEdits(request, rawRequest.headers, headerEdits.headers);
  result.request = request;

  // 3. Send.
  const engine = engineOptions(opts);
  const exchange = opts.sender
    ? await opts.sender(request, block)
    : opts.annotate === false
      ? await send(request, engine)
      : await execute(request, engine);
  result.exchange = exchange;
  // `>> file` / `>>! file` write the body; `<> file` compares with a saved response (a note on the exchange).
  if (opts.context.filePath) {
    const after = handleResponseFiles(block, exchange, path.dirname(opts.context.filePath));
    if (after.error) result.responseFileError = after.error;
  }
  const name = requestName(block);
  if (name !== null) state.responses.set(name, exchange);

  // 4. Handlers and asserts, in the order written (the request as scripts see it is built only when some run).
  const steps = postSteps(block);
  const sent = steps.length > 0 ? { method: request.method, url: request.url, headers: request.headers, body: requestBody(request) } : null;
  const assertSandbox: AssertSandbox | null =
    sandbox && sent
      ? {
          evaluate: (expr) => {
            const r = sandbox.evaluate(
              expr,
              { response: responseScope(exchange), request: sent, ...Object.fromEntries(state.globals), ...Object.fromEntries(scriptVars) },
              host(),
            );
            return 'error' in r ? { error: r.error } : r;
          },
          test: (pattern, text) => {
            const r = sandbox.evaluate(`new RegExp(__p).test(__t)`, { __p: pattern, __t: text }, host());
            return 'error' in r ? { error: r.error } : { value: r.value === true };
          },
        }
      : null;
  // The resolver for asserts is made when one reads it: most requests have none (it costs a pass over the variables).
  let resolver: ReturnType<typeof makeResolver>['resolver'] | null = null;
  const substitute = (t: string): string => {
    resolver ??= makeResolver(opts.doc, ctx()).resolver;
    const s = resolver.substitute(t);
    return s.errors.length ? t : s.text;
  };
  const socketMessages = steps.length > 0 ? (socketResponse(exchange)?.messages.length ?? 0) : 0;
  if (sent && (!exchange.error || exchange.response || socketMessages > 0)) {
    for (const step of steps) {
      if (step.kind === 'assert') {
        result.tests.push(evaluateAssert(block.asserts[step.index], exchange, substitute, assertSandbox));
        continue;
      }
      const response = responseInput(exchange);
      if (!response) continue;
      const out = runScript(step.script, { request: sent, response, variables: variablesForHttpyac() });
      if (out?.exit) break;
    }
  }
  if (result.tests.length > 0) exchange.tests = result.tests;
  result.durationMs = performance.now() - started;
  return result;
}

/**
 * The engine options of a run with its cookie jar and signal, made once per run (and again only if the state's jar
 * is replaced): every request of the run sends with the same ones.
 */
const engineFor = new WeakMap<RunOptions, { base: SendOptions | undefined; jar: RunState['cookieJar']; engine: SendOptions }>();

function engineOptions(opts: RunOptions): SendOptions {
  const jar = opts.state.cookieJar;
  const known = engineFor.get(opts);
  if (known && known.base === opts.engine && known.jar === jar) return known.engine;
  const engine = { ...opts.engine, cookieJar: jar, signal: opts.signal };
  engineFor.set(opts, { base: opts.engine, jar, engine });
  return engine;
}

/** httpyac's `response` for `?? js`: status, headers (lower-case names), the parsed body. */
function responseScope(ex: Exchange): Record<string, unknown> | null {
  const input = responseInput(ex);
  if (!input) return null;
  let parsed: unknown = input.body;
  try {
    parsed = JSON.parse(input.body ?? '');
  } catch {
    // not JSON: the text
  }
  const headers: Record<string, string> = {};
  for (const [n, v] of input.headers) headers[n.toLowerCase()] = headers[n.toLowerCase()] === undefined ? v : `${headers[n.toLowerCase()]}, ${v}`;
  return {
    status: input.status,
    statusCode: input.status,
    headers,
    body: parsed,
    parsedBody: parsed,
    rawBody: input.body,
    duration: input.durationMs,
    ...(input.socket ? { messages: input.socket.messages.map(scriptMessage) } : {}),
  };
}

/** A message as `response.messages[i]` shows it in scripts and `?? js`: `data` is the JSON it holds, or its text. */
function scriptMessage(m: ScriptMessage): ScriptMessage & { data: unknown } {
  let data: unknown = m.text;
  try {
    if (m.text !== null) data = JSON.parse(m.text);
  } catch {
    // not JSON: the text
  }
  return { ...m, data };
}

/** Header changes an httpyac pre-request script made (set, replaced, removed), applied to the resolved request. */
function applyHeaderEdits(request: ResolvedRequest, before: [string, string][], after: [string, string][]): void {
  const key = (h: [string, string]): string => `${h[0].toLowerCase()}\u0000${h[1]}`;
  const was = new Set(before.map(key));
  const now = new Set(after.map(key));
  const removedNames = new Set(before.filter((h) => !now.has(key(h))).map((h) => h[0].toLowerCase()));
  const added = after.filter((h) => !was.has(key(h)));
  if (removedNames.size === 0 && added.length === 0) return;
  request.headers = request.headers.filter(([n]) => !removedNames.has(n.toLowerCase()));
  for (const [n, v] of added) {
    if (/[\r\n\0]/.test(n + v) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(n)) continue;
    request.headers = request.headers.filter(([x]) => x.toLowerCase() !== n.toLowerCase());
    request.headers.push([n, v]);
  }
}
