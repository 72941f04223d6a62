// `wirelens test [FILE|DIR]...`: every request of every .http/.rest file as a test suite, through the run
// model (scripts, asserts, dependencies), reported as pretty text, JSON or JUnit XML.
// Exit: 0 everything passed and completed, 1 something failed, 2 usage or file errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments, parseHttp } from '../language';
import type { NoteLevel } from '../shared/exchange';
import { RunState, requestName, runRequests } from '../run';
import { ConnectionPool } from '../wire/pool';
import { formatJunit, formatPretty, reportRequest, summarize, type ReportFile, type TestReport } from '../view/testReport';
import { UsageError, walkArgv, wholeNumber, type Flag } from './argv';
import type { CliIo } from './io';

export interface TestArgs {
  paths: string[];
  env: string | null;
  grep: RegExp | null;
  bail: boolean;
  vars: Record<string, string>;
  noScripts: boolean;
  timeoutMs: number | null;
  scriptTimeoutMs: number | null;
  failOn: NoteLevel | null;
  reporter: 'pretty' | 'json' | 'junit';
  out: string | null;
  insecure: boolean;
  noKeepAlive: boolean;
  showSecrets: boolean;
  color: boolean | null;
  help: boolean;
}

export const TEST_USAGE = `Usage: wirelens test [FILE|DIR]... [options]

Runs every request of the .http / .rest files given (directories searched recursively, node_modules
skipped) as a test suite: in file order, a named request that another reads sent first; pre-request
scripts, response handlers (client.test) and ?? asserts run in a sandbox.

Options:
  --env NAME           environment from http-client.env.json / .env files next to each file
  --grep PATTERN       run only the requests whose name or title matches (a regular expression);
                       the requests they read are still sent first
  --bail               stop at the first failed request
  --var NAME=VALUE     set a variable (repeatable); also answers # @prompt
  --no-scripts         do not run scripts (asserts other than ?? js still run)
  --timeout MS         request timeout (connect and each wait; default 30000)
  --script-timeout MS  time limit of each script (default 2000)
  --fail-on LEVEL      fail a request whose annotations have a note of LEVEL or worse (bad | warning)
  --reporter NAME      pretty (default), json or junit
  --out FILE           write the report to FILE instead of standard output
  -k, --insecure       do not verify TLS certificates
  --no-keepalive       a new connection for every request (by default the requests of the run, across
                       files, reuse a connection to the same origin when the server allows it)
  --show-secrets       do not mask secrets (private env values, URL user info) in the report
  --color, --no-color  force colours on or off (pretty reporter)
  -h, --help           this help

Exit status: 0 when every test passed and every exchange completed, 1 when any failed, 2 for usage
or file errors.
`;

const positiveInt = (flag: string, v: string): number => wholeNumber(flag, v, { allowZero: true, what: 'whole number of milliseconds' });

export function parseTestArgs(argv: string[]): TestArgs {
  const a: TestArgs = {
    paths: [],
    env: null,
    grep: null,
    bail: false,
    vars: {},
    noScripts: false,
    timeoutMs: null,
    scriptTimeoutMs: null,
    failOn: null,
    reporter: 'pretty',
    out: null,
    insecure: false,
    noKeepAlive: false,
    showSecrets: false,
    color: null,
    help: false,
  };
  const onFlag = ({ name: flag, value }: Flag): boolean => {
    switch (flag) {
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '--env':
        a.env = value();
        break;
      case '--grep': {
        const p = value();
        try {
          a.grep = new RegExp(p, 'i');
        } catch (e) {
          throw new UsageError(`--grep: not a regular expression: ${e instanceof Error ? e.message : String(e)}`);
        }
        break;
      }
      case '--bail':
        a.bail = true;
        break;
      case '--var': {
        const v = value();
        const at = v.indexOf('=');
        if (at <= 0) throw new UsageError(`--var needs NAME=VALUE, got '${v}'`);
        a.vars[v.slice(0, at)] = v.slice(at + 1);
        break;
      }
      case '--no-scripts':
        a.noScripts = true;
        break;
      case '--timeout':
        a.timeoutMs = positiveInt(flag, value());
        break;
      case '--script-timeout':
        a.scriptTimeoutMs = positiveInt(flag, value());
        break;
      case '--fail-on': {
        const v = value();
        if (v !== 'bad' && v !== 'warning') throw new UsageError(`--fail-on needs bad or warning, got '${v}'`);
        a.failOn = v;
        break;
      }
      case '--reporter': {
        const v = value();
        if (v !== 'pretty' && v !== 'json' && v !== 'junit') throw new UsageError(`--reporter needs pretty, json or junit, got '${v}'`);
        a.reporter = v;
        break;
      }
      case '--out':
        a.out = value();
        break;
      case '-k':
      case '--insecure':
        a.insecure = true;
        break;
      case '--no-keepalive':
        a.noKeepAlive = true;
        break;
      case '--show-secrets':
        a.showSecrets = true;
        break;
      case '--color':
        a.color = true;
        break;
      case '--no-color':
        a.color = false;
        break;
      default:
        return false;
    }
    return true;
  };
  walkArgv(argv, onFlag, (operand) => a.paths.push(operand));
  if (!a.help && a.paths.length === 0) throw new UsageError('missing FILE or DIR');
  return a;
}

const MAX_FILES = 10_000;

/** .http / .rest files under the paths given, each once, directories in name order; node_modules skipped. */
export function findHttpFiles(paths: string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const seen = new Set<string>();
  const problems: string[] = [];
  const add = (f: string): void => {
    const abs = path.resolve(f);
    if (!seen.has(abs) && files.length < MAX_FILES) {
      seen.add(abs);
      files.push(abs);
    }
  };
  const walk = (dir: string, depth: number): void => {
    if (depth > 32) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push(`cannot read ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      return;
    }
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full, depth + 1);
      else if (e.isFile() && /\.(?:http|rest)$/i.test(e.name)) add(full);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      problems.push(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      continue;
    }
    if (st.isDirectory()) walk(p, 0);
    else add(p);
  }
  return { files, problems };
}

function useColor(a: TestArgs, io: CliIo): boolean {
  if (a.color !== null) return a.color;
  if (a.out) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return io.stdout.isTTY === true;
}

export async function runTest(argv: string[], io: CliIo): Promise<number> {
  let a: TestArgs;
  try {
    a = parseTestArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`wirelens test: ${e.message}\n\n${TEST_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (a.help) {
    io.stdout.write(TEST_USAGE);
    return 0;
  }
  const { files, problems } = findHttpFiles(a.paths);
  for (const p of problems) io.stderr.write(`wirelens test: ${p}\n`);
  if (problems.length > 0) return 2;
  if (files.length === 0) {
    io.stderr.write(`wirelens test: no .http or .rest file in ${a.paths.join(', ')}\n`);
    return 2;
  }

  const started = performance.now();
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.once('SIGINT', onSigint);
  // One state for the run: script globals and cookies carry from file to file; named responses are per file.
  const state = new RunState();
  // One pool for the whole run, every file included: a connection the server keeps open serves the next
  // request to the same origin. Idle sockets never hold the process; the pool is closed before the report.
  const pool = new ConnectionPool({ idleMs: a.noKeepAlive ? 0 : 60_000 });
  const vars = new Map(Object.entries(a.vars));
  const reported: ReportFile[] = [];
  let usage = false;
  let stop = false;
  try {
    for (const file of files) {
      const rel = path.relative(process.cwd(), file) || path.basename(file);
      const label = rel.split(path.sep).join('/');
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        io.stderr.write(`wirelens test: cannot read ${label}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
        usage = true;
        continue;
      }
      const doc = parseHttp(text);
      const environments = loadEnvironments({ dir: path.dirname(file) });
      for (const p of environments.problems) io.stderr.write(`wirelens test: ${p.file}: ${p.message}\n`);
      if (a.env !== null && !environments.names.includes(a.env)) {
        io.stderr.write(`wirelens test: ${label}: unknown environment '${a.env}' (environments: ${environments.names.join(', ') || 'none'})\n`);
        usage = true;
        continue;
      }
      state.responses.clear();
      const matches = a.grep;
      const selection = matches ? doc.requests.filter((b) => matches.test(requestName(b) ?? '') || matches.test(b.title ?? '')) : undefined;
      const entry: ReportFile = { file: label, requests: [] };
      reported.push(entry);
      if (stop) continue;
      const outcome = await runRequests({
        doc,
        selection,
        context: { filePath: file, environment: a.env, environments, promptValues: a.vars },
        state,
        variables: vars,
        engine: { timeoutMs: a.timeoutMs ?? undefined, insecure: a.insecure || undefined, pool },
        // The notes only matter to --fail-on; the reporters never show them.
        annotate: a.failOn !== null,
        scripts: { enabled: !a.noScripts, reason: '--no-scripts', timeoutMs: a.scriptTimeoutMs ?? undefined },
        signal: ac.signal,
        bail: a.bail,
      });
      const ran = new Set(outcome.results.map((r) => r.block));
      // Every request is listed: those --grep left out as skipped, in document order with the rest.
      const byBlock = new Map<unknown, typeof outcome.results>();
      for (const r of outcome.results) byBlock.set(r.block, [...(byBlock.get(r.block) ?? []), r]);
      for (const b of doc.requests) {
        const rs = byBlock.get(b);
        if (rs) for (const r of rs) entry.requests.push(reportRequest(r, a.failOn, { showSecrets: a.showSecrets }));
        else if (!ran.has(b)) {
          entry.requests.push({
            name: requestName(b),
            title: b.title,
            line: b.requestLine + 1,
            method: b.method,
            url: b.target,
            status: null,
            durationMs: 0,
            skipped: true,
            reason: '--grep',
            error: null,
            tests: [],
          });
        }
      }
      if (a.bail && entry.requests.some((r) => !r.skipped && (r.error !== null || r.tests.some((t) => !t.passed)))) stop = true;
      if (outcome.exited || ac.signal.aborted) stop = true;
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    pool.close();
    await state.dispose();
  }

  const report: TestReport = { summary: summarize(reported, performance.now() - started), files: reported };
  const text =
    a.reporter === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : a.reporter === 'junit'
        ? formatJunit(report)
        : formatPretty(report, useColor(a, io));
  if (a.out) {
    try {
      fs.writeFileSync(a.out, text);
    } catch (e) {
      io.stderr.write(`wirelens test: cannot write ${a.out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 2;
    }
    if (a.reporter !== 'pretty') io.stdout.write(formatPretty(report, useColor(a, io)));
  } else io.stdout.write(text);
  if (usage) return 2;
  const s = report.summary;
  return s.failed > 0 || s.errors > 0 ? 1 : 0;
}
