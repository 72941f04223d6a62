// Scripts and tests inside a real VS Code: Send All through the run model (a token from a handler), the panel's
// Tests section, diagnostics on failing lines, the Test Explorer, contained escapes, a script timeout, and
// Restricted Mode (scripts not run, and said so).
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { api, closeAllEditors, openScratch, waitFor } from '../support/workbench';

describe('scripts and tests in the editor', function () {
  this.timeout(120_000);
  let server: http.Server;
  let base: string;
  const seen: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/login') return res.end(JSON.stringify({ token: 'tok-9' }));
      if (req.url === '/me') {
        res.statusCode = req.headers.authorization === 'Bearer tok-9' ? 200 : 401;
        return res.end(JSON.stringify({ user: 'ann' }));
      }
      // Never answers: only a cancel ends a request to it.
      if (req.url === '/hang') return;
      res.statusCode = req.url === '/boom' ? 500 : 200;
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const wl = await api();
    await vscode.workspace.getConfiguration('wirelens').update('scripts.timeoutMs', 500, vscode.ConfigurationTarget.Global);
    wl.commands.scriptPolicyOverride = null;
  });
  after(async () => {
    await vscode.workspace.getConfiguration('wirelens').update('scripts.timeoutMs', undefined, vscode.ConfigurationTarget.Global);
    await new Promise((r) => server.close(r));
    await closeAllEditors();
  });

  const suite = (): string =>
    [
      '### login',
      `POST ${base}/login`,
      '',
      '> {%',
      '  client.global.set("token", response.body.token);',
      '  client.log("token is", response.body.token);',
      '%}',
      '',
      '### me',
      `GET ${base}/me`,
      'Authorization: Bearer {{token}}',
      '',
      '> {%',
      '  client.test("is ann", function () {',
      '    client.assert(response.body.user === "ann", "wrong user");',
      '  });',
      '%}',
      '?? status == 200',
      '',
      '### boom',
      `GET ${base}/boom`,
      '?? status == 200',
      '',
      '> {%',
      'client.test("not 500", function () {',
      '  client.assert(response.status !== 500, "server error");',
      '});',
      'client.test("contained", function () {',
      '  client.assert(typeof require === "undefined" && typeof process === "undefined", "host reachable");',
      '  client.assert(globalThis.constructor.constructor("return typeof process")() === "undefined", "escaped");',
      '  ({}).__proto__.polluted = 1;',
      '});',
      '%}',
      '',
      '### spin',
      `GET ${base}/spin`,
      '',
      '> {%',
      'while (true) {}',
      '%}',
      '',
    ].join('\n');

  it('Send All chains a token from a handler; the panel shows the Tests section; failures become diagnostics', async () => {
    const wl = await api();
    const editor = await openScratch('scripts.http', suite());
    const before = wl.panels.lastRender()?.seq ?? 0;
    const exchanges = await wl.commands.sendAll(editor.document.uri);
    assert.equal(exchanges.length, 4);
    assert.ok(seen.includes('GET /me Bearer tok-9'), seen.join('\n'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'prototype tricks stay in the sandbox');
    const [, me, boom, spin] = exchanges;
    assert.deepEqual(
      me.tests?.map((t) => [t.name, t.passed]),
      [
        ['is ann', true],
        ['status == 200', true],
      ],
    );
    assert.deepEqual(
      boom.tests?.map((t) => [t.name, t.passed]),
      [
        ['status == 200', false],
        ['not 500', false],
        ['contained', true],
      ],
    );
    assert.equal(spin.tests?.[0].code, 'WL_SCRIPT_TIMEOUT');
    assert.equal(spin.response?.status, 200, 'the exchange is kept');
    // The last one shown is `spin`: its Tests section names the timeout.
    const report = await wl.panels.waitForRender(
      (r) => r.view === 'exchange' && r.seq > before && r.sections.some((s) => s.id === 'tests' && /longer than 500 ms/.test(s.text)),
    );
    assert.ok(report.sections.findIndex((s) => s.id === 'tests') >= 0);
    const diags = await waitFor(() => {
      const d = wl.testDiagnostics.get(editor.document.uri);
      return d.length >= 3 ? d : null;
    }, 'test diagnostics');
    const lines = diags.map((d) => d.range.start.line).sort((a, b) => a - b);
    const text = editor.document.getText().split('\n');
    assert.ok(lines.includes(text.indexOf('?? status == 200', 20)), `?? failure on its line (${lines.join(',')})`);
    assert.ok(lines.includes(text.indexOf('  client.assert(response.status !== 500, "server error");')), 'client.test failure on the assert line');
    // The next run of that request replaces its diagnostics.
    await wl.commands.sendAt(editor.document.uri, text.indexOf('### login'));
    assert.equal(wl.testDiagnostics.get(editor.document.uri).length, diags.length, 'other requests keep theirs');
  });

  it('Test Explorer lists the file and its requests, runs them, and reports results at the failing line', async () => {
    const wl = await api();
    await openScratch('explorer.http', suite());
    await wl.tests.discoverAll();
    const file = await waitFor(() => {
      let found: vscode.TestItem | undefined;
      wl.tests.controller.items.forEach((i) => {
        if (i.uri?.fsPath.endsWith('explorer.http')) found = i;
      });
      return found;
    }, 'the file in the Test Explorer');
    const names: string[] = [];
    file.children.forEach((c) => names.push(c.label));
    assert.deepEqual(names, ['login', 'me', 'boom', 'spin']);
    const cts = new vscode.CancellationTokenSource();
    await wl.tests.run(new vscode.TestRunRequest([file]), cts.token);
    const state = (label: string): string | undefined => {
      let id = '';
      file.children.forEach((c) => {
        if (c.label === label) id = c.id;
      });
      return wl.tests.lastRun.get(id)?.state;
    };
    assert.equal(state('login'), 'passed');
    assert.equal(state('me'), 'passed');
    assert.equal(state('boom'), 'failed');
    assert.equal(state('spin'), 'failed');
    let boom: vscode.TestItem | undefined;
    file.children.forEach((c) => {
      if (c.label === 'boom') boom = c;
    });
    const childStates: string[] = [];
    boom?.children.forEach((c) => childStates.push(`${c.label}=${wl.tests.lastRun.get(c.id)?.state ?? '?'}`));
    assert.deepEqual(childStates.sort(), ['?? status == 200=failed', 'contained=passed', 'not 500=failed']);
    let meId = '';
    file.children.forEach((c) => {
      if (c.label === 'me') meId = c.id;
    });
    assert.ok((wl.tests.lastRun.get(meId)?.durationMs ?? -1) >= 0, 'a duration');
  });

  it("Test Explorer's Cancel stops the request in flight and the requests after it, and the run ends", async () => {
    const wl = await api();
    await openScratch('cancel.http', ['### hang', `GET ${base}/hang`, '', '### after', `GET ${base}/after-cancel`, ''].join('\n'));
    await wl.tests.discoverAll();
    const file = await waitFor(() => {
      let found: vscode.TestItem | undefined;
      wl.tests.controller.items.forEach((i) => {
        if (i.uri?.fsPath.endsWith('cancel.http')) found = i;
      });
      return found;
    }, 'the file in the Test Explorer');
    const cts = new vscode.CancellationTokenSource();
    const before = seen.length;
    const run = wl.tests.run(new vscode.TestRunRequest([file]), cts.token);
    await waitFor(() => seen.slice(before).some((l) => l.startsWith('GET /hang')) || undefined, 'the request to reach the server');
    cts.cancel();
    // The run ends on its own (a hanging request would keep it going until the 30 s timeout).
    await Promise.race([run, new Promise((_, reject) => setTimeout(() => reject(new Error('the run did not end after Cancel')), 10_000))]);
    assert.ok(!seen.slice(before).some((l) => l.startsWith('GET /after-cancel')), 'nothing is sent after Cancel');
    let hangId = '';
    file.children.forEach((c) => {
      if (c.label === 'hang') hangId = c.id;
    });
    assert.notEqual(wl.tests.lastRun.get(hangId)?.state, 'passed');
  });

  it('in Restricted Mode requests still send, scripts do not run, and the panel and the test result say why', async () => {
    const wl = await api();
    wl.commands.scriptPolicyOverride = { enabled: false, reason: 'this workspace is in Restricted Mode (not trusted)' };
    try {
      const editor = await openScratch(
        'restricted.http',
        `### plain\nGET ${base}/plain\n\n> {%\nclient.test("never", function () {});\n%}\n?? status == 200\n`,
      );
      const before = wl.panels.lastRender()?.seq ?? 0;
      const ex = await wl.commands.sendAt(editor.document.uri, 1);
      assert.equal(ex?.response?.status, 200, 'still sent');
      assert.deepEqual(
        ex?.tests?.map((t) => t.name),
        ['status == 200'],
        'plain asserts still checked; the script did not run',
      );
      const report = await wl.panels.waitForRender((r) => r.view === 'exchange' && r.seq > before);
      const tests = report.sections.find((s) => s.id === 'tests');
      assert.match(tests?.text ?? '', /Scripts were not run: this workspace is in Restricted Mode/);
      await wl.tests.discoverAll();
      let file: vscode.TestItem | undefined;
      wl.tests.controller.items.forEach((i) => {
        if (i.uri?.fsPath.endsWith('restricted.http')) file = i;
      });
      assert.ok(file);
      await wl.tests.run(new vscode.TestRunRequest([file]), new vscode.CancellationTokenSource().token);
      let never = '';
      file.children.forEach((c) =>
        c.children.forEach((g) => {
          if (g.label === 'never') never = g.id;
        }),
      );
      assert.deepEqual(wl.tests.lastRun.get(never), {
        state: 'skipped',
        messages: ['Scripts were not run: this workspace is in Restricted Mode (not trusted).'],
      });
    } finally {
      wl.commands.scriptPolicyOverride = null;
    }
  });
});
