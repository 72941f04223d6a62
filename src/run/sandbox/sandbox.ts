// The script sandbox: QuickJS compiled to WebAssembly (quickjs-emscripten). A script sees only what the
// prelude builds from a JSON input; it has no require, no process, no file system, network or host objects.
// Each script runs under a deadline (interrupt handler) and the runtime under a memory limit. One context
// is reused for the scripts of one file in one run (a fresh context costs 2-4 ms; a compiled function ~0.05),
// and rebuilt after a script that timed out or ran out of memory.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import variant from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { PRELUDE, PRELUDE_FILE, SCRIPT_FILE } from './prelude';
import type { ScriptMessage } from '../socketResponse';

export const SCRIPT_ERRORS = {
  TIMEOUT: 'WL_SCRIPT_TIMEOUT',
  MEMORY: 'WL_SCRIPT_MEMORY',
  ERROR: 'WL_SCRIPT_ERROR',
  SYNTAX: 'WL_SCRIPT_SYNTAX',
  FILE: 'WL_SCRIPT_FILE',
} as const;

export const SANDBOX_DEFAULTS = {
  timeoutMs: 2000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 1024 * 1024,
  /** Largest JSON handed into or out of one script. */
  maxJsonBytes: 32 * 1024 * 1024,
} as const;

export interface SandboxLimits {
  timeoutMs?: number;
  memoryBytes?: number;
}

/** What a script gets (JSON-like data only). */
export interface ScriptInput {
  dialect: 'jetbrains' | 'httpyac';
  phase: 'pre' | 'post';
  globals: Record<string, string>;
  requestVars: Record<string, string>;
  /** httpyac: variables visible as plain names in the script. */
  variables?: Record<string, string>;
  request: { method: string; url: string; headers: [string, string][]; body: string | null } | null;
  response: {
    status: number;
    reason: string;
    headers: [string, string][];
    body: string | null;
    contentType: { mimeType: string | null; charset: string | null } | null;
    durationMs: number | null;
    /** Socket blocks (TCP, UDP, WebSocket): the messages in order. */
    socket?: { kind: 'websocket' | 'tcp' | 'udp'; messages: ScriptMessage[] };
  } | null;
}

export interface ScriptTest {
  name: string;
  passed: boolean;
  message: string | null;
  /** 1-based line within the script (0 = unknown). */
  line: number;
  expected?: string;
  actual?: string;
}

export interface ScriptOutput {
  tests: ScriptTest[];
  logs: string[];
  globals: Record<string, string>;
  globalsSet: string[];
  requestVars: Record<string, string>;
  /** httpyac: `exports.x` and top-level declarations. */
  exports: Record<string, string>;
  /** httpyac pre-request scripts: the request headers and URL after the script (null: not a httpyac script). */
  headers: [string, string][] | null;
  url: string | null;
  exit: boolean;
  /** The script changed built-ins (prototype pollution): its context is replaced before the next script. */
  tampered?: boolean;
  /** The script itself failed (threw, timed out, ran out of memory, did not compile). */
  error: { code: string; message: string; line: number } | null;
  /** Milliseconds from the call to the start of user code (context reuse makes this small), and in all. */
  startMs: number;
  totalMs: number;
}

/** Host services the prelude may call, all string → string. */
export interface SandboxHost {
  /** `env` (environment variable) or `var` (any variable); null = not defined. */
  lookup(scope: 'env' | 'var', name: string): string | null;
  /** Substitutes `{{…}}` in text (unresolved ones stay as written). */
  substitute(text: string): string;
}

let modulePromise: Promise<QuickJSWASMModule> | null = null;

/** Compiled scripts kept per context (see Sandbox.compiled). */
const MAX_COMPILED = 64;

/** Where the wasm file is: beside the bundle (dist/, the VSIX), else in node_modules (tests run from out/). */
function wasmPath(): string {
  const beside = path.join(__dirname, 'quickjs.wasm');
  if (fs.existsSync(beside)) return beside;
  // createRequire keeps the bundler from trying to resolve this at build time (dist/ has the copy above).
  return createRequire(__filename).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
}

/** Loads the QuickJS module once per process (about 40 ms); no network, the wasm is read from disk. */
export function loadQuickJS(): Promise<QuickJSWASMModule> {
  modulePromise ??= (async () => {
    const bytes = await fs.promises.readFile(wasmPath());
    const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmBinary }));
  })();
  modulePromise.catch(() => {
    modulePromise = null;
  });
  return modulePromise;
}

const DIGESTS = new Set(['sha1', 'sha256', 'sha384', 'sha512', 'md5']);
const ENCODINGS = new Set(['utf8', 'hex', 'base64', 'base64url']);
const MAX_DIGEST_INPUT = 16 * 1024 * 1024;

/** The digest host function: `{alg, parts: [[enc, text]…], key: [enc, text] | null}` → `{hex, base64, base64url}`. */
export function hostDigest(json: string): string {
  try {
    const req = JSON.parse(json) as { alg?: unknown; parts?: unknown; key?: unknown };
    const alg = String(req.alg);
    if (!DIGESTS.has(alg)) return JSON.stringify({ error: `unsupported digest ${alg}` });
    const buf = (p: unknown): Buffer => {
      if (!Array.isArray(p) || p.length !== 2 || !ENCODINGS.has(String(p[0]))) throw new Error('bad digest input');
      return Buffer.from(String(p[1]), String(p[0]) as BufferEncoding);
    };
    const parts = Array.isArray(req.parts) ? req.parts.map(buf) : [];
    if (parts.reduce((n, b) => n + b.length, 0) > MAX_DIGEST_INPUT) return JSON.stringify({ error: 'digest input larger than 16 MiB' });
    const h = req.key === null || req.key === undefined ? crypto.createHash(alg) : crypto.createHmac(alg, buf(req.key));
    for (const b of parts) h.update(b);
    const d = h.digest();
    return JSON.stringify({ hex: d.toString('hex'), base64: d.toString('base64'), base64url: d.toString('base64url') });
  } catch (e) {
    return JSON.stringify({ error: e instanceof Error ? e.message : String(e) });
  }
}

/** Names declared at the top level of an httpyac script (`const x =`, `let x`, `var x`, `x =`). */
export function topLevelNames(code: string): string[] {
  const names = new Set<string>();
  for (const line of code.split('\n')) {
    const m = /^(?:(?:const|let|var)\s+([A-Za-z_$][\w$]*)|([A-Za-z_$][\w$]*)\s*=(?!=))/.exec(line);
    const n = m?.[1] ?? m?.[2];
    if (n && n !== 'exports' && n !== 'module') names.add(n);
  }
  return [...names];
}

export class Sandbox {
  private runtime: QuickJSRuntime | null = null;
  private context: QuickJSContext | null = null;
  private runFn: QuickJSHandle | null = null;
  private takeFn: QuickJSHandle | null = null;
  private evalFn: QuickJSHandle | null = null;
  private host: SandboxHost = { lookup: () => null, substitute: (t) => t };
  private readonly timeoutMs: number;
  private readonly memoryBytes: number;
  /** Set when the context must not be reused (a timeout, out of memory); dropped once the handles are freed. */
  private poisoned = false;
  /**
   * Compiled script functions by wrapped source (oldest first): a handler that runs again (`@loop`, the same
   * handler text on many requests) is not compiled again. Freed with the context.
   */
  private readonly compiled = new Map<string, QuickJSHandle>();

  constructor(
    private readonly quickjs: QuickJSWASMModule,
    limits: SandboxLimits = {},
  ) {
    this.timeoutMs = limits.timeoutMs && limits.timeoutMs > 0 ? limits.timeoutMs : SANDBOX_DEFAULTS.timeoutMs;
    this.memoryBytes = limits.memoryBytes ?? SANDBOX_DEFAULTS.memoryBytes;
  }

  static async create(limits: SandboxLimits = {}): Promise<Sandbox> {
    return new Sandbox(await loadQuickJS(), limits);
  }

  private ensure(): QuickJSContext {
    if (this.context) return this.context;
    const rt = this.quickjs.newRuntime();
    rt.setMemoryLimit(this.memoryBytes);
    rt.setMaxStackSize(SANDBOX_DEFAULTS.stackBytes);
    const ctx = rt.newContext();
    const fnDigest = ctx.newFunction('digest', (h) => ctx.newString(hostDigest(ctx.getString(h))));
    const fnLookup = ctx.newFunction('lookup', (s, n) =>
      ctx.newString(JSON.stringify(this.host.lookup(ctx.getString(s) === 'env' ? 'env' : 'var', ctx.getString(n)))),
    );
    const fnSubst = ctx.newFunction('subst', (t) => ctx.newString(this.host.substitute(ctx.getString(t))));
    ctx.setProp(ctx.global, '__wl_host_digest', fnDigest);
    ctx.setProp(ctx.global, '__wl_host_lookup', fnLookup);
    ctx.setProp(ctx.global, '__wl_host_subst', fnSubst);
    fnDigest.dispose();
    fnLookup.dispose();
    fnSubst.dispose();
    const r = ctx.evalCode(PRELUDE, PRELUDE_FILE);
    if (r.error) {
      const err: unknown = ctx.dump(r.error);
      r.error.dispose();
      ctx.dispose();
      rt.dispose();
      throw new Error(`sandbox prelude failed: ${JSON.stringify(err)}`);
    }
    r.value.dispose();
    this.runtime = rt;
    this.context = ctx;
    this.runFn = ctx.getProp(ctx.global, '__wl_run');
    this.takeFn = ctx.getProp(ctx.global, '__wl_take');
    this.evalFn = ctx.getProp(ctx.global, '__wl_eval');
    return ctx;
  }

  /** Drops the context (after a timeout or out-of-memory: its state is not to be trusted). */
  private reset(): void {
    for (const h of this.compiled.values()) if (h.alive) h.dispose();
    this.compiled.clear();
    for (const h of [this.runFn, this.takeFn, this.evalFn]) h?.dispose();
    this.runFn = this.takeFn = this.evalFn = null;
    try {
      this.context?.dispose();
      this.runtime?.dispose();
    } catch {
      // A runtime that ran out of memory may refuse an orderly teardown; it is dropped either way.
    }
    this.context = null;
    this.runtime = null;
  }

  dispose(): void {
    this.reset();
  }

  private wrap(code: string, input: ScriptInput): string {
    if (input.dialect === 'httpyac') {
      const names = topLevelNames(code);
      const capture = names.map((n) => `${JSON.stringify(n)}: typeof ${n} === 'undefined' ? undefined : ${n}`).join(', ');
      const asyncKw = /\bawait\b/.test(code) ? 'async ' : '';
      // `with` puts the variables in scope as plain names (httpyac's script context); the code keeps its line 1.
      return `(${asyncKw}function (__wl_scope, __wl_capture) { with (__wl_scope) { ${code}\n;__wl_capture({${capture}}); } })`;
    }
    return `(function (client, request, response, $random, crypto, console) { ${code}\n})`;
  }

  private failure(code: string, message: string, line: number, started: number): ScriptOutput {
    return {
      tests: [],
      logs: [],
      globals: {},
      globalsSet: [],
      requestVars: {},
      exports: {},
      headers: null,
      url: null,
      exit: false,
      error: { code, message, line },
      startMs: 0,
      totalMs: performance.now() - started,
    };
  }

  /** Runs one script. Never throws: a failure is in `error`, with what the script had recorded before it when possible. */
  run(code: string, input: ScriptInput, host: SandboxHost): ScriptOutput {
    const started = performance.now();
    let inputJson: string;
    try {
      inputJson = JSON.stringify(input);
    } catch (e) {
      return this.failure(SCRIPT_ERRORS.ERROR, `input could not be serialised: ${String(e)}`, 0, started);
    }
    if (inputJson.length > SANDBOX_DEFAULTS.maxJsonBytes)
      return this.failure(SCRIPT_ERRORS.ERROR, 'the response is too large to hand to a script (over 32 MiB as JSON)', 0, started);
    let ctx: QuickJSContext;
    try {
      ctx = this.ensure();
    } catch (e) {
      return this.failure(SCRIPT_ERRORS.ERROR, e instanceof Error ? e.message : String(e), 0, started);
    }
    this.host = host;
    const rt = this.runtime as QuickJSRuntime;
    const deadline = Date.now() + this.timeoutMs;
    let timedOut = false;
    rt.setInterruptHandler(() => {
      if (Date.now() > deadline) timedOut = true;
      return timedOut;
    });
    const handles: QuickJSHandle[] = [];
    try {
      const compiled = this.compile(ctx, this.wrap(code, input));
      if ('error' in compiled) return this.classified(compiled.error, timedOut, started, SCRIPT_ERRORS.SYNTAX);
      const inputH = ctx.newString(inputJson);
      handles.push(inputH);
      const startMs = performance.now() - started;
      const called = ctx.callFunction(this.runFn as QuickJSHandle, ctx.undefined, inputH, compiled.fn);
      if (called.error) {
        // The prelude catches script errors; an error here is the interrupt or the memory limit.
        const e = this.describe(ctx, called.error);
        called.error.dispose();
        return this.classified(e, timedOut, started, SCRIPT_ERRORS.ERROR);
      }
      let json = ctx.getString(called.value);
      called.value.dispose();
      if (json === '') {
        // An async httpyac script: let its jobs run (within the same deadline), then take what it recorded.
        const jobs = rt.executePendingJobs(10_000);
        if (jobs.error) {
          const e = this.describe(ctx, jobs.error);
          jobs.error.dispose();
          if (timedOut || /out of memory/.test(e.message)) return this.classified(e, timedOut, started, SCRIPT_ERRORS.ERROR);
        }
        const taken = ctx.callFunction(this.takeFn as QuickJSHandle, ctx.undefined);
        if (taken.error) {
          const e = this.describe(ctx, taken.error);
          taken.error.dispose();
          return this.classified(e, timedOut, started, SCRIPT_ERRORS.ERROR);
        }
        json = ctx.getString(taken.value);
        taken.value.dispose();
      }
      const out = parseOutput(json);
      // The script changed the built-ins (prototype pollution): the next script gets a fresh context.
      if (out?.tampered) this.poisoned = true;
      if (!out) {
        // It broke what the prelude relies on (JSON, prototypes): the context is not used again.
        this.poisoned = true;
        return this.failure(SCRIPT_ERRORS.ERROR, 'the script left no readable result (it changed built-ins the sandbox relies on)', 0, started);
      }
      if (out.error && /^InternalError: (?:out of memory|stack overflow|string too long|invalid array length)/.test(out.error.message)) {
        // Caught inside the prelude, but a limit all the same.
        this.poisoned = true;
        out.error = {
          code: SCRIPT_ERRORS.MEMORY,
          message: `The script went over the sandbox's limit (${Math.round(this.memoryBytes / 1048576)} MiB of memory, 1 MiB of stack) and was stopped.`,
          line: out.error.line,
        };
      }
      return { ...out, startMs, totalMs: performance.now() - started };
    } catch (e) {
      this.poisoned = true;
      return this.failure(SCRIPT_ERRORS.ERROR, e instanceof Error ? e.message : String(e), 0, started);
    } finally {
      this.settle(handles);
    }
  }

  /** The function a wrapped script compiles to, from the cache when it was compiled before in this context. */
  private compile(ctx: QuickJSContext, source: string): { fn: QuickJSHandle } | { error: { name: string; message: string; line: number } } {
    const hit = this.compiled.get(source);
    if (hit?.alive) {
      // Most recently used last, so the oldest is the one evicted.
      this.compiled.delete(source);
      this.compiled.set(source, hit);
      return { fn: hit };
    }
    const r = ctx.evalCode(source, SCRIPT_FILE);
    if (r.error) {
      const e = this.describe(ctx, r.error);
      r.error.dispose();
      return { error: e };
    }
    this.compiled.set(source, r.value);
    if (this.compiled.size > MAX_COMPILED) {
      const [oldest, h] = this.compiled.entries().next().value as [string, QuickJSHandle];
      this.compiled.delete(oldest);
      if (h.alive) h.dispose();
    }
    return { fn: r.value };
  }

  /** Evaluates a JavaScript expression (`?? js EXPR`, `@loop for x of EXPR`) with variables as plain names. */
  evaluate(expression: string, scope: Record<string, unknown>, host: SandboxHost): { value: unknown } | { error: string; code: string } {
    const started = performance.now();
    let ctx: QuickJSContext;
    try {
      ctx = this.ensure();
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e), code: SCRIPT_ERRORS.ERROR };
    }
    this.host = host;
    const rt = this.runtime as QuickJSRuntime;
    const deadline = Date.now() + this.timeoutMs;
    let timedOut = false;
    rt.setInterruptHandler(() => {
      if (Date.now() > deadline) timedOut = true;
      return timedOut;
    });
    const handles: QuickJSHandle[] = [];
    try {
      const compiled = ctx.evalCode(`(function (__wl_scope) { with (__wl_scope) { return (${expression}\n); } })`, SCRIPT_FILE);
      if (compiled.error) {
        const e = this.describe(ctx, compiled.error);
        compiled.error.dispose();
        const c = this.classified(e, timedOut, started, SCRIPT_ERRORS.SYNTAX);
        return { error: c.error?.message ?? e.message, code: c.error?.code ?? SCRIPT_ERRORS.SYNTAX };
      }
      handles.push(compiled.value);
      const inputH = ctx.newString(JSON.stringify({ scope }));
      handles.push(inputH);
      const called = ctx.callFunction(this.evalFn as QuickJSHandle, ctx.undefined, inputH, compiled.value);
      if (called.error) {
        const e = this.describe(ctx, called.error);
        called.error.dispose();
        const c = this.classified(e, timedOut, started, SCRIPT_ERRORS.ERROR);
        return { error: c.error?.message ?? e.message, code: c.error?.code ?? SCRIPT_ERRORS.ERROR };
      }
      const json = ctx.getString(called.value);
      called.value.dispose();
      const r = JSON.parse(json) as { json?: unknown; text?: unknown; undef?: unknown; error?: unknown };
      if (r.error !== undefined) return { error: String(r.error), code: SCRIPT_ERRORS.ERROR };
      if (r.undef === true) return { value: undefined };
      if (typeof r.json === 'string') return { value: JSON.parse(r.json) as unknown };
      return { value: String(r.text) };
    } catch (e) {
      this.poisoned = true;
      return { error: e instanceof Error ? e.message : String(e), code: SCRIPT_ERRORS.ERROR };
    } finally {
      this.settle(handles);
    }
  }

  /** After each script: free its handles, then drop a poisoned context. */
  private settle(handles: QuickJSHandle[]): void {
    for (const h of handles) {
      try {
        if (h.alive) h.dispose();
      } catch {
        // already gone with its context
      }
    }
    this.runtime?.removeInterruptHandler();
    if (this.poisoned) {
      this.poisoned = false;
      this.reset();
    }
  }

  private describe(ctx: QuickJSContext, h: QuickJSHandle): { name: string; message: string; line: number } {
    let v: unknown;
    try {
      v = ctx.dump(h);
    } catch {
      v = 'unknown error';
    }
    if (v && typeof v === 'object') {
      const o = v as { name?: unknown; message?: unknown; stack?: unknown };
      const m = /script\.js:(\d+)/.exec(String(o.stack ?? ''));
      return { name: String(o.name ?? 'Error'), message: String(o.message ?? ''), line: m ? Number(m[1]) : 0 };
    }
    return { name: 'Error', message: String(v), line: 0 };
  }

  private classified(e: { name: string; message: string; line: number }, timedOut: boolean, started: number, fallback: string): ScriptOutput {
    if (timedOut) {
      this.poisoned = true;
      return this.failure(
        SCRIPT_ERRORS.TIMEOUT,
        `The script ran longer than ${this.timeoutMs} ms and was stopped (wirelens.scripts.timeoutMs, or --script-timeout).`,
        e.line,
        started,
      );
    }
    if (/out of memory/i.test(e.message) || /stack overflow/i.test(e.message)) {
      this.poisoned = true;
      return this.failure(
        SCRIPT_ERRORS.MEMORY,
        `The script went over the sandbox's limit (${/stack/i.test(e.message) ? 'stack' : `${Math.round(this.memoryBytes / 1048576)} MiB of memory`}) and was stopped.`,
        e.line,
        started,
      );
    }
    return this.failure(fallback, `${e.name}: ${e.message}`, e.line, started);
  }
}

function record(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v))
    for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : (JSON.stringify(x) ?? '');
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => String(x)) : [];
}

/** The script's JSON output, shape-checked (the script could have tampered with JSON inside the sandbox). */
function parseOutput(json: string): (Omit<ScriptOutput, 'startMs' | 'totalMs'> & { tampered: boolean }) | null {
  if (json.length > SANDBOX_DEFAULTS.maxJsonBytes) return null;
  let o: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object') return null;
    o = v as Record<string, unknown>;
  } catch {
    return null;
  }
  const tests: ScriptTest[] = Array.isArray(o.tests)
    ? o.tests
        .filter((t): t is Record<string, unknown> => !!t && typeof t === 'object')
        .map((t) => {
          const test: ScriptTest = {
            name: String(t.name ?? ''),
            passed: t.passed === true,
            message: t.message === null || t.message === undefined ? null : String(t.message),
            line: Number(t.line) || 0,
          };
          if (t.expected !== undefined) test.expected = String(t.expected);
          if (t.actual !== undefined) test.actual = String(t.actual);
          return test;
        })
    : [];
  const err = o.error && typeof o.error === 'object' ? (o.error as Record<string, unknown>) : null;
  const headers = Array.isArray(o.headers)
    ? o.headers.filter((h): h is unknown[] => Array.isArray(h) && h.length === 2).map((h) => [String(h[0]), String(h[1])] as [string, string])
    : null;
  return {
    tests,
    logs: strings(o.logs),
    globals: record(o.globals),
    globalsSet: strings(o.globalsSet),
    requestVars: record(o.requestVars),
    exports: record(o.exports),
    headers,
    url: typeof o.url === 'string' ? o.url : null,
    exit: o.exit === true,
    tampered: o.tampered === true,
    error: err
      ? { code: SCRIPT_ERRORS.ERROR, message: `${String(err.name ?? 'Error')}: ${String(err.message ?? '')}`, line: Number(err.line) || 0 }
      : null,
  };
}
