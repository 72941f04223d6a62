// What happens to a response after it arrived, as the .http file asks: `>> file` writes the body (JetBrains: a
// new file `name-1.ext` when it exists), `>>! file` overwrites; `<> file` (JetBrains) compares the response with
// a saved one and says so in a note. Paths are relative to the .http file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Exchange, Note } from '../shared/exchange';
import type { RequestBlock } from './types';

const MAX_NUMBERED = 1000;
const MAX_REFERENCE = 16 * 1024 * 1024;

function bodyBytes(ex: Exchange): Buffer | null {
  const b = ex.response?.body;
  if (!b) return null;
  if (b.base64 !== undefined) return Buffer.from(b.base64, 'base64');
  return typeof b.text === 'string' ? Buffer.from(b.text, 'utf8') : null;
}

/** A free name for `>>`: the name itself, or `name-1.ext`, `name-2.ext`… */
function freeName(file: string): string | null {
  if (!fs.existsSync(file)) return file;
  const ext = path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  for (let n = 1; n <= MAX_NUMBERED; n++) {
    const candidate = `${stem}-${n}${ext}`;
    if (!fs.existsSync(candidate)) return candidate;
  }
  return null;
}

export interface AfterResponse {
  /** File the body was written to. */
  written?: string;
  /** 0-based line and message when the redirect could not be done. */
  error?: { line: number; message: string };
}

/**
 * Writes the body for `>>` / `>>!` and adds a note per `<>` reference to the exchange. `baseDir` is the .http
 * file's directory. Never throws.
 */
export function handleResponseFiles(block: RequestBlock, ex: Exchange, baseDir: string): AfterResponse {
  const out: AfterResponse = {};
  for (const ref of block.responseReferences ?? []) ex.notes.push(compareNote(ref.path, baseDir, ex));
  const r = block.responseRedirect;
  if (!r) return out;
  const body = bodyBytes(ex);
  if (body === null) {
    out.error = { line: r.line, message: `>> ${r.path}: no response body to write${ex.error ? ` (${ex.error.code})` : ''}.` };
    return out;
  }
  if (r.path.includes('{{')) {
    out.error = { line: r.line, message: `>> ${r.path}: variables in the file name are not supported.` };
    return out;
  }
  const target = path.resolve(baseDir, r.path);
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const file = r.overwrite ? target : freeName(target);
    if (file === null) throw new Error(`more than ${MAX_NUMBERED} numbered copies exist`);
    fs.writeFileSync(file, body);
    out.written = file;
    ex.notes.push({
      id: 'response-redirect',
      subject: 'body',
      level: 'info',
      category: 'file',
      summary: `Body written to ${path.relative(baseDir, file) || file}`,
      detail: `${r.overwrite ? '>>!' : '>>'} ${r.path}: ${body.length} bytes written to ${file}${!r.overwrite && file !== target ? ` (${path.basename(target)} existed; >>! overwrites)` : ''}.`,
      reference: 'https://www.jetbrains.com/help/idea/http-response-handling-api-reference.html',
    });
  } catch (e) {
    out.error = { line: r.line, message: `>> ${r.path}: cannot write ${target}: ${e instanceof Error ? e.message : String(e)}` };
  }
  return out;
}

function compareNote(ref: string, baseDir: string, ex: Exchange): Note {
  const file = path.resolve(baseDir, ref);
  const base = {
    id: 'response-reference',
    subject: 'body',
    category: 'file',
    reference: 'https://www.jetbrains.com/help/idea/http-response-handling-examples.html',
  };
  let saved: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_REFERENCE)
      return { ...base, level: 'info', summary: `Saved response ${ref} is too large to compare`, detail: `${file} is ${st.size} bytes.` };
    saved = fs.readFileSync(file);
  } catch {
    return {
      ...base,
      level: 'info',
      summary: `Saved response ${ref} not found`,
      detail: `<> ${ref}: no file at ${file} to compare the response with.`,
    };
  }
  // JetBrains saves the whole response (status line, headers, body) in some files and the body alone in others:
  // compare with the body after the first blank line when the file starts with a status line.
  let savedBody = saved;
  const text = saved.toString('latin1');
  if (/^HTTP\/\d/.test(text)) {
    const at = text.search(/\r?\n\r?\n/);
    if (at >= 0) savedBody = saved.subarray(at + (text[at] === '\r' ? 4 : 2));
  }
  const body = bodyBytes(ex) ?? Buffer.alloc(0);
  const preview = savedBody.subarray(0, 2000).toString('utf8');
  if (body.equals(savedBody))
    return { ...base, level: 'good', summary: `Same body as the saved response ${ref}`, detail: `${savedBody.length} bytes, identical to ${file}.` };
  let at = 0;
  while (at < body.length && at < savedBody.length && body[at] === savedBody[at]) at++;
  return {
    ...base,
    level: 'info',
    summary: `Body differs from the saved response ${ref}`,
    detail: `The body (${body.length} bytes) differs from ${file} (${savedBody.length} bytes) from byte ${at} on. Saved response:\n${preview}${savedBody.length > 2000 ? '\n…' : ''}`,
  };
}
