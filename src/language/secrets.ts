// The one rule for what is secret. Environments, variables, the resolver, the engine's redirects and every view
// use it, so what is masked in the panel is masked in Save Exchange, Copy as cURL and the CLI as well.
//
// Secret are:
//  1. every value from a private env file (http-client.private.env.json, *.private.env.json);
//  2. values whose variable name looks secret (SECRET_NAME_WORDS, SECRET_NAME_PAIRS below), from .env files,
//     `{{$dotenv NAME}}`, `{{$processEnv NAME}}`, prompts and the other env files;
//  3. the user info of a URL (`http://alice:pw@host/`): the password, and the user:password pair;
//  4. what is derived from those: the percent-encoded form (`{{%name}}`), the base64 of a Basic credential that
//     contains a secret (`Authorization: Basic …`, also when built from the URL's user info).

/** Name words that make a variable secret wherever they appear as a word of the name (AUTH, DB_PWD, BEARER…). */
export const SECRET_NAME_WORDS = [
  'password',
  'passwd',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'secrets',
  'token',
  'tokens',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'bearer',
  'apikey',
  'jwt',
  'cookie',
  'session',
  'sessionid',
  'sid',
  'privatekey',
  'accesskey',
  'signature',
  'otp',
  'pin',
  'key',
] as const;

/** Two consecutive words that together make a name secret (PRIVATE_KEY, AWS_ACCESS_KEY, SESSION_ID, API_KEY…). */
export const SECRET_NAME_PAIRS = [
  ['api', 'key'],
  ['private', 'key'],
  ['access', 'key'],
  ['session', 'id'],
  ['client', 'secret'],
  ['refresh', 'token'],
] as const;

/** Substrings that make a name secret even inside a longer word (`mytoken`, `dbpassword`): the rule REST Client uses. */
const SECRET_SUBSTRING = /pass(word|wd)|secret|token|api[-_]?key|credential|passphrase/i;

const WORDS = new Set<string>(SECRET_NAME_WORDS);

/** The words of a variable name: split at `_`, `-`, `.`, spaces and lower→upper camelCase steps, lowercased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.\-$]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w !== '');
}

/** True when a variable with this name holds a secret (see the rule above). */
export function isSecretName(name: string): boolean {
  if (SECRET_SUBSTRING.test(name)) return true;
  const words = nameWords(name);
  for (let i = 0; i < words.length; i++) {
    if (WORDS.has(words[i])) return true;
    for (const [a, b] of SECRET_NAME_PAIRS) if (words[i] === a && words[i + 1] === b) return true;
  }
  return false;
}

/** The name a `$dotenv` / `$processEnv` system variable reads, when the expression is one of those. */
export function environmentVariableName(expression: string): string | null {
  const m = /^\$(?:dotenv|processEnv)\s+%?([^\s]+)/.exec(expression.trim());
  return m ? m[1] : null;
}

/** The user info secrets of a URL: the password as written and decoded, and the user:password pair. */
export function urlUserInfoSecrets(url: string): string[] {
  // User info needs an `@` before the host; without one there is none (and no URL to parse for every request).
  if (!url.includes('@')) return [];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  if (!u.username && !u.password) return [];
  const out: string[] = [];
  const user = safeDecode(u.username);
  const pass = safeDecode(u.password);
  if (u.password) out.push(u.password, pass, `${u.username}:${u.password}`);
  const cred = `${user}:${pass}`;
  // The Authorization: Basic header the engine builds from the user info.
  out.push(Buffer.from(cred, 'utf8').toString('base64'));
  return out.filter((s) => s.length >= 2);
}

/**
 * Every string to mask for a request: its secret values and what is derived from them (percent-encoded forms,
 * URL user info, Basic credentials that contain a secret). Longest first, empty and one-character values dropped
 * (masking every "a" would hide the whole exchange and protect nothing).
 */
export function expandSecrets(secrets: readonly string[], url: string, headers: readonly (readonly [string, string])[]): string[] {
  const out = new Set<string>();
  for (const s of secrets) {
    if (s.length < 2) continue;
    out.add(s);
    const pct = encodeURIComponent(s);
    if (pct !== s) out.add(pct);
  }
  for (const s of urlUserInfoSecrets(url)) out.add(s);
  for (const h of headers) {
    const name = h[0];
    const value = h[1];
    if (!/^(proxy-)?authorization$/i.test(name)) continue;
    const m = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
    if (!m) continue;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    if ([...out].some((s) => decoded.includes(s)) || secrets.some((s) => s.length >= 2 && decoded.includes(s))) out.add(m[1]);
  }
  return [...out].sort((a, b) => b.length - a.length);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
