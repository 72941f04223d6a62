// Environments: `http-client.env.json` + `http-client.private.env.json` (JetBrains), the
// `wirelens.environmentVariables` setting (REST Client's shape, with `$shared`), and `.env` files for `$dotenv`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSecretName } from './secrets';

export const SHARED = '$shared';
export const ENV_FILE = 'http-client.env.json';
export const PRIVATE_ENV_FILE = 'http-client.private.env.json';

export interface EnvVariable {
  value: string;
  /** Where it was defined: a file path, or `settings`. */
  source: string;
  /** From a private env file: mask it wherever it is shown. */
  secret: boolean;
}

export interface EnvironmentProblem {
  file: string;
  message: string;
}

export type EnvironmentTable = Record<string, Record<string, unknown>>;

export interface Environments {
  /** Environment names, `$shared` excluded, sorted. */
  names: string[];
  /** Env files that were read. */
  files: string[];
  problems: EnvironmentProblem[];
  /**
   * Variables of an environment over `$shared` (null: `$shared` only). Built once per environment and shared by
   * every caller (each request of a run asks for it twice): read it, never change it.
   */
  variables(environment: string | null | undefined): ReadonlyMap<string, EnvVariable>;
}

interface Source {
  table: EnvironmentTable;
  origin: string;
  /** 'by-name': only variables whose name looks like a secret (TOKEN, PASSWORD…) are secrets. */
  secret: boolean | 'by-name';
}

const MAX_ENV_FILE = 5 * 1024 * 1024;

function readJson(file: string, problems: EnvironmentProblem[]): EnvironmentTable | null {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return null;
    if (st.size > MAX_ENV_FILE) {
      problems.push({ file, message: 'Environment file is larger than 5 MB; ignored.' });
      return null;
    }
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (!isTable(parsed)) {
      problems.push({ file, message: 'Environment file must be an object of environments, each an object of variables.' });
      return null;
    }
    return parsed;
  } catch (e) {
    problems.push({ file, message: `Environment file is not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
    return null;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTable(v: unknown): v is EnvironmentTable {
  return isRecord(v) && Object.values(v).every(isRecord);
}

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** JetBrains: nested objects in an env file are read as dotted names (`{"auth": {"user": "a"}}` → `auth.user`). */
function flatten(vars: Record<string, unknown>, prefix = '', depth = 0, out: [string, unknown][] = []): [string, unknown][] {
  for (const [k, v] of Object.entries(vars)) {
    const name = prefix === '' ? k : `${prefix}.${k}`;
    if (isRecord(v) && depth < 8) flatten(v, name, depth + 1, out);
    else out.push([name, v]);
  }
  return out;
}

/** The nearest directory at or above `dir` (not above `stopAt`) holding one of `names`. */
export function findUp(dir: string, names: string[], stopAt?: string): string | null {
  let current = path.resolve(dir);
  const stop = stopAt ? path.resolve(stopAt) : null;
  for (let depth = 0; depth < 32; depth++) {
    for (const n of names) {
      try {
        if (fs.statSync(path.join(current, n)).isFile()) return current;
      } catch {
        // not here
      }
    }
    if (stop !== null && current === stop) return null;
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
  return null;
}

/** True for the names env files go by: `.env`, `.env.<name>`, `<name>.env`, `*env.json` (http-client…). */
function isEnvFileName(n: string): boolean {
  return n === '.env' || n.startsWith('.env.') || n.endsWith('.env') || n === ENV_FILE || n === PRIVATE_ENV_FILE || /\.env\.json$/.test(n);
}

/**
 * Where the CLI stops looking for env files: the nearest directory at or above `dir` that holds a `.git`, a
 * `package.json` or an env file, as a workspace folder bounds the editor. Without any, `dir` itself: an env file
 * in some folder far above the project never feeds a request.
 */
export function projectRoot(dir: string): string {
  let current = path.resolve(dir);
  for (let depth = 0; depth < 64; depth++) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(current);
    } catch {
      names = [];
    }
    if (names.some((n) => n === '.git' || n === 'package.json' || isEnvFileName(n))) return current;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return path.resolve(dir);
}

export interface LoadOptions {
  /** Directory of the .http file. */
  dir?: string;
  /** Do not look above this directory (the workspace folder). */
  stopAt?: string;
  /** `wirelens.environmentVariables`. */
  settings?: EnvironmentTable;
}

export function loadEnvironments(opts: LoadOptions = {}): Environments {
  const problems: EnvironmentProblem[] = [];
  const sources: Source[] = [];
  const files: string[] = [];
  // `.env` files are the lowest layer: `.env` feeds $shared, `.env.<name>` / `<name>.env` an environment
  // <name> (httpyac's convention). Values whose name looks like a secret are masked wherever shown (masking
  // every value would hide each `8080` or `true` of the exchange).
  if (opts.dir) {
    for (const d of dotenvTables(opts.dir, opts.stopAt)) {
      sources.push({ table: d.table, origin: d.file, secret: 'by-name' });
      files.push(d.file);
    }
  }
  if (opts.settings && isTable(opts.settings)) sources.push({ table: opts.settings, origin: 'settings', secret: false });
  else if (opts.settings) problems.push({ file: 'settings', message: 'wirelens.environmentVariables must map environment names to objects.' });
  if (opts.dir) {
    const where = findUp(opts.dir, [ENV_FILE, PRIVATE_ENV_FILE], opts.stopAt);
    if (where) {
      for (const [name, secret] of [
        [ENV_FILE, false],
        [PRIVATE_ENV_FILE, true],
      ] as const) {
        const file = path.join(where, name);
        const table = readJson(file, problems);
        if (table) {
          sources.push({ table, origin: file, secret });
          files.push(file);
        }
      }
    }
  }
  return fromSources(sources, files, problems);
}

/** Environments from tables already in memory (tests, settings only). */
export function environmentsFrom(tables: { table: EnvironmentTable; origin: string; secret?: boolean }[]): Environments {
  return fromSources(
    tables.map((t) => ({ table: t.table, origin: t.origin, secret: t.secret ?? false })),
    [],
    [],
  );
}

function fromSources(sources: Source[], files: string[], problems: EnvironmentProblem[]): Environments {
  const names = new Set<string>();
  for (const s of sources) for (const n of Object.keys(s.table)) if (n !== SHARED) names.add(n);
  const built = new Map<string, ReadonlyMap<string, EnvVariable>>();
  return {
    names: [...names].sort((a, b) => a.localeCompare(b)),
    files,
    problems,
    variables(environment) {
      const layer = environment && environment !== SHARED ? environment : SHARED;
      let vars = built.get(layer);
      if (!vars) built.set(layer, (vars = layerVariables(sources, layer)));
      return vars;
    },
  };
}

/** `$shared`, then the environment `layer` over it (when it is not `$shared` itself). */
function layerVariables(sources: Source[], environment: string): Map<string, EnvVariable> {
  const out = new Map<string, EnvVariable>();
  const layers = environment !== SHARED ? [SHARED, environment] : [SHARED];
  // The named environment wins over $shared; within a layer, later sources (env file over settings,
  // private over public) win.
  for (const layer of layers) {
    for (const s of sources) {
      const vars = s.table[layer];
      if (!vars) continue;
      for (const [k, v] of flatten(vars)) {
        const value = scalar(v);
        if (value !== null) out.set(k, { value, source: s.origin, secret: s.secret === 'by-name' ? isSecretName(k) : s.secret });
      }
    }
  }
  return out;
}

/** Parses a `.env` file: `KEY=value`, optional `export`, quotes, `#` comments. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\"/g, '"');
    } else {
      const hash = value.indexOf(' #');
      if (hash >= 0) value = value.slice(0, hash);
      value = value.trim();
    }
    out[m[1]] = value;
  }
  return out;
}

const MAX_DOTENV_FILES = 50;

/** `.env` (as $shared) and `.env.<name>` / `<name>.env` (as environment <name>) in the nearest directory holding a `.env`, or in `dir`. */
function dotenvTables(dir: string, stopAt?: string): { file: string; table: EnvironmentTable }[] {
  const where = findUp(dir, ['.env'], stopAt) ?? path.resolve(dir);
  let names: string[];
  try {
    names = fs.readdirSync(where);
  } catch {
    return [];
  }
  const out: { file: string; table: EnvironmentTable }[] = [];
  for (const n of names.sort()) {
    if (out.length >= MAX_DOTENV_FILES) break;
    const m = n === '.env' ? null : (/^\.env\.([\w-]+)$/.exec(n) ?? /^([\w-]+)\.env$/.exec(n));
    if (n !== '.env' && !m) continue;
    const env = m ? m[1] : SHARED;
    const file = path.join(where, n);
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_ENV_FILE) continue;
      out.push({ file, table: { [env]: parseDotenv(fs.readFileSync(file, 'utf8')) } });
    } catch {
      // unreadable: skipped
    }
  }
  return out;
}

/** The nearest `.env` at or above `dir`, parsed; empty when there is none. */
export function loadDotenv(dir: string | undefined, stopAt?: string): Record<string, string> {
  if (!dir) return {};
  const where = findUp(dir, ['.env'], stopAt);
  if (!where) return {};
  try {
    const file = path.join(where, '.env');
    if (fs.statSync(file).size > MAX_ENV_FILE) return {};
    return parseDotenv(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
