// Fuzz targets for the response parser and the .http parser, as fast-check properties. (Jazzer.js, the
// coverage-guided option, installs but its native fuzzer needs GLIBC 2.38, which this machine lacks; fast-check
// generates from the grammars below instead, which reaches the deep states random bytes rarely do.)
// Shared by the short fixed-seed run in `npm test` and the long run of `npm run fuzz`.
import * as fc from 'fast-check';
import { parseHttp } from '../../src/language';
import { ResponseParser } from '../../src/wire/parser';

export interface FuzzStats {
  target: string;
  executions: number;
  crashes: number;
  /** Executions slower than HANG_MS (the parsers are synchronous: a true hang would stop the run itself). */
  hangs: number;
  slowestMs: number;
  /** fast-check's report of the first failure, shrunk, with its seed and path to replay it. */
  failure: string | null;
}

export const HANG_MS = 1000;

// ---- the response parser ----

const TOKENS = [
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/0.9',
  'HTTP/2',
  ' ',
  '\t',
  '\r\n',
  '\n',
  '\r',
  ':',
  ';',
  '=',
  '"',
  '\\',
  ',',
  '200',
  '204',
  '100',
  '101',
  '304',
  '999',
  'OK',
  'Content-Length',
  'Transfer-Encoding',
  'chunked',
  'gzip',
  'Trailer',
  '0',
  '5',
  'a',
  'ff',
  'fffffffffffffffff',
  '-1',
  'x',
  '\x00',
  '\x7f',
  '\xff',
  'é',
];

/** Heads and bodies built from the pieces HTTP/1.x is made of, often nearly valid, sometimes exactly. */
const responseBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => Buffer.from(t.join(''), 'latin1')),
  fc
    .record({
      version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/0.9', 'HTTP/1.1 ', 'http/1.1'),
      status: fc.oneof(fc.integer({ min: 0, max: 999 }).map(String), fc.constantFrom('20x', '2000', '')),
      reason: fc.constantFrom('OK', '', ' Not Found', 'Très bien', 'x\x01'),
      headers: fc.array(
        fc.tuple(
          fc.constantFrom('Content-Length', 'Transfer-Encoding', 'X-A', 'Bad Name', ' folded', 'Trailer', ''),
          fc.constantFrom('0', '5', '3, 3', 'chunked', 'gzip, chunked', 'chunked, gzip', 'a\x00b', ''),
        ),
        { maxLength: 8 },
      ),
      chunks: fc.array(
        fc.tuple(
          fc.constantFrom('0', '1', '5', 'a', 'A', 'zz', '2;', '3;a=b', '4;q="x;y"', '5;q="open', '6  ', '7 ; n = v'),
          fc.string({ maxLength: 12 }),
        ),
        { maxLength: 6 },
      ),
      trailers: fc.array(fc.constantFrom('X-T: 1', 'bad trailer', 'Y:'), { maxLength: 3 }),
      eol: fc.constantFrom('\r\n', '\n'),
    })
    .map((r) => {
      const e = r.eol;
      const head = `${r.version} ${r.status}${r.reason === '' ? '' : ` ${r.reason}`}${e}${r.headers.map(([n, v]) => `${n}: ${v}${e}`).join('')}${e}`;
      const body =
        r.chunks.map(([size, data]) => `${size}${e}${data}${e}`).join('') +
        (r.chunks.length ? `0${e}${r.trailers.map((t) => `${t}${e}`).join('')}${e}` : 'body');
      return Buffer.from(head + body, 'latin1');
    }),
);

/** The events of one parse, as strings; body pieces joined (the split must not change them). */
function parseEvents(
  input: Buffer,
  splits: number[],
  method: string,
  maxHeaderBytes: number,
  maxBodyBytes: number | undefined,
): { events: string[]; finished: boolean } {
  const ev: string[] = [];
  let body = '';
  const flush = (): void => {
    if (body) {
      ev.push(`body ${body}`);
      body = '';
    }
  };
  const push = (s: string): void => {
    flush();
    ev.push(s);
  };
  const p = new ResponseParser(
    {
      onStatus: (v, s, r) => push(`status ${v} ${s} ${r}`),
      onHeader: (n, v) => push(`header ${n}: ${v}`),
      onHeadersComplete: (i) => push(`head ${i.status} ${i.interim} ${JSON.stringify(i.mode)} @${i.offset}`),
      onChunkHeader: (s, x, o) => push(`chunk ${s} ${x} @${o}`),
      onBody: (b) => {
        body += b.toString('latin1');
      },
      onTrailer: (n, v) => push(`trailer ${n}: ${v}`),
      onMessageComplete: () => push('complete'),
      onNote: (c) => push(`note ${c}`),
      onError: (e) => push(`error ${e.code} ${e.phase} @${e.offset}`),
    },
    { method, maxHeaderBytes, maxBodyBytes },
  );
  let at = 0;
  for (const s of [...splits.map((x) => Math.min(x, input.length)).sort((a, b) => a - b), input.length]) {
    if (s > at) {
      p.execute(input.subarray(at, s));
      at = s;
    }
  }
  p.finish();
  flush();
  return { events: ev, finished: p.finished };
}

export function responseParserProperty(): fc.IPropertyWithHooks<[Buffer, number[], string, number, boolean]> {
  return fc.property(
    responseBytes,
    fc.array(fc.nat({ max: 500 }), { maxLength: 4 }),
    fc.constantFrom('GET', 'HEAD'),
    fc.constantFrom(64, 256, 4096),
    fc.boolean(),
    (input, splits, method, maxHead, limitBody) => {
      const maxBody = limitBody ? 16 : undefined;
      const whole = parseEvents(input, [], method, maxHead, maxBody);
      const split = parseEvents(input, splits, method, maxHead, maxBody);
      // Always ends; never more events than the input can justify; and the same events however the bytes arrive.
      if (!whole.finished || !split.finished) throw new Error('the parser neither completed nor failed');
      if (whole.events.length > input.length * 2 + 8) throw new Error(`${whole.events.length} events for ${input.length} bytes`);
      if (JSON.stringify(whole.events) !== JSON.stringify(split.events))
        throw new Error(`split ${JSON.stringify(splits)} changed the events:\n${whole.events.join('\n')}\n---\n${split.events.join('\n')}`);
    },
  );
}

// ---- the .http parser ----

const HTTP_PIECES = [
  'GET ',
  'POST ',
  'http://127.0.0.1/',
  'https://{{host}}/x',
  '{{',
  '}}',
  '{{$guid}}',
  '{{%t}}',
  '@name = v\n',
  '# @name n\n',
  '# @prompt p\n',
  '# @timeout x\n',
  '# @max-time 5s\n',
  '###\n',
  '### title\n',
  '\n',
  '\r\n',
  'Content-Type: application/json\n',
  'X: {{a}}\n',
  '< ./f.json\n',
  '<@ ./f\n',
  '> {% client.test() %}\n',
  '{"a": 1}\n',
  '--boundary\n',
  'HTTP/1.1\n',
  '?a=1\n',
  '&b=2\n',
  '    ',
  '\t',
  '// c\n',
  '# c\n',
  'query {\n',
  '}\n',
  '\u0000',
  'é',
  '\ud800',
];

const httpText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fc.constantFrom(...HTTP_PIECES), { maxLength: 60 }).map((p) => p.join('')),
);

export function httpParserProperty(): fc.IPropertyWithHooks<[string]> {
  return fc.property(httpText, (text) => {
    const doc = parseHttp(text);
    // Tolerant: a document always comes back, and everything it points at lies inside the text.
    const lines = text.split(/\r?\n|\r/).length;
    if (doc.lineCount > lines + 1) throw new Error(`lineCount ${doc.lineCount} for ${lines} lines`);
    for (const d of doc.diagnostics) if (d.line < 0 || d.line > lines) throw new Error(`diagnostic on line ${d.line} of ${lines}`);
    for (const r of doc.requests) if (r.requestLine < 0 || r.requestLine > lines) throw new Error(`request line ${r.requestLine} of ${lines}`);
  });
}

/** Runs one property for `numRuns` executions with `seed`, timing each, and reports. */
export function runTarget(target: string, prop: fc.IPropertyWithHooks<unknown[]>, seed: number, numRuns: number): FuzzStats {
  let executions = 0;
  let hangs = 0;
  let slowest = 0;
  const timed = prop
    .beforeEach((prev) => {
      prev();
      executions++;
      t0 = performance.now();
    })
    .afterEach((prev) => {
      prev();
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      if (ms > HANG_MS) hangs++;
    });
  let t0 = 0;
  const details = fc.check(timed, { seed, numRuns });
  return {
    target,
    executions,
    crashes: details.failed ? 1 : 0,
    hangs,
    slowestMs: slowest,
    failure: details.failed ? (fc.defaultReportMessage(details) ?? 'failed') : null,
  };
}

export const TARGETS: { name: string; property: () => fc.IPropertyWithHooks<unknown[]> }[] = [
  { name: 'response parser', property: responseParserProperty as () => fc.IPropertyWithHooks<unknown[]> },
  { name: '.http parser', property: httpParserProperty as () => fc.IPropertyWithHooks<unknown[]> },
];
