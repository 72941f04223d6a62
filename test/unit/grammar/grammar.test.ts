// The TextMate grammar (syntaxes/http.tmLanguage.json), tokenized with vscode-textmate + vscode-oniguruma.
// Fixtures in test/fixtures/grammar/*.http carry assertions in the vscode-tmgrammar-test style:
//   a line `#   ^^^^ scope.one scope.two` asserts the columns under the carets of the nearest source line above
//   carry every listed scope; `# <- scope` asserts column 0; a leading `-` negates (`^^ -comment.line.http`).
// Assertion lines are tokenized too (as comments), so they must sit where a comment is harmless.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { parseHttp } from '../../../src/language';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/grammar');

let grammarPromise: Promise<textmate.IGrammar> | null = null;

function loadGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(path.join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        if (scopeName !== 'source.http') return null;
        const file = path.join(ROOT, 'syntaxes/http.tmLanguage.json');
        return textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      },
    });
    const g = await registry.loadGrammar('source.http');
    if (!g) throw new Error('grammar did not load');
    return g;
  })();
  return grammarPromise;
}

/** Scopes of each column of each line. */
async function tokenize(text: string): Promise<string[][][]> {
  const grammar = await loadGrammar();
  let state = textmate.INITIAL;
  const out: string[][][] = [];
  for (const line of text.split(/\r?\n/)) {
    const r = grammar.tokenizeLine(line, state);
    const cols: string[][] = [];
    for (const t of r.tokens) for (let c = t.startIndex; c < Math.max(t.endIndex, t.startIndex + 1) && c <= line.length; c++) cols[c] = t.scopes;
    out.push(cols);
    state = r.ruleStack;
  }
  return out;
}

interface Assertion {
  sourceLine: number;
  line: number;
  columns: number[];
  scopes: string[];
  negated: string[];
}

function assertionsOf(text: string): Assertion[] {
  const out: Assertion[] = [];
  let source = -1;
  text.split(/\r?\n/).forEach((l, i) => {
    const caret = /^#(\s*)(\^+)\s+(.+)$/.exec(l);
    const zero = /^#\s*<-\s+(.+)$/.exec(l);
    if (!caret && !zero) {
      source = i;
      return;
    }
    const words = (caret ? caret[3] : (zero?.[1] ?? '')).trim().split(/\s+/);
    const start = caret ? 1 + caret[1].length : 0;
    const columns = caret ? Array.from({ length: caret[2].length }, (_, k) => start + k) : [0];
    out.push({
      sourceLine: source,
      line: i,
      columns,
      scopes: words.filter((w) => !w.startsWith('-')),
      negated: words.filter((w) => w.startsWith('-')).map((w) => w.slice(1)),
    });
  });
  return out;
}

describe('grammar: source.http', () => {
  it('is valid JSON with the scope name the manifest expects', () => {
    const g = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/http.tmLanguage.json'), 'utf8')) as { scopeName: string };
    assert.equal(g.scopeName, 'source.http');
    const md = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/http.markdown.tmLanguage.json'), 'utf8')) as {
      scopeName: string;
      injectionSelector: string;
    };
    assert.equal(md.scopeName, 'markdown.http.codeblock');
    assert.match(md.injectionSelector, /text\.html\.markdown/);
  });

  for (const file of fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.http'))
    .sort()) {
    it(`tokenizes ${file} as asserted`, async () => {
      const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
      const tokens = await tokenize(text);
      const assertions = assertionsOf(text);
      assert.ok(assertions.length > 0, 'fixture has no assertions');
      const srcLines = text.split(/\r?\n/);
      for (const a of assertions) {
        for (const c of a.columns) {
          const scopes = tokens[a.sourceLine][c] ?? [];
          const where = `${file}:${a.line + 1} (line ${a.sourceLine + 1} col ${c}: ${JSON.stringify(srcLines[a.sourceLine].slice(c, c + 12))})`;
          for (const s of a.scopes) assert.ok(scopes.includes(s), `${where}: expected ${s} in [${scopes.join(', ')}]`);
          for (const s of a.negated) assert.ok(!scopes.includes(s), `${where}: did not expect ${s}`);
        }
      }
    });
  }

  it('marks the request line of every request that opens a ### block in the corpus', async () => {
    const dir = path.join(ROOT, 'test/fixtures/http/corpus');
    for (const f of fs.readdirSync(dir).sort()) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const doc = parseHttp(text);
      const opens = new Set([0, ...doc.separators.map((s) => s + 1)]);
      const tokens = await tokenize(text);
      const srcLines = text.split(/\r?\n/);
      for (const r of doc.requests.filter((q) => opens.has(q.startLine))) {
        const col = srcLines[r.requestLine].length - srcLines[r.requestLine].trimStart().length;
        const scopes = tokens[r.requestLine][col] ?? [];
        const want = r.methodWritten ? 'keyword.control.http' : 'markup.underline.link.url.http';
        assert.ok(scopes.includes(want), `${f}:${r.requestLine + 1}: expected ${want} in [${scopes.join(', ')}]`);
      }
    }
  });

  it('keeps tokenizing hostile lines (long, unterminated variables, garbage)', async () => {
    const t = await tokenize(['GET http://x/{{a', `X: ${'{{'.repeat(5000)}`, '\u0000\u0001\u0002', `POST http://x/${'a'.repeat(20000)}`].join('\n'));
    assert.equal(t.length, 4);
  });
});
