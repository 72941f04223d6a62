// XPath request variables (`{{name.response.body.//book/title}}`): the XML libraries load on the first use only,
// and the lookup works once they have.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseRequestVariable, readRequestVariable } from '../../../src/language/requestVariables';
import type { Exchange } from '../../../src/shared/exchange';
import { exchange } from './helpers';

const xmlExchange = (text: string): Exchange => exchange(text, [['Content-Type', 'application/xml']]);

describe('language: XPath request variables', () => {
  it('loading the module does not load the XML libraries; the first XPath does', () => {
    const mod = path.resolve(__dirname, '../../../src/language/requestVariables.js');
    const probe = `
      const loaded = () => Object.keys(require.cache).some((k) => k.includes('@xmldom') || k.includes('/xpath/'));
      const rv = require(${JSON.stringify(mod)});
      const before = loaded();
      rv.readRequestVariable(rv.parseRequestVariable('a.response.body.//b'), { response: { body: { text: '<a><b>1</b></a>' } } });
      process.stdout.write(JSON.stringify({ before, after: loaded() }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { before: false, after: true });
  });

  it('reads an element, an attribute, the first of several matches; bad XML and a bad XPath are errors that say so', () => {
    const ex = xmlExchange('<shelf><book id="b1"><title>Dune</title></book><book id="b2"><title>Emma</title></book></shelf>');
    const read = (expr: string) => readRequestVariable(parseRequestVariable(expr) ?? assert.fail(expr), ex);
    assert.deepEqual(read('books.response.body.//book[2]/title'), { value: 'Emma' });
    assert.deepEqual(read('books.response.body.//book[1]/@id'), { value: 'b1' });
    assert.deepEqual(read('books.response.body./shelf/book/title'), { value: 'Dune' }, 'the first match');
    const bad = readRequestVariable(parseRequestVariable('x.response.body.//a') ?? assert.fail(), xmlExchange('not <xml'));
    assert.ok('error' in bad && /not XML/.test(bad.error), JSON.stringify(bad));
    const badPath = read('books.response.body.//book[');
    assert.ok('error' in badPath && /bad XPath/.test(badPath.error), JSON.stringify(badPath));
  });
});
