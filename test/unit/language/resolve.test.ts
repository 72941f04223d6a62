// Resolution: variables with REST Client precedence, environments, request variables, bodies, safety checks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHttp, resolveRequest, type ResolveContext, type ResolveResult } from '../../../src/language';
import type { Exchange } from '../../../src/shared/exchange';
import type { BodyPart } from '../../../src/shared/request';
import { exchange, lines } from './helpers';

async function resolveFirst(text: string, ctx: ResolveContext = {}, index = 0): Promise<ResolveResult> {
  const doc = parseHttp(text);
  return resolveRequest(doc, doc.requests[index], ctx);
}

function bodyText(parts: BodyPart[] | null): string {
  return (parts ?? []).map((p) => (p.kind === 'bytes' ? Buffer.from(p.data).toString('utf8') : `<file:${p.path}>`)).join('');
}

describe('language: resolve', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wirelens-lang-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('substitutes file variables that reference each other', async () => {
    const { request, errors } = await resolveFirst(
      lines('@host = example.test', '@base = https://{{host}}/api', 'GET {{base}}/users?x={{host}}', 'X-Host: {{host}}'),
    );
    assert.deepEqual(errors, []);
    assert.equal(request?.url, 'https://example.test/api/users?x=example.test');
    assert.deepEqual(request?.headers, [['X-Host', 'example.test']]);
    assert.equal(request?.httpVersion, '', 'none written');
  });

  it('reads REST Client backslash escapes in file variable values, and uses variables defined after a request', async () => {
    const text = lines(
      '@greeting = line1\\nline2\\t\\\\x\\q {{name}}',
      '@name = a\\nb',
      'POST http://x.test/',
      '',
      '{{greeting}}',
      '',
      '@late = 42',
      '',
      '###',
      'GET http://x.test/{{late}}',
      'X-Bad: {{greeting}}',
    );
    const first = await resolveFirst(text);
    assert.deepEqual(first.errors, []);
    assert.equal(bodyText(first.request?.body ?? null), 'line1\nline2\t\\xq a\nb');
    // The resolved newline cannot reach a header; the variable defined after the first request is known.
    const second = await resolveFirst(text, {}, 1);
    assert.equal(second.request, null);
    assert.match(second.errors[0].message, /header injection/);
    assert.equal(second.errors.length, 1);
  });

  it('reports a variable cycle as an error, without hanging', async () => {
    const { request, errors } = await resolveFirst(lines('@a = {{b}}', '@b = {{c}}', '@c = {{a}}', 'GET http://x.test/{{a}}'));
    assert.equal(request, null);
    assert.match(errors[0].message, /cycle/);
  });

  it('refuses a self-referencing variable and exponential chains stay bounded', async () => {
    const defs = ['@v0 = xxxxxxxxxxxxxxxx'];
    for (let i = 1; i < 40; i++) defs.push(`@v${i} = {{v${i - 1}}}{{v${i - 1}}}`);
    const { request, errors } = await resolveFirst(lines(...defs, '@self = {{self}}', 'GET http://x.test/{{v39}}'));
    assert.equal(request, null);
    assert.match(errors[0].message, /longer than/);
    const self = await resolveFirst(lines('@self = a{{self}}', 'GET http://x.test/{{self}}'));
    assert.match(self.errors[0].message, /cycle/);
  });

  it('never leaves {{x}} on the wire: unknown variables are errors with their line', async () => {
    const { request, errors } = await resolveFirst(lines('POST http://x.test/', 'A: {{nope}}', '', '{"a": "{{missing}}"}'));
    assert.equal(request, null);
    assert.deepEqual(
      errors.map((e) => e.line),
      [1, 3],
    );
    assert.match(errors[0].message, /Unknown variable \{\{nope\}\}/);
  });

  it('uses environments: selected over $shared, file variables over environments', async () => {
    const settingsEnvironments = { $shared: { host: 'shared.test', version: 'v1' }, dev: { host: 'dev.test' }, prod: { host: 'prod.test' } };
    const text = lines('@fileWins = file', '@who = me', 'GET http://{{host}}/{{version}}/{{who}}', 'X: {{fileWins}}');
    const dev = await resolveFirst(text, {
      settingsEnvironments: { ...settingsEnvironments, dev: { host: 'dev.test', fileWins: 'env' } },
      environment: 'dev',
    });
    assert.equal(dev.request?.url, 'http://dev.test/v1/me');
    assert.deepEqual(dev.request?.headers, [['X', 'file']]);
    const none = await resolveFirst(text, { settingsEnvironments, environment: null });
    assert.equal(none.request?.url, 'http://shared.test/v1/me');
  });

  it("resolves REST Client's {{$shared name}} inside environment values", async () => {
    const settingsEnvironments = { $shared: { host: 'shared.test' }, dev: { host: 'dev.test', url: 'http://{{$shared host}}/x' } };
    const { request, errors } = await resolveFirst('GET {{url}}', { settingsEnvironments, environment: 'dev' });
    assert.deepEqual(errors, []);
    assert.equal(request?.url, 'http://shared.test/x');
    assert.match((await resolveFirst('GET http://x.test/{{$shared nope}}', { settingsEnvironments })).errors[0].message, /not in \$shared/);
  });

  it('reads http-client.env.json and the private file (private wins, values become secrets)', async () => {
    const sub = path.join(dir, 'envs', 'nested');
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'envs', 'http-client.env.json'),
      JSON.stringify({ $shared: { api: 'http://127.0.0.1:1' }, local: { user: 'ann', token: 'public-placeholder', port: 8080 } }),
    );
    fs.writeFileSync(path.join(dir, 'envs', 'http-client.private.env.json'), JSON.stringify({ local: { token: 's3cret' } }));
    const { request, errors } = await resolveFirst(lines('GET {{api}}/{{user}}:{{port}}', 'Authorization: Bearer {{token}}'), {
      filePath: path.join(sub, 'a.http'),
      environment: 'local',
    });
    assert.deepEqual(errors, []);
    assert.equal(request?.url, 'http://127.0.0.1:1/ann:8080');
    assert.deepEqual(request?.headers, [['Authorization', 'Bearer s3cret']]);
    assert.deepEqual(request?.secrets, ['s3cret']);
  });

  it('reads request variables from the last exchange of a named request', async () => {
    const responses = new Map<string, Exchange>([
      [
        'login',
        exchange(
          '{"token":"T0K","user":{"id":7},"list":[1,2]}',
          [
            ['Location', '/next'],
            ['Set-Cookie', 'a=1'],
            ['set-cookie', 'b=2'],
          ],
          'user=ann',
        ),
      ],
    ]);
    const text = lines(
      'GET http://x.test/{{login.response.body.$.user.id}}',
      'A: {{login.response.body.$.token}}',
      'B: {{login.response.headers.location}}',
      'C: {{login.response.headers.Set-Cookie}}',
      'D: {{login.request.body.*}}',
      'E: {{login.request.headers.X-Req}}',
      'F: {{login.response.body.user.id}}',
      'G: {{login.response.body.$.list}}',
    );
    const { request, errors } = await resolveFirst(text, { responses });
    assert.deepEqual(errors, []);
    assert.equal(request?.url, 'http://x.test/7');
    assert.deepEqual(request?.headers, [
      ['A', 'T0K'],
      ['B', '/next'],
      ['C', 'a=1, b=2'],
      ['D', 'user=ann'],
      ['E', 'r1'],
      ['F', '7'],
      ['G', '[1,2]'],
    ]);
  });

  it('explains request variables that cannot be read', async () => {
    const notSent = await resolveFirst('GET http://x.test/{{login.response.body.$.token}}');
    assert.match(notSent.errors[0].message, /has not been sent yet/);
    const responses = new Map([['login', exchange('plain text')]]);
    const notJson = await resolveFirst('GET http://x.test/{{login.response.body.$.token}}', { responses });
    assert.match(notJson.errors[0].message, /not JSON/);
    const noMatch = await resolveFirst('GET http://x.test/{{login.response.body.$.nope}}', { responses: new Map([['login', exchange('{}')]]) });
    assert.match(noMatch.errors[0].message, /matched nothing/);
  });

  it('refuses CR/LF from a variable in the request line or a header', async () => {
    const settingsEnvironments = { $shared: { evil: 'a\r\nX-Injected: 1', path: '/a\nb' } };
    const h = await resolveFirst(lines('GET http://x.test/', 'X-Test: {{evil}}'), { settingsEnvironments });
    assert.equal(h.request, null);
    assert.match(h.errors[0].message, /CR, LF or NUL.*header injection/);
    const t = await resolveFirst('GET http://x.test{{path}}', { settingsEnvironments });
    assert.equal(t.request, null);
    assert.match(t.errors[0].message, /request target/);
    const n = await resolveFirst(lines('GET http://x.test/', '{{name}}: v'), { settingsEnvironments: { $shared: { name: 'X-A: 1' } } });
    assert.equal(n.request, null);
    assert.match(n.errors[0].message, /not a valid field name/);
    const ok = await resolveFirst(lines('GET http://x.test/', 'X-{{name}}: v'), { settingsEnvironments: { $shared: { name: 'Trace' } } });
    assert.deepEqual(ok.request?.headers, [['X-Trace', 'v']]);
  });

  it('builds absolute URLs: origin-form with Host, scheme-less targets, bad schemes', async () => {
    assert.equal((await resolveFirst(lines('GET /a?b=1', 'Host: example.test:8080'))).request?.url, 'http://example.test:8080/a?b=1');
    assert.equal((await resolveFirst(lines('GET /a', 'Host: example.test:443'))).request?.url, 'https://example.test:443/a');
    assert.match((await resolveFirst('GET /a')).errors[0].message, /needs a Host header/);
    assert.equal((await resolveFirst('POST 127.0.0.1:1378/api/urls HTTP/1.1')).request?.url, 'http://127.0.0.1:1378/api/urls');
    assert.match((await resolveFirst('GET ftp://x.test/')).errors[0].message, /Only http/);
  });

  it("follows REST Client's URL shorthands: :port/path for localhost, Host port 8443 means https", async () => {
    assert.equal((await resolveFirst('GET :8080/api?x=1')).request?.url, 'http://localhost:8080/api?x=1');
    assert.equal((await resolveFirst('GET :8443/api')).request?.url, 'https://localhost:8443/api');
    assert.equal((await resolveFirst('GET :/api')).request?.url, 'http://localhost:80/api');
    assert.equal((await resolveFirst(':3000/health')).request?.url, 'http://localhost:3000/health');
    assert.equal(parseHttp(':3000/health').requests[0].method, 'GET');
    assert.equal((await resolveFirst(lines('GET /a', 'Host: example.test:8443'))).request?.url, 'https://example.test:8443/a');
  });

  it('does not send X-Request-Type: GraphQL (it only tells how to build the body), as REST Client does', async () => {
    const { request } = await resolveFirst(
      lines('POST http://x.test/graphql', 'X-Request-Type: GraphQL', 'Authorization: Bearer t', '', 'query { a }'),
    );
    assert.deepEqual(request?.headers, [
      ['Authorization', 'Bearer t'],
      ['Content-Type', 'application/json'],
    ]);
  });

  it('finds a < include relative to the .http file first, then to the workspace folder', async () => {
    const ws = path.join(dir, 'inc-ws');
    fs.mkdirSync(path.join(ws, 'api', 'data'), { recursive: true });
    fs.mkdirSync(path.join(ws, 'data'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'data', 'root.json'), 'ROOT');
    fs.writeFileSync(path.join(ws, 'api', 'data', 'local.json'), 'LOCAL');
    fs.writeFileSync(path.join(ws, 'data', 'local.json'), 'SHADOWED');
    const ctx: ResolveContext = { filePath: path.join(ws, 'api', 'req.http'), workspaceRoot: ws };
    const r = await resolveFirst(lines('POST http://x.test/', '', '< ./data/root.json'), ctx);
    assert.deepEqual(r.request?.body, [{ kind: 'file', path: path.join(ws, 'data', 'root.json') }]);
    const l = await resolveFirst(lines('POST http://x.test/', '', '< data/local.json'), ctx);
    assert.deepEqual(l.request?.body, [{ kind: 'file', path: path.join(ws, 'api', 'data', 'local.json') }]);
    const missing = await resolveFirst(lines('POST http://x.test/', '', '< nope.json'), ctx);
    assert.match(missing.errors[0].message, /Body file not found: nope\.json \(looked at .* and .*\)/);
  });

  it('sends the body exactly as written and streams < includes from disk', async () => {
    const file = path.join(dir, 'payload.bin');
    fs.writeFileSync(file, 'BINARY');
    fs.writeFileSync(path.join(dir, 'tpl.json'), '{"user": "{{user}}"}');
    const text = 'POST http://x.test/\r\nContent-Type: text/plain\r\n\r\nfirst\r\n< ./payload.bin\nlast {{user}}\r\n';
    const ctx: ResolveContext = { filePath: path.join(dir, 'req.http'), settingsEnvironments: { $shared: { user: 'ann' } } };
    const { request } = await resolveFirst(text, ctx);
    assert.deepEqual(
      request?.body?.map((p) => p.kind),
      ['bytes', 'file', 'bytes'],
    );
    assert.equal(bodyText(request?.body ?? null), `first\r\n<file:${file}>\nlast ann`);
    const tpl = await resolveFirst(lines('POST http://x.test/', '', '<@ ./tpl.json'), ctx);
    assert.equal(bodyText(tpl.request?.body ?? null), '{"user": "ann"}');
    const missing = await resolveFirst(lines('POST http://x.test/', '', '< ./nope.bin'), ctx);
    assert.match(missing.errors[0].message, /Body file not found/);
  });

  it('normalises multipart bodies to CRLF and includes files as parts', async () => {
    fs.writeFileSync(path.join(dir, 'a.txt'), 'hello');
    const text = lines(
      'POST http://x.test/upload',
      'Content-Type: multipart/form-data; boundary=XX',
      '',
      '--XX',
      'Content-Disposition: form-data; name="t"',
      '',
      'value',
      '--XX',
      'Content-Disposition: form-data; name="f"; filename="a.txt"',
      '',
      '< ./a.txt',
      '--XX--',
    );
    const { request } = await resolveFirst(text, { filePath: path.join(dir, 'x.http') });
    assert.equal(
      bodyText(request?.body ?? null),
      `--XX\r\nContent-Disposition: form-data; name="t"\r\n\r\nvalue\r\n--XX\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\n<file:${path.join(dir, 'a.txt')}>\r\n--XX--`,
    );
  });

  it('joins form bodies continued on lines starting with & (REST Client), and leaves other bodies alone', async () => {
    const form = await resolveFirst(
      lines('POST http://x.test/login', 'Content-Type: application/x-www-form-urlencoded', '', 'name=foo', '&password={{pw}}', '  &remember=1'),
      { settingsEnvironments: { $shared: { pw: 'bar' } } },
    );
    assert.deepEqual(form.errors, []);
    assert.equal(bodyText(form.request?.body ?? null), 'name=foo&password=bar&remember=1');
    const text = await resolveFirst(lines('POST http://x.test/', 'Content-Type: text/plain', '', 'a=1', '&b=2'));
    assert.equal(bodyText(text.request?.body ?? null), 'a=1\n&b=2');
  });

  it('turns GraphQL bodies into {query, variables, operationName} JSON', async () => {
    const text = lines(
      'POST http://x.test/graphql',
      'X-Request-Type: GraphQL',
      '',
      'query Person($id: ID) {',
      '  person(id: $id) {',
      '',
      '    name',
      '  }',
      '}',
      '',
      '{',
      '  "id": "{{id}}"',
      '}',
    );
    const { request, errors } = await resolveFirst(text, { settingsEnvironments: { $shared: { id: '42' } } });
    assert.deepEqual(errors, []);
    const json = JSON.parse(bodyText(request?.body ?? null)) as Record<string, unknown>;
    assert.deepEqual(json, {
      query: 'query Person($id: ID) {\n  person(id: $id) {\n\n    name\n  }\n}',
      operationName: 'Person',
      variables: { id: '42' },
    });
    assert.deepEqual(request?.headers.at(-1), ['Content-Type', 'application/json']);
    const noVars = await resolveFirst(
      lines('POST http://x.test/graphql', 'X-Request-Type: GraphQL', 'Content-Type: application/graphql+json', '', '{ viewer { login } }'),
    );
    assert.deepEqual(JSON.parse(bodyText(noVars.request?.body ?? null)), { query: '{ viewer { login } }' });
  });

  it('maps metadata to options', async () => {
    const { request } = await resolveFirst(
      lines('# @name login', '# @no-redirect', '# @insecure', '# @timeout 2 s', '# @no-cookie-jar', 'GET https://x.test/'),
    );
    assert.equal(request?.name, 'login');
    assert.deepEqual(request?.options, { followRedirects: false, insecure: true, timeoutMs: 2000, noCookieJar: true });
    const plain = await resolveFirst('GET https://x.test/');
    assert.deepEqual(plain.request?.options, {});
  });

  it('asks for confirmation before a # @note request, and does not send it when declined', async () => {
    const text = lines('# @note deletes everything', '# @prompt id', 'DELETE http://x.test/all/{{id}}');
    const asked: string[] = [];
    let prompted = 0;
    const ctx = (answer: boolean): ResolveContext => ({
      confirm: async ({ block, note }) => {
        asked.push(`${block.method} ${note}`);
        return answer;
      },
      prompt: async () => {
        prompted++;
        return '7';
      },
    });
    const no = await resolveFirst(text, ctx(false));
    assert.equal(no.request, null);
    assert.match(no.errors[0].message, /@note: not sent/);
    assert.equal(no.errors[0].line, 0);
    assert.equal(prompted, 0, 'no prompt after a refusal');
    const yes = await resolveFirst(text, ctx(true));
    assert.equal(yes.request?.url, 'http://x.test/all/7');
    assert.deepEqual(asked, ['DELETE deletes everything', 'DELETE deletes everything']);
    // Without a confirm function (the CLI) it is sent as is; requests without @note are never asked about.
    assert.ok((await resolveFirst(text, { promptValues: { id: '1' } })).request);
    await resolveFirst('GET http://x.test/', ctx(false));
    assert.equal(asked.length, 2);
  });

  it('asks for @prompt values, masks secret-looking ones, and stops when cancelled', async () => {
    const text = lines('# @prompt user', '# @prompt password Your password', 'GET http://x.test/{{user}}', 'Authorization: Basic {{password}}');
    const asked: string[] = [];
    const { request } = await resolveFirst(text, {
      prompt: async (p) => {
        asked.push(`${p.name}:${p.secret}`);
        return p.name === 'user' ? 'ann' : 'pw';
      },
    });
    assert.deepEqual(asked, ['user:false', 'password:true']);
    assert.equal(request?.url, 'http://x.test/ann');
    assert.deepEqual(request?.secrets, ['pw']);
    const cancelled = await resolveFirst(text, { prompt: async () => undefined });
    assert.match(cancelled.errors[0].message, /cancelled/);
    const given = await resolveFirst(text, { promptValues: { user: 'bob', password: 'x' } });
    assert.equal(given.request?.url, 'http://x.test/bob');
    const none = await resolveFirst(text);
    assert.equal(none.request, null);
  });

  it('keeps {{%name}} URL-encoded and $processEnv / $dotenv from their sources', async () => {
    fs.writeFileSync(path.join(dir, '.env'), 'DOT_USER="dot user"\nexport OTHER=x # comment\n');
    const ctx: ResolveContext = {
      filePath: path.join(dir, 'a.http'),
      processEnv: { MY_HOST: 'env.test', POINTER: 'MY_HOST' },
      settingsEnvironments: { $shared: { q: 'a b&c', which: 'MY_HOST' } },
    };
    const { request, errors } = await resolveFirst(
      lines('GET http://{{$processEnv MY_HOST}}/{{%q}}', 'A: {{$dotenv DOT_USER}}', 'B: {{$dotenv OTHER}}', 'C: {{$processEnv %which}}'),
      ctx,
    );
    assert.deepEqual(errors, []);
    assert.equal(request?.url, 'http://env.test/a%20b%26c');
    assert.deepEqual(request?.headers, [
      ['A', 'dot user'],
      ['B', 'x'],
      ['C', 'env.test'],
    ]);
  });
});
