// Send All order: document order, with the named requests a request reads sent before it.
import * as assert from 'node:assert/strict';
import { parseHttp, requestDependencies, sendOrder } from '../../../src/language';
import { lines } from './helpers';

const order = (text: string): string[] => sendOrder(parseHttp(text)).map((r) => r.target);

describe('language: send order', () => {
  it('keeps document order when nothing depends on a later request', () => {
    assert.deepEqual(
      order(lines('GET http://x.test/a', '###', '# @name b', 'GET http://x.test/b', '###', 'GET http://x.test/{{b.response.body.$.id}}')),
      ['http://x.test/a', 'http://x.test/b', 'http://x.test/{{b.response.body.$.id}}'],
    );
  });

  it('sends a named request first when an earlier request reads it, directly or through file variables', () => {
    const text = lines(
      '@token = {{login.response.body.$.token}}',
      '@auth = Bearer {{token}}',
      '### me',
      'GET http://x.test/me',
      'Authorization: {{auth}}',
      '### items',
      'GET http://x.test/items/{{me.response.body.$.id}}',
      '### login',
      '# @name login',
      'POST http://x.test/login',
    );
    assert.deepEqual(order(text), ['http://x.test/login', 'http://x.test/me', 'http://x.test/items/{{me.response.body.$.id}}']);
    const doc = parseHttp(text);
    assert.deepEqual(requestDependencies(doc, doc.requests[0]), ['login']);
  });

  it('sends each request once and falls back to document order on a cycle', () => {
    const text = lines(
      '# @name a',
      'GET http://x.test/{{b.response.headers.X}}',
      '###',
      '# @name b',
      'GET http://x.test/{{a.response.headers.X}}',
      '###',
      'GET http://x.test/c',
    );
    assert.deepEqual(order(text), ['http://x.test/{{a.response.headers.X}}', 'http://x.test/{{b.response.headers.X}}', 'http://x.test/c']);
    // A request that reads itself, and a cyclic file variable, do not loop.
    assert.deepEqual(order(lines('@v = {{v}}', '# @name s', 'GET http://x.test/{{s.response.body.*}}/{{v}}')), [
      'http://x.test/{{s.response.body.*}}/{{v}}',
    ]);
  });

  it('stays bounded on a long chain of requests that each read the next one', () => {
    const parts: string[] = [];
    const n = 3000;
    for (let i = 0; i < n; i++) parts.push(`### r${i}`, `# @name r${i}`, `GET http://x.test/${i}/{{r${i + 1}.response.body.*}}`);
    const sent = sendOrder(parseHttp(lines(...parts)));
    assert.equal(sent.length, n);
    assert.equal(new Set(sent).size, n);
  });
});
