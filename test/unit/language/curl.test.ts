// cURL in and out: the shell-word splitter, and parse → curl → parse giving the same request.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttp, type RequestBlock } from '../../../src/language';
import { curlToHttp, parseCurl, splitShellWords } from '../../../src/language/curl';
import { blockToCurl } from '../../../src/cli/parse';

const ROOT = path.resolve(__dirname, '../../../..');

function same(a: RequestBlock, b: RequestBlock): void {
  assert.equal(b.method, a.method);
  assert.equal(b.target, a.target);
  assert.deepEqual(
    b.headers.map((h) => [h.name, h.value]),
    a.headers.map((h) => [h.name, h.value]),
  );
  assert.equal(b.body, a.body);
  assert.equal('insecure' in b.metadata, 'insecure' in a.metadata);
  assert.equal('no-redirect' in b.metadata, 'no-redirect' in a.metadata);
}

const FILES = [
  'GET http://127.0.0.1:8080/a?b=1\nAccept: application/json\n',
  'POST http://127.0.0.1:8080/json\nContent-Type: application/json\nX-Q: it\'s "q"\n\n{"a": [1, 2], "s": "it\'s"}\n',
  '# @insecure\n# @no-redirect\nPUT https://localhost:8443/x\nAuthorization: Bearer {{token}}\n\nline 1\nline 2\n',
  'DELETE http://127.0.0.1:8080/item/{{id}}\n',
  'POST http://127.0.0.1:8080/raw\n\nno content type é\n',
  'HEAD http://127.0.0.1:8080/h\nX-Empty:\n',
  'POST http://127.0.0.1:8080/file\nContent-Type: application/octet-stream\n\n< ./blob.bin\n',
  "PATCH http://127.0.0.1:8080/tab\nX-Tab: a\tb\n\n$'weird' \\ back\\slash\n",
];

describe('language/curl', () => {
  it('splits words as a POSIX shell does', () => {
    assert.deepEqual(splitShellWords(`curl 'a b' "c \\"d\\" \\$e" $'f\\tg\\x41' h\\ i \\\n  j`), {
      words: ['curl', 'a b', 'c "d" $e', 'f\tgA', 'h i', 'j'],
    });
    assert.ok('error' in splitShellWords(`curl 'open`));
    assert.ok('error' in splitShellWords(`curl "open`));
  });

  it('reads the common options', () => {
    const r = parseCurl(`curl -XPATCH --url=http://127.0.0.1/x -H 'A: 1' -H 'Content-Type:' -d a=1 -d b=2 -u u:p -k -L`);
    assert.ok(!('error' in r));
    assert.equal(r.method, 'PATCH');
    assert.equal(r.url, 'http://127.0.0.1/x');
    assert.deepEqual(r.headers, [
      ['A', '1'],
      ['Authorization', `Basic ${Buffer.from('u:p').toString('base64')}`],
    ]);
    assert.equal(r.body, 'a=1&b=2');
    assert.ok(r.insecure && r.location);
  });

  for (const [i, text] of FILES.entries()) {
    it(`round-trips request ${i + 1}: parse → curl → parse gives the same request`, () => {
      const a = parseHttp(text).requests[0];
      const curl = blockToCurl(a);
      const back = parseHttp(`${curl}\n`);
      assert.deepEqual(
        back.diagnostics.filter((d) => d.severity === 'error'),
        [],
        curl,
      );
      same(a, back.requests[0]);
      // And Paste cURL as Request gives .http text that parses to it too.
      const pasted = curlToHttp(curl);
      assert.ok(!('error' in pasted));
      same(a, parseHttp(pasted.text).requests[0]);
    });
  }

  it('wirelens parse --curl prints each request as curl', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-curl-'));
    try {
      const file = path.join(dir, 'a.http');
      fs.writeFileSync(file, FILES.join('\n###\n'));
      const out = execFileSync(process.execPath, [cli, 'parse', '--curl', file], { encoding: 'utf8' });
      const commands = out
        .split(/^# line \d+.*$/m)
        .map((s) => s.trim())
        .filter(Boolean);
      assert.equal(commands.length, FILES.length);
      const original = parseHttp(FILES.join('\n###\n')).requests;
      commands.forEach((c, k) => same(original[k], parseHttp(`${c}\n`).requests[0]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
