// The test report of a run, as data (the JSON reporter's shape) and as text (pretty, JUnit XML). One
// presentation for the CLI and the panel's Tests section, so they never disagree on a verdict.
import type { Exchange, ExchangeTest, NoteLevel } from '../shared/exchange';
import type { TestItemView, TestsView } from '../shared/protocol';
import { maskSecrets } from './mask';
import { chainTotalMs } from '../shared/timing';
import type { RequestResult } from '../run/state';

/** A test as the reporters show it: the panel's test item without the panel's kind. */
export type ReportTest = Omit<TestItemView, 'kind'>;

export interface ReportRequest {
  name: string | null;
  title: string | null;
  line: number;
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  skipped: boolean;
  /** Why it was skipped, or why its scripts did not run (not in the documented JSON shape: extra). */
  reason?: string;
  error: { code: string; message: string } | null;
  tests: ReportTest[];
}

export interface ReportFile {
  file: string;
  requests: ReportRequest[];
}

export interface ReportSummary {
  files: number;
  requests: number;
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  durationMs: number;
}

export interface TestReport {
  summary: ReportSummary;
  files: ReportFile[];
}

export const NOTE_RANK: Record<NoteLevel, number> = { good: 0, info: 1, warning: 2, bad: 3 };

export function reportTest(t: ExchangeTest): ReportTest {
  const out: ReportTest = { name: t.name, passed: t.passed, message: t.message, line: t.line + 1 };
  if (t.file !== undefined) out.file = t.file;
  if (t.expected !== undefined) out.expected = t.expected;
  if (t.actual !== undefined) out.actual = t.actual;
  return out;
}

/** Did the request pass: sent (or deliberately skipped), completed, every test passed. */
export function requestPassed(r: ReportRequest): boolean {
  return r.skipped || (r.error === null && r.tests.every((t) => t.passed));
}

export function summarize(files: ReportFile[], durationMs: number): ReportSummary {
  const s: ReportSummary = {
    files: files.length,
    requests: 0,
    tests: 0,
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    durationMs: Math.round(durationMs),
  };
  for (const f of files) {
    for (const r of f.requests) {
      s.requests++;
      if (r.skipped) s.skipped++;
      if (r.error) s.errors++;
      for (const t of r.tests) {
        s.tests++;
        if (t.passed) s.passed++;
        else s.failed++;
      }
    }
  }
  return s;
}

export function exchangeDuration(ex: Exchange | null): number {
  return ex ? Math.round(chainTotalMs(ex) ?? 0) : 0;
}

type Paint = (s: string) => string;

function paints(color: boolean): { green: Paint; red: Paint; dim: Paint; bold: Paint; yellow: Paint } {
  const c = (code: string): Paint => (color ? (s) => `\x1b[${code}m${s}\x1b[0m` : (s) => s);
  return { green: c('32'), red: c('31'), dim: c('2'), bold: c('1'), yellow: c('33') };
}

/** Control characters from servers and scripts are shown, never sent to the terminal. */
function safe(s: string): string {
  return s
    .replace(/[\x00-\x08\x0b-\x1f\x7f\x9b]/g, (ch) => (ch === '\x1b' ? '\\e' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .replace(/\n/g, ' ⏎ ');
}

export function formatTestLine(t: ReportTest, color: boolean): string {
  const p = paints(color);
  const where = `${t.file ? `${t.file}:` : 'line '}${t.line}`;
  if (t.passed) return `${p.green('✓')} ${safe(t.name)}`;
  // The message says it all when there is one; expected/actual stand in for a silent failure.
  const detail = t.message
    ? [safe(t.message)]
    : t.expected !== undefined || t.actual !== undefined
      ? [`expected ${safe(t.expected ?? '?')}, actual ${safe(t.actual ?? '?')}`]
      : [];
  return `${p.red('✗')} ${safe(t.name)}${detail.length ? ` — ${detail.join('; ')}` : ''} ${p.dim(`(${where})`)}`;
}

export function formatRequestLine(r: ReportRequest, color: boolean): string {
  const p = paints(color);
  const label = safe(r.name ?? r.title ?? `${r.method} ${r.url}`);
  if (r.skipped) return `${p.yellow('-')} ${label} ${p.dim(`(skipped: ${safe(r.reason ?? 'not run')})`)}`;
  const mark = requestPassed(r) ? p.green('✓') : p.red('✗');
  const what = r.error ? p.red(`${r.error.code}: ${safe(r.error.message)}`) : `${r.status ?? ''}`;
  const url = label.replace(/ \[\d+\]$/, '') !== safe(`${r.method} ${r.url}`) ? ` ${p.dim(safe(`${r.method} ${r.url}`))}` : '';
  return `${mark} ${p.bold(label)}${url} → ${what} ${p.dim(`(${r.durationMs} ms)`)}${r.reason ? ` ${p.yellow(`[${safe(r.reason)}]`)}` : ''}`;
}

export function formatPretty(report: TestReport, color: boolean): string {
  const p = paints(color);
  const out: string[] = [];
  for (const f of report.files) {
    out.push(p.bold(f.file));
    for (const r of f.requests) {
      out.push(`  ${formatRequestLine(r, color)}`);
      for (const t of r.tests) out.push(`      ${formatTestLine(t, color)}`);
    }
    out.push('');
  }
  const s = report.summary;
  const ok = s.failed === 0 && s.errors === 0;
  out.push(
    (ok ? p.green : p.red)(
      `${s.requests} request${s.requests === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'}, ${s.tests} test${s.tests === 1 ? '' : 's'}: ` +
        `${s.passed} passed, ${s.failed} failed, ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.skipped} skipped (${s.durationMs} ms)`,
    ),
  );
  return `${out.join('\n')}\n`;
}

function xml(s: string): string {
  // XML 1.0 has no way to write most control characters; they are dropped.
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function formatJunit(report: TestReport): string {
  const s = report.summary;
  const secs = (ms: number): string => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites name="wirelens" tests="${s.tests + report.files.reduce((n, f) => n + f.requests.filter((r) => r.tests.length === 0).length, 0)}" failures="${s.failed}" errors="${s.errors}" skipped="${s.skipped}" time="${secs(s.durationMs)}">`,
  );
  for (const f of report.files) {
    const cases: string[] = [];
    let failures = 0;
    let errors = 0;
    let skipped = 0;
    let time = 0;
    for (const r of f.requests) {
      const label = r.name ?? r.title ?? `${r.method} ${r.url}`;
      time += r.durationMs;
      const attrs = (name: string, ms: number): string => `classname="${xml(f.file)}" name="${xml(name)}" time="${secs(ms)}"`;
      if (r.skipped) {
        skipped++;
        cases.push(`    <testcase ${attrs(label, 0)}><skipped message="${xml(r.reason ?? 'not run')}"/></testcase>`);
        continue;
      }
      if (r.tests.length === 0) {
        if (r.error) {
          errors++;
          cases.push(
            `    <testcase ${attrs(label, r.durationMs)}><error type="${xml(r.error.code)}" message="${xml(r.error.message)}">${xml(`${r.method} ${r.url} (line ${r.line})`)}</error></testcase>`,
          );
        } else cases.push(`    <testcase ${attrs(label, r.durationMs)}/>`);
        continue;
      }
      const each = r.durationMs / r.tests.length;
      if (r.error) errors++;
      for (const t of r.tests) {
        const name = `${label} › ${t.name}`;
        if (t.passed) cases.push(`    <testcase ${attrs(name, each)}/>`);
        else {
          failures++;
          const body = [
            t.message ?? '',
            t.expected !== undefined ? `expected: ${t.expected}` : '',
            t.actual !== undefined ? `actual: ${t.actual}` : '',
            `at ${t.file ?? f.file}:${t.line}`,
          ]
            .filter(Boolean)
            .join('\n');
          cases.push(`    <testcase ${attrs(name, each)}><failure message="${xml(t.message ?? 'failed')}">${xml(body)}</failure></testcase>`);
        }
      }
    }
    lines.push(
      `  <testsuite name="${xml(f.file)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${secs(time)}">`,
    );
    lines.push(...cases);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

/**
 * One request's result from the run model, as the report shows it. Secrets (private env values, URL user info and
 * what is derived from them) are masked in everything it carries, as in every other view of an exchange, unless
 * `showSecrets` asks otherwise.
 */
export function reportRequest(r: RequestResult, failOn: NoteLevel | null = null, opts: { showSecrets?: boolean } = {}): ReportRequest {
  const ex = r.exchange;
  const secrets = opts.showSecrets ? undefined : r.request?.secrets;
  const m = (s: string): string => maskSecrets(s, secrets);
  let error: ReportRequest['error'] = null;
  if (r.errors.length > 0) error = { code: 'WL_RESOLVE', message: r.errors.map((e) => `line ${e.line + 1}: ${e.message}`).join('; ') };
  else if (ex?.error) error = { code: ex.error.code, message: m(ex.error.message) };
  else if (ex && failOn) {
    const bad = [...ex.redirects, ex].flatMap((h) => h.notes).filter((n) => NOTE_RANK[n.level] >= NOTE_RANK[failOn]);
    if (bad.length > 0)
      error = {
        code: 'WL_FAIL_ON',
        message: m(
          `${bad.length} note${bad.length === 1 ? '' : 's'} at ${failOn} or worse: ${bad
            .slice(0, 5)
            .map((n) => `[${n.level}] ${n.summary}`)
            .join('; ')}`,
        ),
      };
  }
  const out: ReportRequest = {
    name: r.name,
    title: r.block.title,
    line: r.block.requestLine + 1,
    method: r.request?.method ?? r.block.method,
    url: m(r.request?.url ?? r.block.target),
    status: ex?.response?.status ?? null,
    durationMs: Math.round(r.durationMs),
    skipped: r.skipped !== null,
    error,
    tests: r.tests
      .filter((t) => t.code !== 'exit')
      .map(reportTest)
      .map((t) => (secrets && secrets.length > 0 ? maskTest(t, m) : t)),
  };
  if (r.iteration !== null) out.name = `${r.name ?? r.block.title ?? `${out.method} ${out.url}`} [${r.iteration}]`;
  const reason = r.skipped ?? (r.scriptsNotRun ? `scripts not run: ${r.scriptsNotRun}` : null);
  if (reason) out.reason = reason;
  return out;
}

function maskTest(t: ReportTest, m: (s: string) => string): ReportTest {
  const out: ReportTest = { ...t, name: m(t.name), message: t.message === null ? null : m(t.message) };
  if (t.expected !== undefined) out.expected = m(t.expected);
  if (t.actual !== undefined) out.actual = m(t.actual);
  return out;
}

/** Beside the exchange's tests, what the panel shows of a run: logs, globals set, why scripts did not run. */
export interface RunExtras {
  logs: string[];
  globalsSet: Record<string, string>;
  scriptsNotRun: string | null;
}

const MAX_PANEL_ITEMS = 500;

/** The panel's Tests section, or null when the request has neither tests nor scripts. Secrets are masked. */
export function testsView(tests: readonly ExchangeTest[], run: RunExtras | undefined, secrets?: readonly string[]): TestsView | null {
  const items = tests.filter((t) => t.code !== 'exit');
  const logs = run?.logs ?? [];
  const globals = Object.entries(run?.globalsSet ?? {});
  const notRun = run?.scriptsNotRun ?? null;
  if (items.length === 0 && logs.length === 0 && globals.length === 0 && notRun === null) return null;
  const m = (s: string): string => maskSecrets(s, secrets);
  return {
    items: items.slice(0, MAX_PANEL_ITEMS).map((t) => {
      const r = reportTest(t);
      return {
        name: m(r.name),
        passed: r.passed,
        message: r.message === null ? null : m(r.message),
        line: r.line,
        kind: t.kind,
        ...(r.file !== undefined ? { file: r.file } : {}),
        ...(r.expected !== undefined ? { expected: m(r.expected) } : {}),
        ...(r.actual !== undefined ? { actual: m(r.actual) } : {}),
      };
    }),
    logs: logs.slice(0, MAX_PANEL_ITEMS).map(m),
    globals: globals.slice(0, MAX_PANEL_ITEMS).map(([k, v]) => [k, m(v)]),
    notRun,
    passed: items.filter((t) => t.passed).length,
    failed: items.filter((t) => !t.passed).length,
  };
}
