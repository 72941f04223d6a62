// `wirelens send FILE`: the engine in a terminal. Selects requests (--line, --name, --all), resolves them with
// the language layer (environment, earlier named responses), sends them through the pipeline and prints either
// curl -v + httpstat style text or the Exchange JSON. Exit: 0 all completed, 1 one failed, 2 usage/file errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { handleResponseFiles, loadEnvironments, loadImports, parseHttp, projectRoot, referencePlan, resolveRequest, sendOrder, type HttpDocument, type RequestBlock, type ResolveContext } from '../language';
import { execute } from '../pipeline';
import type { Exchange } from '../shared/exchange';
import { ConnectionPool, CookieJar, type SendOptions } from '../wire';
import { parseSendArgs, SEND_USAGE, UsageError, type SendArgs } from './args';
import { maskExchange } from '../view/mask';
import { formatExchange, formatProgress } from './format';
import { writeJson } from './jsonOut';
import { exchangeToHttpFile } from '../view/httpFile';
import type { CliIo } from './io';

function selectBlocks(doc: HttpDocument, a: SendArgs): RequestBlock[] | string {
  if (doc.requests.length === 0) return 'no request in the file';
  // Like Send All in the editor: document order, except that a named request another one reads goes first.
  if (a.all) return sendOrder(doc);
  if (a.line !== null) {
    const line = a.line - 1;
    const block = doc.requests.find((b) => line >= b.startLine && line <= b.endLine);
    return block ? [block] : `no request at line ${a.line}`;
  }
  if (a.name !== null) {
    const block = doc.requests.find((b) => b.name === a.name);
    return block ? [block] : `no request named '${a.name}' (names: ${doc.requests.map((b) => b.name).filter(Boolean).join(', ') || 'none'})`;
  }
  return [doc.requests[0]];
}

function useColor(a: SendArgs, io: CliIo): boolean {
  if (a.color !== null) return a.color;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

/** Progress on stderr, only on a terminal and only once a transfer has run for a moment. */
function progressReporter(io: CliIo): { onProgress: SendOptions['onProgress']; clear(): void } {
  let shown = false;
  let last = 0;
  const tty = io.stderr.isTTY === true;
  return {
    onProgress: (p) => {
      if (!tty || p.phase !== 'downloading' || p.elapsedMs < 500) return;
      if (p.elapsedMs - last < 200) return;
      last = p.elapsedMs;
      shown = true;
      io.stderr.write(`\r\x1b[2K${formatProgress(p.bytes, p.total, p.elapsedMs)}`);
    },
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[2K');
      shown = false;
      last = 0;
    },
  };
}

/** A file descriptor: the engine writes to it synchronously, straight from its read buffer. */
function openSink(file: string): { fd: number } {
  return { fd: fs.openSync(file, 'w') };
}

export async function runSend(args: string[], io: CliIo): Promise<number> {
  let a: SendArgs;
  try {
    a = parseSendArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`wirelens send: ${e.message}\n\n${SEND_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (a.help) { io.stdout.write(SEND_USAGE); return 0; }

  const filePath = path.resolve(a.file);
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (e) {
    io.stderr.write(`wirelens send: cannot read ${a.file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
  const doc = parseHttp(text);
  const blocks = selectBlocks(doc, a);
  if (typeof blocks === 'string') { io.stderr.write(`wirelens send: ${a.file}: ${blocks}\n`); return 2; }

  // Environments are read once for every request; a name that none of them defines is a usage error, not a
  // silent send with unresolved variables.
  // Env files are looked for from the file's folder up to its project (the nearest folder with .git,
  // package.json or an env file), never beyond: the CLI's stand-in for the editor's workspace folder.
  const root = projectRoot(path.dirname(filePath));
  const environments = loadEnvironments({ dir: path.dirname(filePath), stopAt: root });
  if (a.verbose) {
    io.stderr.write(`wirelens send: env files looked for from ${path.dirname(filePath)} up to ${root}\n`);
    io.stderr.write(environments.files.length > 0 ? environments.files.map((f) => `wirelens send: read ${f}\n`).join('') : 'wirelens send: no env file read\n');
  }
  for (const p of environments.problems) io.stderr.write(`wirelens send: ${p.file}: ${p.message}\n`);
  if (a.env !== null && !environments.names.includes(a.env)) {
    io.stderr.write(`wirelens send: unknown environment '${a.env}' (environments: ${environments.names.join(', ') || 'none'})\n`);
    return 2;
  }

  let sink: { fd: number } | undefined;
  if (a.bodyOut) {
    try {
      sink = openSink(a.bodyOut);
    } catch (e) {
      io.stderr.write(`wirelens send: cannot write ${a.bodyOut}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
  }

  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  const progress = progressReporter(io);
  const color = useColor(a, io);
  // httpyac @import: other files' variables and named requests (for @ref).
  const imports = loadImports({ doc, filePath });
  for (const p of imports.problems) { io.stderr.write(`${a.file}:${p.line + 1}: ${p.message}\n`); }
  if (imports.problems.some((p) => p.severity === 'error')) return 2;
  const ctx: ResolveContext = { filePath, workspaceRoot: root, environment: a.env, environments, responses: new Map<string, Exchange>(), imports: imports.docs.map((d) => d.doc) };
  const results: Exchange[] = [];
  /** Save Exchange text of each exchange (--save), secrets masked as the editor's command does. */
  const saved: string[] = [];
  // One jar for the whole run, like a browser session: a login's cookie goes with the requests after it.
  const cookieJar = a.noCookies ? undefined : new CookieJar();
  // One pool for the run: requests to the same origin share a connection when the responses allow it.
  // The run model (src/run/) takes this over once it lands.
  const pool = new ConnectionPool({ idleMs: a.noKeepAlive ? 0 : 60_000 });
  let exit = 0;
  try {
    for (const wanted of blocks) {
      if (ac.signal.aborted) break;
      // `# @ref name` / `# @forceRef name` (httpyac): the named requests go first.
      const refs = referencePlan({ doc, filePath, block: wanted }, imports.docs, (n) => ctx.responses?.has(n) === true);
      if (refs.problems.length) {
        for (const e of refs.problems) io.stderr.write(`${a.file}:${e.line + 1}: ${e.message}\n`);
        exit = 2;
        continue;
      }
      for (const step of [...refs.plan, { doc, filePath, block: wanted }]) {
      if (ac.signal.aborted) break;
      const block = step.block;
      const stepFile = step.filePath === filePath ? a.file : path.relative(process.cwd(), step.filePath ?? a.file);
      const { request, errors } = await resolveRequest(step.doc, block, { ...ctx, filePath: step.filePath });
      const fatal = errors.filter((e) => e.severity === 'error');
      if (!request || fatal.length > 0) {
        for (const e of fatal.length > 0 ? fatal : errors) io.stderr.write(`${stepFile}:${e.line + 1}: ${e.message}\n`);
        exit = 2;
        // A reference that cannot be sent holds back the request that needs it.
        if (block !== wanted) break;
        continue;
      }
      const opts: SendOptions = {
        signal: ac.signal,
        timeoutMs: a.timeoutMs ?? undefined,
        maxTimeMs: a.maxTimeMs || undefined,
        maxBodyBytes: a.maxBodyBytes ?? undefined,
        insecure: a.insecure || undefined,
        followRedirects: a.noFollow ? false : undefined,
        bodySink: sink,
        cookieJar,
        pool,
        proxy: { url: a.proxy ?? undefined, noProxy: a.noProxy !== null ? [a.noProxy] : undefined, env: process.env, source: '--proxy' },
        onProgress: progress.onProgress,
      };
      const ex = await execute(request, opts);
      progress.clear();
      // `>> file` / `>>! file` write the body; `<> file` compares with a saved response (a note).
      const after = handleResponseFiles(block, ex, path.dirname(step.filePath ?? filePath));
      if (after.error) {
        io.stderr.write(`${stepFile}:${after.error.line + 1}: ${after.error.message}\n`);
        if (exit === 0) exit = 1;
      }
      if (request.name) ctx.responses?.set(request.name, ex);
      else if (block.name) ctx.responses?.set(block.name, ex);
      // Secrets are masked in everything printed, text and --json, raw bytes included, unless asked for.
      const shown = a.showSecrets ? ex : maskExchange(ex, request.secrets);
      results.push(shown);
      if (a.save) saved.push(exchangeToHttpFile(ex, { secrets: request.secrets }));
      if (ex.error && exit === 0) exit = 1;
      if (!a.json) {
        if (blocks.length > 1 || block !== wanted) io.stdout.write(`${color ? '\x1b[1m' : ''}### ${block.name ?? block.title ?? `${request.method} ${request.url}`} (line ${block.requestLine + 1})${color ? '\x1b[0m' : ''}\n`);
        io.stdout.write(formatExchange(shown, { color, bodyOut: a.bodyOut, width: (io.stdout as { columns?: number }).columns ?? 80 }));
        if (blocks.length > 1) io.stdout.write('\n');
      }
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    pool.close();
    if (sink) fs.closeSync(sink.fd);
  }
  if (a.save) {
    try {
      fs.writeFileSync(a.save, saved.join('\n###\n\n'));
    } catch (e) {
      io.stderr.write(`wirelens send: cannot write ${a.save}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      if (exit === 0) exit = 2;
    }
  }
  if (a.json) {
    try {
      // Streamed: the bodies go out in slices, never as one string (the record would not fit one past ~380 MB).
      await writeJson(a.all ? results : results[0] ?? null, io.stdout);
    } catch (e) {
      io.stderr.write(`wirelens send: the record could not be printed as JSON (${e instanceof Error ? e.message : String(e)}); lower --max-body or write the body with --body-out FILE\n`);
      return 1;
    }
    io.stdout.write('\n');
  }
  return exit;
}
