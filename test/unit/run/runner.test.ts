// The run model on plain Node against a loopback node:http server: the one name rule, dependency order,
// a dependency sent first for a selection, @loop, @disabled, globals across requests, client.exit().
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseHttp } from '../../../src/language';
import { RunState, requestName, runRequests } from '../../../src/run';

describe('run: the run model', function () {
  this.timeout(60000);
  let server: http.Server;
  let base: string;
  const seen: string[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.setHeader('Content-Type', 'application/json');
      res.end(req.url === '/login' ? '{"token":"t-1"}' : JSON.stringify({ url: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    seen.length = 0;
  });

  it('names a request by # @name, else by a one-word ### title', () => {
    const doc = parseHttp('### login\nGET http://x.test/\n###\n# @name other\nGET http://x.test/\n### Log in as Ada\nGET http://x.test/\n');
    assert.deepEqual(doc.requests.map(requestName), ['login', 'other', null]);
  });

  it('sends a ### login that a later request reads first, and again for a selection that needs it', async () => {
    const text = `### me\nGET ${base}/me\nAuthorization: Bearer {{login.response.body.$.token}}\n\n### login\nPOST ${base}/login\n`;
    const doc = parseHttp(text);
    const state = new RunState();
    const all = await runRequests({ doc, context: {}, state });
    assert.deepEqual(
      all.results.map((r) => r.name),
      ['login', 'me'],
    );
    assert.deepEqual(seen, ['POST /login ', 'GET /me Bearer t-1']);
    // A fresh state and only `me` selected: its dependency is sent first.
    seen.length = 0;
    const one = await runRequests({ doc, selection: [doc.requests[0]], context: {}, state: new RunState() });
    assert.deepEqual(
      one.results.map((r) => r.name),
      ['login', 'me'],
    );
    // The state already answers it: only `me` goes.
    seen.length = 0;
    await runRequests({ doc, selection: [doc.requests[0]], context: {}, state });
    assert.deepEqual(seen, ['GET /me Bearer t-1']);
    await state.dispose();
  });

  it('loops, skips @disabled, carries globals, and stops at client.exit()', async () => {
    const text = [
      `# @loop for id of [1, "b"]`,
      `GET ${base}/item/{{id}}/{{$index}}`,
      '',
      '###',
      '# @disabled',
      `GET ${base}/never`,
      '',
      '###',
      `GET ${base}/set`,
      '',
      '> {% client.global.set("g", "v1"); %}',
      '',
      '###',
      `GET ${base}/use/{{g}}`,
      '',
      '> {% client.exit(); %}',
      '',
      '###',
      `GET ${base}/after`,
      '',
    ].join('\n');
    const state = new RunState();
    const out = await runRequests({ doc: parseHttp(text), context: {}, state });
    assert.deepEqual(
      seen.map((s) => s.trim()),
      ['GET /item/1/0', 'GET /item/b/1', 'GET /set', 'GET /use/v1'],
    );
    assert.deepEqual(
      out.results.map((r) => [r.iteration, r.skipped]),
      [
        [0, null],
        [1, null],
        [null, '@disabled'],
        [null, null],
        [null, null],
        [null, 'not run: a script called client.exit()'],
      ],
    );
    assert.equal(out.exited, true);
    assert.equal(state.globals.get('g'), 'v1');
    await state.dispose();
  });
});
