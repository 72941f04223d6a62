// Shared by the corpus and fuzz tests: reads the Markdown corpus and records parser events as strings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResponseParser, type ParserOptions } from '../../../src/wire/parser';

export interface Case {
  file: string;
  name: string;
  input: Buffer;
  options: ParserOptions;
  eof: boolean;
  events: string[];
}

export const CORPUS_DIR = path.resolve(__dirname, '../../../../test/fixtures/parser');

/** `\r`, `\n`, `\t`, `\\` and `\xHH` escapes; everything else is taken as latin1 bytes. */
export function unescape(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      out.push(s.charCodeAt(i) & 0xff);
      continue;
    }
    const n = s[++i];
    if (n === 'r') out.push(13);
    else if (n === 'n') out.push(10);
    else if (n === 't') out.push(9);
    else if (n === '\\') out.push(92);
    else if (n === 'x') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else throw new Error(`bad escape \\${n}`);
  }
  return Buffer.from(out);
}

export function loadCorpus(): Case[] {
  const cases: Case[] = [];
  for (const file of fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()) {
    const text = fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
    for (const section of text.split(/^### /m).slice(1)) {
      const name = section.slice(0, section.indexOf('\n')).trim();
      const opt = /^options:(.*)$/m.exec(section);
      const options: ParserOptions = {};
      let eof = false;
      for (const o of (opt?.[1] ?? '').trim().split(/\s+/).filter(Boolean)) {
        const [k, v] = o.split('=');
        if (k === 'eof') eof = true;
        else if (k === 'method') options.method = v;
        else if (k === 'maxHeader') options.maxHeaderBytes = Number(v);
        else if (k === 'maxBody') options.maxBodyBytes = Number(v);
        else throw new Error(`${file}: ${name}: unknown option ${k}`);
      }
      const input = /```input\n([\s\S]*?)```/.exec(section);
      const events = /```events\n([\s\S]*?)```/.exec(section);
      if (!input || !events) throw new Error(`${file}: ${name}: needs input and events blocks`);
      cases.push({
        file,
        name,
        options,
        eof,
        input: unescape(input[1].split('\n').join('')),
        events: events[1]
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      });
    }
  }
  return cases;
}

const q = (s: string): string => JSON.stringify(s);

/** Feeds the pieces and returns the events, adjacent body pieces joined. */
export function run(pieces: Buffer[], options: ParserOptions, eof: boolean): string[] {
  const ev: string[] = [];
  let body: Buffer[] = [];
  const flush = (): void => {
    if (body.length) ev.push(`body ${q(Buffer.concat(body).toString('latin1'))}`);
    body = [];
  };
  const push = (s: string): void => {
    flush();
    ev.push(s);
  };
  const p = new ResponseParser(
    {
      onStatus: (v, s, r) => push(`status ${v} ${s} ${q(r)}`),
      onHeader: (n, v) => push(`header ${q(n)} ${q(v)}`),
      onHeadersComplete: (i) =>
        push(
          `headers-complete ${i.status} ${i.interim ? 'interim' : i.mode.kind === 'length' ? `length=${i.mode.length}` : i.mode.kind} @${i.offset}`,
        ),
      onChunkHeader: (size, ext, off) => push(`chunk ${size} ${q(ext)} @${off}`),
      onBody: (b) => {
        body.push(Buffer.from(b));
      },
      onTrailer: (n, v) => push(`trailer ${q(n)} ${q(v)}`),
      onMessageComplete: () => push('complete'),
      onNote: (c) => push(`note ${c}`),
      onError: (e) => push(`error ${e.code} ${e.phase} @${e.offset}`),
    },
    options,
  );
  for (const piece of pieces) p.execute(piece);
  if (eof) p.finish();
  flush();
  return ev;
}
