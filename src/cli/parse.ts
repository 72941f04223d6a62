// `wirelens parse FILE [--json]`: the document as written (variables unresolved). Exit 0 even with
// diagnostics; 2 when the file cannot be read or the arguments are wrong.
import * as fs from 'node:fs';
import { documentToJson, parseHttp } from '../language';
import type { CliIo } from './io';
import type { RequestBlock } from '../language';
import { toCurl } from '../view/curl';

/** A request as written, as a curl command: an origin-form target is put under its Host header. */
export function blockToCurl(r: RequestBlock): string {
  const host = r.headers.find((h) => h.name.toLowerCase() === 'host')?.value;
  let url = r.target;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('{{')) url = url.startsWith('/') && host ? `http://${host}${url}` : `http://${url}`;
  const single = r.includes.length === 1 && r.body?.trim() === `< ${r.includes[0].path}`;
  return toCurl({
    method: r.method,
    url,
    headers: r.headers.map((h) => [h.name, h.value]),
    body: r.body !== null && !single ? Buffer.from(r.body, 'utf8') : null,
    ...(single ? { bodyFile: r.includes[0].path } : {}),
    insecure: 'insecure' in r.metadata,
    location: !('no-redirect' in r.metadata),
    noDefaultContentType: true,
  });
}

const USAGE = `Usage: wirelens parse FILE [--json | --curl]

Prints the requests, file variables and diagnostics of an .http file, as written (variables unresolved).
  --json   machine-readable output: {"requests":[…],"variables":[…],"diagnostics":[…]}
  --curl   each request as a curl command line (variables left as {{…}}); a curl command parsed back
           gives the same request
`;

/** Files larger than this are refused rather than read into memory. */
const MAX_FILE = 256 * 1024 * 1024;

export async function runParse(args: string[], io: CliIo): Promise<number> {
  let file: string | null = null;
  let json = false;
  let curl = false;
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '--curl') curl = true;
    else if (a === '-h' || a === '--help') {
      io.stdout.write(USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr.write(`wirelens parse: unknown option ${a}\n\n${USAGE}`);
      return 2;
    } else if (file === null) file = a;
    else {
      io.stderr.write(`wirelens parse: one file at a time (got ${file} and ${a})\n`);
      return 2;
    }
  }
  if (file === null) {
    io.stderr.write(USAGE);
    return 2;
  }
  let text: string;
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (st.size > MAX_FILE) throw Object.assign(new Error(`larger than ${MAX_FILE} bytes`), { code: 'EFBIG' });
    text = await fs.promises.readFile(file, 'utf8');
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    io.stderr.write(`wirelens parse: cannot read ${file}${code ? ` (${code})` : ''}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const doc = parseHttp(text.replace(/^\uFEFF/, ''));
  if (json) {
    io.stdout.write(`${JSON.stringify(documentToJson(doc), null, 2)}\n`);
    return 0;
  }
  if (curl) {
    for (const r of doc.requests) {
      const label = r.name ?? r.title;
      io.stdout.write(`# line ${r.requestLine + 1}${label ? `: ${label}` : ''}\n${blockToCurl(r)}\n\n`);
    }
    for (const d of doc.diagnostics) if (d.severity === 'error') io.stderr.write(`${file}:${d.line + 1}: ${d.severity}: ${d.message}\n`);
    return 0;
  }
  for (const r of doc.requests) {
    const label = r.name ?? r.title;
    io.stdout.write(
      `${String(r.requestLine + 1).padStart(5)}  ${r.method} ${r.target}${r.httpVersion ? ` ${r.httpVersion}` : ''}${label ? `   # ${label}` : ''}\n`,
    );
  }
  if (doc.variables.length) io.stdout.write(`\n${doc.variables.length} file variable(s): ${doc.variables.map((v) => v.name).join(', ')}\n`);
  for (const d of doc.diagnostics) io.stdout.write(`${file}:${d.line + 1}: ${d.severity}: ${d.message}\n`);
  io.stdout.write(`${doc.requests.length} request(s)\n`);
  return 0;
}
