// Set-Cookie (RFC 6265, Section 4.1 for the syntax servers should send, 5.2 for how clients parse it).
import { parseHttpDate } from './dates';

export interface SetCookie {
  name: string;
  value: string;
  expires: number | null;
  /** Raw Expires text, when present. */
  expiresRaw: string | null;
  maxAge: number | null;
  domain: string | null;
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  sameSite: string | null;
  partitioned: boolean;
  /** Attribute names not defined for cookies. */
  unknown: string[];
  /** Problems against the syntax servers should produce. */
  errors: string[];
}

const COOKIE_OCTET = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_AGE = /^-?\d+$/;
const SAME_SITE = /^(strict|lax|none)$/i;

export function parseSetCookie(header: string): SetCookie {
  const parts = header.split(';');
  const pair = parts[0];
  const eq = pair.indexOf('=');
  const out: SetCookie = {
    name: eq < 0 ? '' : pair.slice(0, eq).trim(),
    value: eq < 0 ? pair.trim() : pair.slice(eq + 1).trim(),
    expires: null,
    expiresRaw: null,
    maxAge: null,
    domain: null,
    path: null,
    secure: false,
    httpOnly: false,
    sameSite: null,
    partitioned: false,
    unknown: [],
    errors: [],
  };
  if (eq < 0) out.errors.push('no "=" between the cookie name and value');
  else if (!out.name) out.errors.push('the cookie name is empty');
  else if (!TOKEN.test(out.name)) out.errors.push(`cookie name "${out.name}" is not a token`);
  let v = out.value;
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  if (!COOKIE_OCTET.test(v))
    out.errors.push('the cookie value has characters outside cookie-octet (space, comma, semicolon, backslash or quote); encode it');
  const seen = new Set<string>();
  for (const raw of parts.slice(1)) {
    const a = raw.trim();
    if (!a) continue;
    const aeq = a.indexOf('=');
    const name = (aeq < 0 ? a : a.slice(0, aeq)).trim().toLowerCase();
    const val = aeq < 0 ? null : a.slice(aeq + 1).trim();
    if (seen.has(name)) out.errors.push(`attribute ${name} appears more than once (the last one wins)`);
    seen.add(name);
    switch (name) {
      case 'expires': {
        out.expiresRaw = val;
        const d = val === null ? null : parseHttpDate(val);
        if (!d) out.errors.push(`Expires "${val ?? ''}" is not an HTTP date`);
        else out.expires = d.time;
        break;
      }
      case 'max-age':
        if (val === null || !MAX_AGE.test(val)) out.errors.push(`Max-Age "${val ?? ''}" is not a number of seconds`);
        else out.maxAge = Number(val);
        break;
      case 'domain':
        out.domain = val ?? '';
        break;
      case 'path':
        out.path = val ?? '';
        break;
      case 'secure':
        out.secure = true;
        if (val !== null) out.errors.push('Secure takes no value');
        break;
      case 'httponly':
        out.httpOnly = true;
        if (val !== null) out.errors.push('HttpOnly takes no value');
        break;
      case 'samesite':
        out.sameSite = val;
        if (val === null || !SAME_SITE.test(val)) out.errors.push(`SameSite "${val ?? ''}" is not Strict, Lax or None`);
        break;
      case 'partitioned':
        out.partitioned = true;
        break;
      case 'priority':
      case 'samparty':
      case 'sameparty':
        break;
      default:
        out.unknown.push(name);
    }
  }
  return out;
}
