// `wirelens send FILE`: the engine in a terminal. Selects requests (--line, --name, --all), resolves them with
// the language layer (environment, earlier named responses), sends them through the pipeline and prints either
// curl -v + httpstat style text or the Exchange JSON. Exit: 0 all completed, 1 one failed, 2 usage/file errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments, loadImports, parseHttp, projectRoot, type HttpDocument, type RequestBlock, type ResolveContext } from '../language';
import { formatTestLine, reportTest } from '../view/testReport';
import { RunState, requestName, runRequests } from '../run';
import type { Exchange } from '../shared/exchange';
import { ConnectionPool, type SendOptions } from '../wire';
import { parseSendArgs, SEND_USAGE, UsageError, type SendArgs } from './args';
import { maskExchange, maskSecrets } from '../view/mask';
import { formatExchange, formatProgress, visible } from './format';
import { writeJson } from './jsonOut';
import { exchangeToHttpFile } from '../view/httpFile';
import type { CliIo } from './io';

function selectBlocks(doc: HttpDocument, a: SendArgs): RequestBlock[] | string {
  if (doc.requests.length === 0) return 'no request in the file';
  // Like Send All in the editor: document order, except that a named request another one reads goes first.
  if (a.all) return doc.requests;
  if (a.line !== null) {
    const line = a.line - 1;
    const block = doc.requests.find((b) => line >= b.startLine && line <= b.endLine);
    return block ? [block] : `no request at line ${a.line}`;
  }
  if (a.name !== null) {
    const block = doc.requests.find((b) => requestName(b) === a.name);
    return block ? [block] : `no request named '${a.name}' (names: ${doc.requests.map(requestName).filter(Boolean).join(', ') || 'none'})`;
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
function progressReporter(io: CliIo): { onProgress: SendOptions['onProgress']; clear(): void; shows: boolean } {
  let shown = false;
  let last = 0;
  const tty = io.stderr.isTTY === true;
  return {
    shows: tty,
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
  if (a.help) {
    io.stdout.write(SEND_USAGE);
    return 0;
  }

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
  if (typeof blocks === 'string') {
    io.stderr.write(`wirelens send: ${a.file}: ${blocks}\n`);
    return 2;
  }

  // Environments are read once for every request; a name that none of them defines is a usage error, not a
  // silent send with unresolved variables.
  // Env files are looked for from the file's folder up to its project (the nearest folder with .git,
  // package.json or an env file), never beyond: the CLI's stand-in for the editor's workspace folder.
  const root = projectRoot(path.dirname(filePath));
  const environments = loadEnvironments({ dir: path.dirname(filePath), stopAt: root });
  if (a.verbose) {
    io.stderr.write(`wirelens send: env files looked for from ${path.dirname(filePath)} up to ${root}\n`);
    io.stderr.write(
      environments.files.length > 0 ? environments.files.map((f) => `wirelens send: read ${f}\n`).join('') : 'wirelens send: no env file read\n',
    );
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
  for (const p of imports.problems) {
    io.stderr.write(`${a.file}:${p.line + 1}: ${p.message}\n`);
  }
  if (imports.problems.some((p) => p.severity === 'error')) return 2;
  const context: ResolveContext = { filePath, workspaceRoot: root, environment: a.env, environments, imports: imports.docs.map((d) => d.doc) };
  const results: Exchange[] = [];
  // Looked up for every result (--all selects the whole file: a list would be searched a thousand times over).
  const chosen = new Set(blocks);
  const width = (io.stdout as { columns?: number }).columns ?? 80;
  const formatOptions = { color, bodyOut: a.bodyOut, width, frames: a.frames };
  /** Save Exchange text of each exchange (--save), secrets masked as the editor's command does. */
  const saved: string[] = [];
  // One pool for the run: requests to the same origin share a connection when the responses allow it.
  const pool = new ConnectionPool({ idleMs: a.noKeepAlive ? 0 : 60_000 });
  let selected: Exchange | undefined;
  // One state for the whole run, like a browser session: a login's cookie (and a script's globals) go with
  // the requests after it.
  const state = new RunState({ cookies: !a.noCookies });
  let exit = 0;
  try {
    await runRequests({
      doc,
      // --all runs the whole file; --line / --name one request (and a named request it reads, first).
      selection: a.all ? undefined : blocks,
      context,
      state,
      imports: imports.docs,
      engine: {
        timeoutMs: a.timeoutMs ?? undefined,
        maxTimeMs: a.maxTimeMs || undefined,
        maxBodyBytes: a.maxBodyBytes ?? undefined,
        insecure: a.insecure || undefined,
        followRedirects: a.noFollow ? false : undefined,
        bodySink: sink,
        pool,
        proxy: { url: a.proxy ?? undefined, noProxy: a.noProxy !== null ? [a.noProxy] : undefined, env: process.env, source: '--proxy' },
        // Progress is only ever shown on a terminal: elsewhere the engine need not report it (six events a request).
        onProgress: progress.shows ? progress.onProgress : undefined,
        http2: a.http2 ?? undefined,
      },
      scripts: { enabled: !a.noScripts, reason: '--no-scripts' },
      signal: ac.signal,
      onResult: (r) => {
        progress.clear();
        const block = r.block;
        const file = r.file ? path.relative(process.cwd(), r.file) : a.file;
        if (r.skipped) {
          io.stderr.write(`${file}:${block.requestLine + 1}: not sent (${r.skipped})\n`);
          return;
        }
        if (!r.exchange || !r.request) {
          for (const e of r.errors) io.stderr.write(`${file}:${e.line + 1}: ${e.message}\n`);
          exit = 2;
          return;
        }
        const ex = r.exchange;
        if (r.responseFileError) {
          io.stderr.write(`${file}:${r.responseFileError.line + 1}: ${r.responseFileError.message}\n`);
          if (exit === 0) exit = 1;
        }
        const secrets = r.request.secrets;
        // Secrets are masked in everything printed, text and --json, raw bytes included, unless asked for.
        const shown = a.showSecrets ? ex : maskExchange(ex, secrets);
        const mask = a.showSecrets || !secrets || secrets.length === 0 ? (t: string): string => t : (t: string): string => maskSecrets(t, secrets);
        // Only --json prints the records at the end; text mode lets each go once printed.
        if (a.json) results.push(shown);
        if (a.save) saved.push(exchangeToHttpFile(ex, { secrets }));
        const isChosen = chosen.has(block);
        if (isChosen) selected = shown;
        if (ex.error && exit === 0) exit = 1;
        if (r.tests.some((t) => !t.passed) && exit === 0) exit = 1;
        if (!a.json) {
          const many = a.all || blocks.length > 1 || !isChosen;
          // One write per request: the same bytes as a write per part, one call into the stream (a syscall on a
          // file or pipe) instead of four or more.
          let text = many
            ? `${color ? '\x1b[1m' : ''}### ${r.name ?? block.title ?? `${r.request.method} ${mask(r.request.url)}`} (line ${block.requestLine + 1})${color ? '\x1b[0m' : ''}\n`
            : '';
          text += formatExchange(shown, formatOptions);
          for (const t of r.tests) if (t.code !== 'exit') text += `${mask(formatTestLine(reportTest(t), color))}\n`;
          for (const l of r.logs) text += `${color ? '\x1b[2m' : ''}log: ${visible(mask(l))}${color ? '\x1b[0m' : ''}\n`;
          if (r.scriptsNotRun) text += `scripts not run: ${r.scriptsNotRun}\n`;
          if (many) text += '\n';
          io.stdout.write(text);
        }
      },
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    pool.close();
    if (sink) fs.closeSync(sink.fd);
    await state.dispose();
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
      await writeJson(a.all ? results : (selected ?? null), io.stdout);
    } catch (e) {
      io.stderr.write(
        `wirelens send: the record could not be printed as JSON (${e instanceof Error ? e.message : String(e)}); lower --max-body or write the body with --body-out FILE\n`,
      );
      return 1;
    }
    io.stdout.write('\n');
  }
  return exit;
}
