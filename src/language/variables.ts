// Variable lookup with REST Client precedence: prompt values, file variables, environment ($selected over
// $shared), request variables, system variables. Values are substituted lazily, cycles are errors, and
// each file/environment variable is resolved once per request (so `@id = {{$guid}}` is stable in it).
import type { Exchange } from '../shared/exchange';
import type { EnvVariable } from './environments';
import { parseRequestVariable, readRequestVariable } from './requestVariables';
import { environmentVariableName, isSecretName } from './secrets';
import { systemVariable, type SystemEnv } from './system';
import type { FileVariable, HttpDocument } from './types';

/** A resolved value longer than this is refused (guards against exponential `{{a}}{{a}}` chains). */
export const MAX_VALUE_LENGTH = 16 * 1024 * 1024;
const MAX_DEPTH = 64;

export interface VariableSources {
  doc: HttpDocument;
  env: ReadonlyMap<string, EnvVariable>;
  /** `$shared` alone, for REST Client's `{{$shared name}}` inside environment values. */
  shared?: ReadonlyMap<string, EnvVariable>;
  prompts: Map<string, string>;
  responses: Map<string, Exchange>;
  system: Omit<SystemEnv, 'lookup'>;
  /** Extra values (e.g. JetBrains globals set elsewhere) below file variables. */
  extra?: Map<string, string>;
  /** Variables set by this request's own scripts (`request.variables.set`, httpyac exports): above file variables. */
  scriptVariables?: Map<string, string>;
  /** Script globals of the run (`client.global.set`, httpyac exports of earlier requests): above the environment. */
  globals?: Map<string, string>;
}

export type Lookup = { value: string; secret: boolean } | { error: string };

/**
 * File variables by name (a later definition wins), per variables list: every request of a run reads the same
 * document's. Built again if the list grew (a document is assembled by pushing into it).
 */
const fileVarsByList = new WeakMap<readonly FileVariable[], { length: number; map: ReadonlyMap<string, FileVariable> }>();

function fileVariableMap(list: readonly FileVariable[]): ReadonlyMap<string, FileVariable> {
  const known = fileVarsByList.get(list);
  if (known && known.length === list.length) return known.map;
  const map = new Map<string, FileVariable>();
  for (const v of list) map.set(v.name, v);
  fileVarsByList.set(list, { length: list.length, map });
  return map;
}

export class VariableResolver {
  private readonly fileVars: ReadonlyMap<string, FileVariable>;
  private readonly cache = new Map<string, Lookup>();
  private readonly active = new Set<string>();
  /** Secret values that were used, for masking. */
  readonly usedSecrets = new Set<string>();
  private depth = 0;
  /** httpyac's `\{\{ … \}\}` escape applies (see bracesEscapeApplies). */
  private readonly escapes: boolean;

  constructor(private readonly src: VariableSources) {
    this.fileVars = fileVariableMap(src.doc.variables);
    this.escapes = bracesEscapeApplies(src.doc);
  }

  /** Where a plain name comes from, without resolving it (for hover and diagnostics). */
  sourceOf(name: string): 'prompt' | 'file' | 'environment' | 'extra' | 'script' | null {
    if (this.src.prompts.has(name)) return 'prompt';
    if (this.src.scriptVariables?.has(name)) return 'script';
    if (this.fileVars.has(name)) return 'file';
    if (this.src.globals?.has(name)) return 'script';
    if (this.src.env.has(name)) return 'environment';
    if (this.src.extra?.has(name)) return 'extra';
    return null;
  }

  /** Resolves the expression between `{{` and `}}`. */
  lookup(expression: string): Lookup {
    const expr = expression.trim();
    const shared = /^\$shared\s+(\S+)$/.exec(expr);
    if (shared) {
      const v = this.src.shared?.get(shared[1]);
      return v ? this.expand(v.value, v.secret, `$shared ${shared[1]}`) : { error: `{{${expr}}}: '${shared[1]}' is not in $shared.` };
    }
    if (expr.startsWith('$')) {
      // `$index` of `@loop` and other script-set `$names` come before system variables.
      const scripted = this.src.scriptVariables?.get(expr);
      if (scripted !== undefined) return { value: scripted, secret: false };
      const r = systemVariable(expr, this.systemEnv());
      // $dotenv / $processEnv read variables by name: a secret-looking name makes the value a secret.
      const envName = environmentVariableName(expr);
      const secret = envName !== null && isSecretName(envName);
      if ('value' in r && secret) this.usedSecrets.add(r.value);
      return 'value' in r ? { value: r.value, secret } : r;
    }
    if (expr.startsWith('%')) {
      const inner = this.lookup(expr.slice(1));
      if ('value' in inner && inner.secret) this.usedSecrets.add(encodeURIComponent(inner.value));
      return 'value' in inner ? { value: encodeURIComponent(inner.value), secret: inner.secret } : inner;
    }
    const cached = this.cache.get(expr);
    if (cached) return cached;
    if (this.active.has(expr)) return { error: `Variable cycle: {{${expr}}} refers back to itself (${[...this.active].join(' → ')} → ${expr}).` };
    if (this.depth >= MAX_DEPTH) return { error: `Variables nest more than ${MAX_DEPTH} deep at {{${expr}}}.` };
    this.active.add(expr);
    this.depth++;
    let result: Lookup;
    try {
      result = this.lookupName(expr);
    } finally {
      this.depth--;
      this.active.delete(expr);
    }
    if ('value' in result && result.secret) this.usedSecrets.add(result.value);
    this.cache.set(expr, result);
    return result;
  }

  private lookupName(name: string): Lookup {
    const prompt = this.src.prompts.get(name);
    if (prompt !== undefined) return { value: prompt, secret: isSecretName(name) };
    const scripted = this.src.scriptVariables?.get(name);
    if (scripted !== undefined) return { value: scripted, secret: false };
    const fileVar = this.fileVars.get(name);
    if (fileVar) return this.expand(unescapeFileValue(fileVar.value), false, `@${name}`);
    const global = this.src.globals?.get(name);
    if (global !== undefined) return { value: global, secret: false };
    const envVar = this.src.env.get(name);
    if (envVar) return this.expand(envVar.value, envVar.secret, name);
    const extra = this.src.extra?.get(name);
    if (extra !== undefined) return { value: extra, secret: false };
    const ref = parseRequestVariable(name);
    if (ref) {
      const r = readRequestVariable(ref, this.src.responses.get(ref.name));
      return 'value' in r ? { value: r.value, secret: false } : r;
    }
    return { error: `Unknown variable {{${name}}}: not a file variable, not in the selected environment, not a request or system variable.` };
  }

  private expand(raw: string, secret: boolean, label: string): Lookup {
    const out = this.substitute(raw);
    if (out.errors.length > 0) return { error: `${label}: ${out.errors[0]}` };
    return { value: out.text, secret: secret || out.secret };
  }

  private system: SystemEnv | null = null;

  /** The system variables' environment, made once per resolver (each `{{$…}}` of the request reads it). */
  private systemEnv(): SystemEnv {
    // Object.assign, not a spread that adds `lookup`: V8 takes a slow path (about a microsecond) for the latter.
    this.system ??= Object.assign({}, this.src.system, {
      lookup: (n: string) => {
        const l = this.lookup(n);
        return 'value' in l ? l.value : undefined;
      },
    });
    return this.system;
  }

  /** Replaces every `{{…}}` in text; unresolved ones become errors (and an empty string in the text). */
  substitute(text: string): { text: string; errors: string[]; secret: boolean } {
    // Most header names and many values hold no variable.
    if (text.indexOf('{{') < 0) return { text: this.literal(text), errors: [], secret: false };
    const errors: string[] = [];
    let secret = false;
    let out = '';
    let p = 0;
    for (;;) {
      const open = text.indexOf('{{', p);
      if (open < 0) break;
      const close = text.indexOf('}}', open + 2);
      if (close < 0) {
        errors.push('Unterminated variable: {{ without }}.');
        break;
      }
      out += this.literal(text.slice(p, open));
      const expr = text.slice(open + 2, close).trim();
      if (expr === '') errors.push('Empty variable {{}}.');
      else {
        const r = this.lookup(expr);
        if ('value' in r) {
          out += r.value;
          secret ||= r.secret;
        } else errors.push(r.error);
      }
      if (out.length > MAX_VALUE_LENGTH) {
        errors.push(`Resolved text is longer than ${MAX_VALUE_LENGTH} characters.`);
        return { text: '', errors, secret };
      }
      p = close + 2;
    }
    out += this.literal(text.slice(p));
    return { text: out, errors, secret };
  }

  /** httpyac's escape for braces that are not a variable: `\{\{…\}\}` is sent as `{{…}}`. */
  private literal(text: string): string {
    if (!this.escapes || text.indexOf('\\') < 0) return text;
    return text.replace(/\\\{\\\{/g, '{{').replace(/\\\}\\\}/g, '}}');
  }
}

/**
 * `\{\{ … \}\}` is httpyac's escape (its docs: escapeVariableSubstitution). REST Client and the JetBrains HTTP
 * Client give it no meaning (a variable there needs `{{` written together) and send the backslashes. So the escape
 * applies unless the file is written for one of those two (dialect.ts); a file whose tool cannot be told (no
 * home form of any tool, or of several) is read as httpyac reads it, since no other tool defines the form.
 */
export function bracesEscapeApplies(doc: Pick<HttpDocument, 'dialect'>): boolean {
  const tool = doc.dialect?.tool ?? null;
  return tool !== 'jetbrains' && tool !== 'restclient';
}

/**
 * REST Client reads backslash escapes in file variable values: `\n`, `\r`, `\t` become the control characters,
 * any other `\x` stands for x. Text inside `{{…}}` is left alone.
 */
export function unescapeFileValue(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw.startsWith('{{', i)) {
      const close = raw.indexOf('}}', i + 2);
      const end = close < 0 ? raw.length : close + 2;
      out += raw.slice(i, end);
      i = end - 1;
      continue;
    }
    const c = raw[i];
    if (c !== '\\' || i === raw.length - 1) {
      out += c;
      continue;
    }
    const n = raw[++i];
    out += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
  }
  return out;
}
