// The run model's file features in a real VS Code: httpyac `# @import` and `# @ref` (a named request in another
// file sent first, its response read by the request that refers to it), and `>> file` / `>>! file` (the body
// written next to the .http file). Send Request, Send All and the Test Explorer all go through the run model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestSource } from '../../../src/editor/sendCommands';
import { api, closeAllEditors, openScratch, waitFor, workspaceRoot } from '../support/workbench';

describe('run model in the editor: @import, @ref and >> file', function () {
  this.timeout(120_000);
  let server: http.Server;
  let base: string;
  let logins = 0;
  const seen: string[] = [];
  /** What the panel told the history of each exchange shown: where its request was written. */
  const sources: { url: string; source?: RequestSource }[] = [];
  let restoreOnSent: (() => void) | null = null;

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/login') {
        logins++;
        return res.end(JSON.stringify({ token: `tok-${logins}` }));
      }
      if (req.url === '/me') {
        const ok = /^Bearer tok-\d+$/.test(req.headers.authorization ?? '');
        res.statusCode = ok ? 200 : 401;
        return res.end(JSON.stringify({ user: ok ? 'ann' : null, auth: req.headers.authorization ?? null }));
      }
      if (req.url?.startsWith('/report')) return res.end(JSON.stringify({ report: req.url, items: [1, 2, 3] }));
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const wl = await api();
    wl.commands.scriptPolicyOverride = null;
    const onSent = wl.commands.onSent;
    wl.commands.onSent = async (ex, request, source) => {
      sources.push({ url: request.url, source });
      return onSent?.(ex, request, source);
    };
    restoreOnSent = () => {
      wl.commands.onSent = onSent;
    };
  });
  after(async () => {
    restoreOnSent?.();
    await new Promise((r) => server.close(r));
    await closeAllEditors();
  });
  beforeEach(() => {
    seen.length = 0;
    sources.length = 0;
  });

  /** `auth.http` (a variable and a named login) beside `main.http`, which imports it; returns main's editor. */
  async function importingPair(dir: string, mainText: string): Promise<vscode.TextEditor> {
    const scratch = path.join(workspaceRoot(), 'scratch', dir);
    fs.mkdirSync(scratch, { recursive: true });
    fs.writeFileSync(
      path.join(scratch, 'auth.http'),
      [`@host = ${base}`, '', '### login', '# @name login', 'POST {{host}}/login', 'Content-Type: application/json', '', '{"user": "ann"}', ''].join(
        '\n',
      ),
    );
    return openScratch(path.join(dir, 'main.http'), mainText);
  }

  const lineOf = (editor: vscode.TextEditor, text: string): number => {
    const i = editor.document.getText().split('\n').indexOf(text);
    assert.ok(i >= 0, `line '${text}' in the file`);
    return i;
  };

  it('Send Request on a request that @refs a named request of an @imported file sends that one first and uses its response', async () => {
    const wl = await api();
    const editor = await importingPair(
      'import-ref',
      ['# @import ./auth.http', '', '### me', '# @ref login', 'GET {{host}}/me', 'Authorization: Bearer {{login.response.body.token}}', ''].join(
        '\n',
      ),
    );
    const before = logins;
    const ex = await wl.commands.sendAt(editor.document.uri, lineOf(editor, 'GET {{host}}/me'));
    assert.ok(ex, 'an exchange');
    assert.equal(ex.error, null);
    // The imported file's request went first, then this one with the token from its response.
    assert.deepEqual(seen, ['POST /login ', `GET /me Bearer tok-${before + 1}`]);
    assert.equal(ex.response?.status, 200);
    assert.equal(ex.request.url, `${base}/me`, '{{host}} comes from the imported file');
    // Each exchange is recorded where its request was written: the login in auth.http, `me` in main.http.
    const login = sources.find((s) => s.url.endsWith('/login'));
    const me = sources.find((s) => s.url.endsWith('/me'));
    assert.ok(login?.source?.uri.endsWith('/import-ref/auth.http'), JSON.stringify(login));
    assert.equal(login?.source?.line, 4);
    assert.ok(me?.source?.uri.endsWith('/import-ref/main.http'), JSON.stringify(me));
    // The panel shows the request that was asked for, last.
    const shown = await wl.panels.waitForRender((r) => r.view === 'exchange' && r.sections.some((s) => /\/me\b/.test(s.text)));
    assert.ok(shown);

    // @ref sends the named request only when the window has no response of it yet: the second time, not again.
    seen.length = 0;
    const again = await wl.commands.sendAt(editor.document.uri, lineOf(editor, 'GET {{host}}/me'));
    assert.equal(again?.response?.status, 200);
    assert.deepEqual(seen, [`GET /me Bearer tok-${before + 1}`]);
  });

  it('@forceRef sends the referenced request every time; Send All and the Test Explorer run the file the same way', async () => {
    const wl = await api();
    const editor = await importingPair(
      'import-force',
      [
        '# @import ./auth.http',
        '',
        '### me',
        '# @forceRef login',
        'GET {{host}}/me',
        'Authorization: Bearer {{login.response.body.token}}',
        '',
        '?? status == 200',
        '?? body $.user == ann',
        '',
      ].join('\n'),
    );
    const first = logins;
    await wl.commands.sendAt(editor.document.uri, lineOf(editor, 'GET {{host}}/me'));
    assert.deepEqual(seen, ['POST /login ', `GET /me Bearer tok-${first + 1}`]);

    seen.length = 0;
    const all = await wl.commands.sendAll(editor.document.uri);
    assert.deepEqual(seen, ['POST /login ', `GET /me Bearer tok-${first + 2}`]);
    assert.deepEqual(
      all.map((e) => e.response?.status),
      [200, 200],
    );
    assert.deepEqual(
      all[1].tests?.map((t) => [t.name, t.passed]),
      [
        ['status == 200', true],
        ['body $.user == ann', true],
      ],
    );

    seen.length = 0;
    await wl.tests.discoverAll();
    const file = await waitFor(() => {
      let found: vscode.TestItem | undefined;
      wl.tests.controller.items.forEach((i) => {
        if (i.uri?.fsPath.endsWith(path.join('import-force', 'main.http'))) found = i;
      });
      return found;
    }, 'main.http in the Test Explorer');
    await wl.tests.run(new vscode.TestRunRequest([file]), new vscode.CancellationTokenSource().token);
    assert.deepEqual(seen, ['POST /login ', `GET /me Bearer tok-${first + 3}`]);
    let meId = '';
    file.children.forEach((c) => {
      if (c.label === 'me') meId = c.id;
    });
    assert.equal(wl.tests.lastRun.get(meId)?.state, 'passed');
  });

  it('a @ref to a name that exists nowhere is refused before anything is sent, and says which name', async () => {
    const wl = await api();
    const editor = await importingPair('import-missing', ['# @import ./auth.http', '', '### me', '# @ref nobody', 'GET {{host}}/me', ''].join('\n'));
    const results = await wl.commands.runDocument(editor.document, undefined);
    assert.deepEqual(seen, []);
    const me = results.find((r) => r.block.title === 'me');
    assert.ok(me);
    assert.equal(me.exchange, null);
    assert.match(me.errors.map((e) => e.message).join(' '), /@ref nobody: no request named nobody/);
  });

  it('>> file writes the body next to the .http file, a numbered copy when it exists; >>! overwrites', async () => {
    const wl = await api();
    const dir = path.join(workspaceRoot(), 'scratch', 'redirect');
    fs.rmSync(dir, { recursive: true, force: true });
    const editor = await openScratch(
      path.join('redirect', 'save.http'),
      [
        '### save',
        `GET ${base}/report/1`,
        '',
        '>> ./out/report.json',
        '',
        '### overwrite',
        `GET ${base}/report/2`,
        '',
        '>>! ./out/latest.json',
        '',
      ].join('\n'),
    );
    const saveLine = lineOf(editor, `GET ${base}/report/1`);
    const ex = await wl.commands.sendAt(editor.document.uri, saveLine);
    assert.equal(ex?.response?.status, 200);
    const written = path.join(dir, 'out', 'report.json');
    const body = fs.readFileSync(written, 'utf8');
    assert.deepEqual(JSON.parse(body), { report: '/report/1', items: [1, 2, 3] });
    assert.equal(body, ex?.response?.body.text, 'the body as received');
    // The panel says where it went.
    const note = ex?.notes.find((n) => n.id === 'response-redirect');
    assert.match(note?.summary ?? '', /Body written to out[/\\]report\.json/);
    const render = await wl.panels.waitForRender(
      (r) => r.view === 'exchange' && r.sections.some((s) => /Body written to out.report\.json/.test(s.text)),
    );
    assert.ok(render);

    // `>>` never replaces a file: the second response goes to report-1.json.
    await wl.commands.sendAt(editor.document.uri, saveLine);
    assert.ok(fs.existsSync(path.join(dir, 'out', 'report-1.json')), 'a numbered copy');
    assert.equal(fs.readFileSync(written, 'utf8'), body, 'the first file is left as it was');

    // `>>!` overwrites, whatever was there.
    fs.writeFileSync(path.join(dir, 'out', 'latest.json'), 'old');
    await wl.commands.sendAt(editor.document.uri, lineOf(editor, `GET ${base}/report/2`));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'latest.json'), 'utf8')), { report: '/report/2', items: [1, 2, 3] });
    assert.ok(!fs.existsSync(path.join(dir, 'out', 'latest-1.json')));
  });
});
