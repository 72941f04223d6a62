// HTTP Digest access authentication (RFC 7616), client side: read the server's WWW-Authenticate challenge,
// compute the response for the request as it will be sent again. MD5 and SHA-256 (and their -sess variants),
// qop=auth or no qop (RFC 2069 style); `uri` is the request-target as sent, query included.
import { createHash, randomBytes } from 'node:crypto';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: string;
  qop: string[];
  charset?: string;
  userhash?: boolean;
}

/** Splits `Digest a="b", c=d, Basic realm="x"` into auth-params of the Digest challenge(s). */
export function parseDigestChallenges(values: string[]): DigestChallenge[] {
  const out: DigestChallenge[] = [];
  for (const v of values) {
    // Each Digest challenge runs up to the next scheme name (a token followed by a space and no `=`).
    const re = /(?:^|,)\s*Digest\s+/gi;
    let m: RegExpExecArray | null;
    while ((m = re.exec(v)) !== null) {
      const params: Record<string, string> = {};
      const pr = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*(?:,|$)/y;
      pr.lastIndex = m.index + m[0].length;
      let p: RegExpExecArray | null;
      while ((p = pr.exec(v)) !== null) {
        params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
        if (pr.lastIndex >= v.length) break;
      }
      if (params.realm === undefined || params.nonce === undefined) continue;
      out.push({
        realm: params.realm,
        nonce: params.nonce,
        opaque: params.opaque,
        algorithm: params.algorithm ?? 'MD5',
        qop: (params.qop ?? '')
          .split(',')
          .map((q) => q.trim().toLowerCase())
          .filter(Boolean),
        charset: params.charset,
        userhash: params.userhash?.toLowerCase() === 'true',
      });
    }
  }
  return out;
}

const HASHES: Record<string, string> = {
  md5: 'md5',
  'md5-sess': 'md5',
  'sha-256': 'sha256',
  'sha-256-sess': 'sha256',
  'sha-512-256': 'sha512-256',
  'sha-512-256-sess': 'sha512-256',
};

/** Prefers SHA-256 over MD5 (RFC 7616 3.7: the first supported one the client likes best). */
export function chooseChallenge(challenges: DigestChallenge[]): DigestChallenge | string {
  const usable = challenges.filter((c) => HASHES[c.algorithm.toLowerCase()] !== undefined && (c.qop.length === 0 || c.qop.includes('auth')));
  if (usable.length === 0) {
    if (challenges.length === 0) return 'the 401 response has no Digest challenge (WWW-Authenticate: Digest realm=…, nonce=…)';
    return `no Digest challenge Wire Lens can answer (algorithms ${challenges.map((c) => c.algorithm).join(', ')}; qop ${challenges.map((c) => c.qop.join('/') || 'none').join(', ')}; MD5, SHA-256 and SHA-512-256 with qop=auth are supported, auth-int is not)`;
  }
  const rank = (c: DigestChallenge): number =>
    c.algorithm.toLowerCase().startsWith('sha-256') ? 0 : c.algorithm.toLowerCase().startsWith('sha-512') ? 1 : 2;
  return [...usable].sort((a, b) => rank(a) - rank(b))[0];
}

function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

export interface DigestInput {
  user: string;
  password: string;
  method: string;
  /** Request-target exactly as sent. */
  uri: string;
  /** For tests. */
  cnonce?: string;
  nc?: number;
}

/** The Authorization header value answering the challenge. */
export function digestAuthorization(c: DigestChallenge, input: DigestInput): string {
  const alg = c.algorithm.toLowerCase();
  const hashName = HASHES[alg];
  const h = (s: string): string => createHash(hashName).update(s, 'utf8').digest('hex');
  const qop = c.qop.includes('auth') ? 'auth' : null;
  const cnonce = input.cnonce ?? randomBytes(16).toString('hex');
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = h(`${input.user}:${c.realm}:${input.password}`);
  if (alg.endsWith('-sess')) ha1 = h(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  const response = qop ? h(`${ha1}:${c.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${c.nonce}:${ha2}`);
  const username = c.userhash ? h(`${input.user}:${c.realm}`) : input.user;
  const parts = [
    `username=${quote(username)}`,
    `realm=${quote(c.realm)}`,
    `nonce=${quote(c.nonce)}`,
    `uri=${quote(input.uri)}`,
    `algorithm=${c.algorithm}`,
    `response=${quote(response)}`,
  ];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quote(c.opaque)}`);
  if (c.userhash) parts.push('userhash=true');
  return `Digest ${parts.join(', ')}`;
}
