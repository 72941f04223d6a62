// A `curl …` command pasted in an .http file is a request (REST Client reads them too). The command line is
// split into words as a POSIX shell does (quotes, `$'…'`, backslash escapes, line continuations), then the
// common options are read: -X, -H, -d/--data*, --data-urlencode, -F, -u, -b, -k, -L, -I, -G, -A, -e,
// --compressed, --url. What curl would send is what the request sends; unknown options are errors, not skipped.

export interface CurlRequest {
  method: string;
  url: string;
  headers: [string, string][];
  /** Body text with `\n` between multipart lines; null when there is none. */
  body: string | null;
  /** Lines of the body that stand for files (`-d @file`, `-F name=@file`), by body line index. */
  files: { index: number; path: string }[];
  multipart: boolean;
  insecure: boolean;
  /** curl follows redirects only with -L. */
  location: boolean;
  /** Options that were accepted but change nothing on the wire (-s, -v…), for a note. */
  ignored: string[];
}

export type SplitResult = { words: string[] } | { error: string };

/** POSIX shell word splitting without expansion: '…', "…", $'…', \x, and backslash-newline continuations. */
export function splitShellWords(text: string): SplitResult {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'Unterminated single quote in the curl command.' };
      cur += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '$' && text[i + 1] === "'") {
      // bash's ANSI-C quoting: \xHH are bytes (so $'\xc3\xa9' is é in UTF-8).
      i += 2;
      let done = false;
      const bytes: number[] = [];
      const addText = (t: string): void => {
        for (const b of Buffer.from(t, 'utf8')) bytes.push(b);
      };
      while (i < n) {
        const d = text[i];
        if (d === "'") {
          done = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = text[i + 1];
          const simple: Record<string, string> = {
            n: '\n',
            r: '\r',
            t: '\t',
            '\\': '\\',
            "'": "'",
            '"': '"',
            a: '\x07',
            b: '\b',
            e: '\x1b',
            f: '\f',
            v: '\v',
            '0': '\0',
          };
          const hex = e === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(i + 2)) : null;
          if (hex) {
            bytes.push(parseInt(hex[0], 16));
            i += 2 + hex[0].length;
            continue;
          }
          addText(simple[e] ?? `\\${e}`);
          i += 2;
          continue;
        }
        addText(d);
        i++;
      }
      if (!done) return { error: "Unterminated $'…' quote in the curl command." };
      cur += Buffer.from(bytes).toString('utf8');
    } else if (c === '"') {
      i++;
      let done = false;
      while (i < n) {
        const d = text[i];
        if (d === '"') {
          done = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') cur += text[i + 1];
          i += 2;
          continue;
        }
        cur += d;
        i++;
      }
      if (!done) return { error: 'Unterminated double quote in the curl command.' };
    } else if (c === '\\' && i + 1 < n) {
      cur += text[i + 1];
      i += 2;
    } else {
      cur += c;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return { words };
}

/** Where a curl command that starts at `lines[from]` ends (continuation backslashes, quotes open across lines). */
export function curlCommandEnd(lines: string[], from: number, end: number): number {
  for (let k = from; k <= end; k++) {
    if (lines[k].trimEnd().endsWith('\\')) continue;
    if ('error' in splitShellWords(lines.slice(from, k + 1).join('\n'))) continue;
    return k;
  }
  return end;
}

const BOOLEAN_SHORT = new Set(['s', 'S', 'v', 'i', 'k', 'L', 'I', 'G', 'f', 'g', 'N', '#', 'q', 'n', '0', '1', '2', '3', '4', '6']);
const WITH_VALUE_SHORT = new Set(['X', 'H', 'd', 'F', 'u', 'b', 'A', 'e', 'o', 'm', 'x', 'w', 'T', 'c', 'E', 'K', 'r', 'y', 'Y', 'z', 'U', 'C']);
const LONG_ALIAS: Record<string, string> = {
  '--request': 'X',
  '--header': 'H',
  '--data': 'd',
  '--data-ascii': 'd',
  '--form': 'F',
  '--user': 'u',
  '--cookie': 'b',
  '--user-agent': 'A',
  '--referer': 'e',
  '--insecure': 'k',
  '--location': 'L',
  '--head': 'I',
  '--get': 'G',
};
/** Options that change nothing that is sent. */
const HARMLESS = new Set([
  's',
  'S',
  'v',
  'i',
  'f',
  'g',
  'N',
  '#',
  'q',
  'n',
  'o',
  'm',
  'w',
  '--silent',
  '--show-error',
  '--verbose',
  '--include',
  '--fail',
  '--globoff',
  '--no-buffer',
  '--progress-bar',
  '--output',
  '--max-time',
  '--write-out',
  '--http1.1',
  '--connect-timeout',
  '--fail-with-body',
  '--no-progress-meter',
  '--location-trusted',
  '--compressed-ssh',
  '--path-as-is',
]);
const LONG_WITH_VALUE = new Set([
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--url',
  '--output',
  '--max-time',
  '--write-out',
  '--connect-timeout',
]);

function urlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

const BOUNDARY = '----WireLensFormBoundary7MA4YWxkTrZu0gW';

export function parseCurl(text: string): CurlRequest | { error: string } {
  const split = splitShellWords(text);
  if ('error' in split) return split;
  const w = split.words;
  if (w[0] !== 'curl') return { error: 'Not a curl command.' };
  let method = null as string | null;
  let url = null as string | null;
  const headers: [string, string][] = [];
  const data: { text: string; file?: string }[] = [];
  const forms: string[] = [];
  let user = null as string | null;
  const cookies: string[] = [];
  let insecure = false;
  let location = false;
  let head = false;
  let get = false;
  let compressed = false;
  const ignored: string[] = [];
  let http2 = false;
  const removed = new Set<string>();

  const take = (opt: string, key: string, value: string): string | null => {
    switch (key) {
      case 'X':
        method = value;
        break;
      case 'H': {
        const colon = value.indexOf(':');
        const semi = value.endsWith(';') && colon < 0;
        if (semi) headers.push([value.slice(0, -1).trim(), '']);
        else if (colon <= 0) return `${opt} ${JSON.stringify(value)}: a header is Name: value.`;
        else {
          const v = value.slice(colon + 1).trim();
          // `-H 'Name:'` removes a header curl would add (Content-Type of -d, Accept…).
          if (v !== '') headers.push([value.slice(0, colon).trim(), v]);
          else removed.add(value.slice(0, colon).trim().toLowerCase());
        }
        break;
      }
      case 'd':
        if (value.startsWith('@')) data.push({ text: '', file: value.slice(1) });
        else data.push({ text: value });
        break;
      case '--data-raw':
        data.push({ text: value });
        break;
      case '--data-binary':
        if (value.startsWith('@')) data.push({ text: '', file: value.slice(1) });
        else data.push({ text: value });
        break;
      case '--data-urlencode': {
        const eq = value.indexOf('=');
        if (eq < 0) {
          if (value.includes('@')) return `${opt} ${value}: reading a file to encode is not supported; paste its content instead.`;
          data.push({ text: urlencode(value) });
        } else if (eq === 0) data.push({ text: urlencode(value.slice(1)) });
        else data.push({ text: `${value.slice(0, eq)}=${urlencode(value.slice(eq + 1))}` });
        break;
      }
      case 'F':
        forms.push(value);
        break;
      case 'u':
        user = value;
        break;
      case 'b':
        if (!value.includes('=')) return `${opt} ${value}: a cookie file is not supported; give the cookies as name=value.`;
        cookies.push(value);
        break;
      case 'A':
        headers.push(['User-Agent', value]);
        break;
      case 'e':
        headers.push(['Referer', value]);
        break;
      case '--url':
        url = value;
        break;
      default:
        if (HARMLESS.has(key) || HARMLESS.has(opt)) {
          ignored.push(opt);
          break;
        }
        return `${opt}: not a curl option Wire Lens reads (it would change what is sent); remove it or write the request in .http form.`;
    }
    return null;
  };
  const flag = (opt: string, key: string): string | null => {
    switch (key) {
      case 'k':
        insecure = true;
        break;
      case 'L':
        location = true;
        break;
      case 'I':
        head = true;
        break;
      case 'G':
        get = true;
        break;
      default:
        if (HARMLESS.has(key) || HARMLESS.has(opt)) {
          ignored.push(opt);
          break;
        }
        return `${opt}: not a curl option Wire Lens reads (it would change what is sent); remove it or write the request in .http form.`;
    }
    return null;
  };

  for (let i = 1; i < w.length; i++) {
    const a = w[i];
    let problem: string | null = null;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (name === '--compressed') {
        compressed = true;
        continue;
      }
      if (name === '--http2' || name === '--http2-prior-knowledge') {
        http2 = true;
        continue;
      }
      const alias = LONG_ALIAS[name];
      const needsValue = (alias !== undefined && WITH_VALUE_SHORT.has(alias)) || LONG_WITH_VALUE.has(name);
      if (needsValue) {
        const value = eq > 0 ? a.slice(eq + 1) : w[++i];
        if (value === undefined) return { error: `${name} needs a value.` };
        problem = take(name, alias ?? name, value);
      } else problem = flag(name, alias ?? name);
    } else if (a.startsWith('-') && a.length > 1) {
      // Bundled short options: -sSL, -XPOST, -H'…'.
      for (let k = 1; k < a.length; k++) {
        const ch = a[k];
        if (WITH_VALUE_SHORT.has(ch)) {
          const value = k + 1 < a.length ? a.slice(k + 1) : w[++i];
          if (value === undefined) return { error: `-${ch} needs a value.` };
          problem = take(`-${ch}`, ch, value);
          break;
        }
        if (BOOLEAN_SHORT.has(ch)) problem = flag(`-${ch}`, ch);
        else problem = `-${ch}: not a curl option Wire Lens reads.`;
        if (problem) break;
      }
    } else if (url === null) url = a;
    else return { error: `A second URL ${JSON.stringify(a)}: one request per curl command.` };
    if (problem) return { error: problem };
  }
  if (url === null) return { error: 'The curl command has no URL.' };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = `http://${url}`;
  if (http2) ignored.push('--http2');

  const has = (n: string): boolean => removed.has(n) || headers.some(([h]) => h.toLowerCase() === n);
  if (user !== null && !has('authorization'))
    headers.push(['Authorization', `Basic ${Buffer.from(user.includes(':') ? user : `${user}:`, 'utf8').toString('base64')}`]);
  if (cookies.length && !has('cookie')) headers.push(['Cookie', cookies.join('; ')]);
  if (compressed && !has('accept-encoding')) headers.push(['Accept-Encoding', 'deflate, gzip, br']);

  let body: string | null = null;
  const files: { index: number; path: string }[] = [];
  let multipart = false;
  if (forms.length) {
    if (data.length) return { error: '-F and -d cannot be mixed (curl refuses it too).' };
    multipart = true;
    const lines: string[] = [];
    for (const f of forms) {
      const eq = f.indexOf('=');
      if (eq <= 0) return { error: `-F ${f}: a form field is name=value or name=@file.` };
      const name = f.slice(0, eq);
      let value = f.slice(eq + 1);
      lines.push(`--${BOUNDARY}`);
      if (value.startsWith('@') || value.startsWith('<')) {
        const asFile = value.startsWith('@');
        let file = value.slice(1);
        let type = 'application/octet-stream';
        const t = /;type=([^;]+)/.exec(file);
        if (t) {
          type = t[1];
          file = file.replace(/;type=[^;]+/, '');
        }
        file = file.replace(/;filename=[^;]+/, '');
        lines.push(
          asFile
            ? `Content-Disposition: form-data; name="${name}"; filename="${file.split(/[\\/]/).pop() ?? file}"`
            : `Content-Disposition: form-data; name="${name}"`,
        );
        if (asFile) lines.push(`Content-Type: ${type}`);
        lines.push('');
        files.push({ index: lines.length, path: file });
        lines.push(`< ${file}`);
      } else {
        if (value.startsWith('\\@') || value.startsWith('\\<')) value = value.slice(1);
        lines.push(`Content-Disposition: form-data; name="${name}"`, '', value);
      }
    }
    lines.push(`--${BOUNDARY}--`);
    body = lines.join('\n');
    if (!has('content-type')) headers.push(['Content-Type', `multipart/form-data; boundary=${BOUNDARY}`]);
  } else if (data.length) {
    if (data.some((d) => d.file !== undefined)) {
      if (data.length > 1) return { error: 'A body file (-d @file) together with other -d parts is not supported; use one.' };
      body = `< ${data[0].file}`;
      files.push({ index: 0, path: data[0].file ?? '' });
    } else body = data.map((d) => d.text).join('&');
    if (get) {
      url += (url.includes('?') ? '&' : '?') + body;
      body = null;
      files.length = 0;
    } else if (!has('content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  const resolvedMethod = method ?? (head ? 'HEAD' : body !== null ? 'POST' : 'GET');
  return { method: resolvedMethod, url, headers, body, files, multipart, insecure, location, ignored };
}

/** The .http text for a curl command (Paste cURL as Request). */
export function curlToHttp(text: string): { text: string } | { error: string } {
  const r = parseCurl(text.trim());
  if ('error' in r) return r;
  const out: string[] = [];
  if (r.insecure) out.push('# @insecure');
  if (!r.location) out.push('# @no-redirect');
  out.push(`${r.method} ${r.url}`);
  for (const [n, v] of r.headers) out.push(`${n}: ${v}`);
  if (r.body !== null) out.push('', r.body);
  return { text: `${out.join('\n')}\n` };
}
