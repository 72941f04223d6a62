// Coming from REST Client, in a real editor: "Wire Lens: Paste cURL as Request" turns the clipboard's curl command
// into .http text (checked as inserted, then sent), and REST Client's `rest-client.*` settings apply while the
// `wirelens.*` ones are unset: environmentVariables, defaultHeaders (workspace settings) and certificates (user
// settings only, as `wirelens.clientCertificates` is machine-scoped). Every request goes to a loopback server
// started here, which records the bytes that arrive.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import * as vscode from 'vscode';
import { makeSelfSigned, type GeneratedCert } from '../../../src/demo/certs';
import type { Exchange } from '../../../src/shared/exchange';
import { captureServer, type CaptureServer } from '../../unit/conformance/captureServer';
import { api, closeAllEditors, openScratch, waitFor, workspaceRoot } from '../support/workbench';

/** The head lines that arrived, without the port (so that expectations read as the file does). */
function headLines(srv: CaptureServer, i: number): string[] {
  return srv.requests[i].head.split('\r\n').map((l) => l.split(String(srv.port)).join('PORT'));
}

/** Writes settings.json (JSON with comments is not needed here) and waits until VS Code has read it. */
async function writeSettings(file: string, values: Record<string, unknown>, probe: () => boolean): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const old = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8') || '{}') as Record<string, unknown>) : {};
  const next: Record<string, unknown> = { ...old };
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  fs.writeFileSync(file, JSON.stringify(next, null, 2));
  await waitFor(probe, `settings in ${file} read by VS Code`, 30_000);
}

const restClient = (key: string): { workspaceValue?: unknown; globalValue?: unknown } | undefined =>
  vscode.workspace.getConfiguration('rest-client').inspect(key);

describe('REST Client compatibility in the editor (Paste cURL as Request, rest-client.* settings)', () => {
  let srv: CaptureServer;
  let workspaceSettings: string;

  before(async () => {
    await api();
    workspaceSettings = path.join(workspaceRoot(), '.vscode', 'settings.json');
  });
  beforeEach(async () => {
    srv = await captureServer();
    // Cookies are per host, not per port: those other suites' servers on 127.0.0.1 set would go out here too.
    await vscode.commands.executeCommand('wirelens.clearCookies');
  });
  afterEach(async () => {
    await srv.close();
    await closeAllEditors();
  });
  /**
   * User settings, as a user edits them: Preferences: Open User Settings (JSON), the text replaced, saved. (VS Code
   * refuses to write a setting no installed extension declares through the API, and REST Client is not installed.)
   */
  async function writeUserSettings(values: Record<string, unknown>, probe: () => boolean): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    const editor = await waitFor(() => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.path.endsWith('/User/settings.json') ? e : undefined;
    }, 'the user settings.json editor');
    const doc = editor.document;
    const next = { ...(JSON.parse(doc.getText() || '{}') as Record<string, unknown>) };
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    assert.ok(await editor.edit((e) => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), JSON.stringify(next, null, 2))));
    // The workbench's own Save, as the user does it (TextDocument.save() reports false here for this
    // vscode-userdata: document).
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => !doc.isDirty, 'user settings saved');
    await waitFor(probe, 'user settings read by VS Code', 30_000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }

  after(async () => {
    await writeSettings(
      workspaceSettings,
      { 'rest-client.environmentVariables': undefined, 'rest-client.defaultHeaders': undefined },
      () => restClient('environmentVariables')?.workspaceValue === undefined && restClient('defaultHeaders')?.workspaceValue === undefined,
    );
    await vscode.commands.executeCommand('wirelens.switchEnvironment', '');
  });

  describe('Paste cURL as Request', () => {
    it('inserts the curl command from the clipboard as a request, which then sends the same request', async () => {
      const editor = await openScratch('paste-curl.http', '');
      await vscode.env.clipboard.writeText(
        `curl -X PUT 'http://127.0.0.1:${srv.port}/items/7?x=1' \\\n  -H 'Content-Type: application/json' \\\n  -H "X-Trace: a b" \\\n  --data-raw '{"name":"wire"}' -u alice:s3cret\n`,
      );
      assert.equal(await vscode.commands.executeCommand('wirelens.pasteCurlAsRequest'), true);
      assert.equal(
        editor.document.getText(),
        [
          '# @no-redirect',
          `PUT http://127.0.0.1:${srv.port}/items/7?x=1`,
          'Content-Type: application/json',
          'X-Trace: a b',
          'Authorization: Basic YWxpY2U6czNjcmV0',
          '',
          '{"name":"wire"}',
          '',
        ].join('\n'),
      );
      const ex = await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 1);
      assert.equal(ex.error, null);
      assert.deepEqual(headLines(srv, 0), [
        'PUT /items/7?x=1 HTTP/1.1',
        'Host: 127.0.0.1:PORT',
        'Content-Type: application/json',
        'X-Trace: a b',
        'Authorization: Basic YWxpY2U6czNjcmV0',
        'User-Agent: wirelens/0.1',
        'Content-Length: 15',
      ]);
      assert.equal(srv.requests[0].body.toString('utf8'), '{"name":"wire"}');
    });

    it('sets the pasted request apart with ### from the requests before and after it', async () => {
      const before = `GET http://127.0.0.1:${srv.port}/first\n\n`;
      const after = `GET http://127.0.0.1:${srv.port}/last\n`;
      const editor = await openScratch('paste-between.http', `${before}${after}`);
      editor.selection = new vscode.Selection(2, 0, 2, 0);
      await vscode.env.clipboard.writeText(`curl --data-urlencode 'q=a b&c' http://127.0.0.1:${srv.port}/search`);
      assert.equal(await vscode.commands.executeCommand('wirelens.pasteCurlAsRequest'), true);
      assert.equal(
        editor.document.getText(),
        [
          `GET http://127.0.0.1:${srv.port}/first`,
          '',
          '',
          '###',
          '# @no-redirect',
          `POST http://127.0.0.1:${srv.port}/search`,
          'Content-Type: application/x-www-form-urlencoded',
          '',
          'q=a%20b%26c',
          '',
          '###',
          `GET http://127.0.0.1:${srv.port}/last`,
          '',
        ].join('\n'),
      );
      // Three requests, each sent as written: the pasted one swallowed neither neighbour.
      const all = await vscode.commands.executeCommand<Exchange[]>('wirelens.sendAllRequests', editor.document.uri);
      assert.equal(all.length, 3);
      assert.deepEqual(
        srv.requests.map((r) => r.head.split('\r\n')[0]),
        ['GET /first HTTP/1.1', 'POST /search HTTP/1.1', 'GET /last HTTP/1.1'],
      );
      assert.equal(srv.requests[0].body.length, 0);
      assert.equal(srv.requests[1].body.toString(), 'q=a%20b%26c');
    });

    it('replaces the selection, and refuses a clipboard that holds no curl command (document unchanged)', async () => {
      const editor = await openScratch('paste-select.http', 'curl -I http://127.0.0.1:1/old\n');
      editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
      await vscode.env.clipboard.writeText(`curl -I http://127.0.0.1:${srv.port}/head`);
      assert.equal(await vscode.commands.executeCommand('wirelens.pasteCurlAsRequest'), true);
      assert.equal(editor.document.getText(), `# @no-redirect\nHEAD http://127.0.0.1:${srv.port}/head\n\n`);

      await vscode.env.clipboard.writeText('GET http://127.0.0.1:1/not-curl');
      assert.equal(await vscode.commands.executeCommand('wirelens.pasteCurlAsRequest'), false);
      await vscode.env.clipboard.writeText("curl 'http://127.0.0.1:1/unterminated");
      assert.equal(await vscode.commands.executeCommand('wirelens.pasteCurlAsRequest'), false);
      assert.equal(editor.document.getText(), `# @no-redirect\nHEAD http://127.0.0.1:${srv.port}/head\n\n`);
    });
  });

  describe('rest-client.* settings while wirelens.* ones are unset', () => {
    it('rest-client.environmentVariables: $shared and the selected environment resolve {{…}}; wirelens.environmentVariables wins once set', async () => {
      await writeSettings(
        workspaceSettings,
        {
          'rest-client.environmentVariables': {
            $shared: { version: 'v1', token: 'shared-token' },
            local: { host: `127.0.0.1:${srv.port}`, version: 'v2' },
          },
        },
        () => restClient('environmentVariables')?.workspaceValue !== undefined,
      );
      assert.equal(await vscode.commands.executeCommand('wirelens.switchEnvironment', 'local'), 'local');
      const editor = await openScratch('rest-env.http', 'GET http://{{host}}/{{version}}/items\nAuthorization: Bearer {{token}}\n');
      const ex = await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 0);
      assert.equal(ex.error, null);
      assert.deepEqual(headLines(srv, 0), [
        'GET /v2/items HTTP/1.1',
        'Host: 127.0.0.1:PORT',
        'Authorization: Bearer shared-token',
        'User-Agent: wirelens/0.1',
      ]);

      const own = vscode.workspace.getConfiguration('wirelens');
      await own.update('environmentVariables', { $shared: { token: 'ours' }, local: { host: `127.0.0.1:${srv.port}`, version: 'v3' } }, false);
      try {
        await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 0);
        assert.deepEqual(headLines(srv, 1).slice(0, 3), ['GET /v3/items HTTP/1.1', 'Host: 127.0.0.1:PORT', 'Authorization: Bearer ours']);
      } finally {
        await own.update('environmentVariables', undefined, false);
      }
    });

    it('rest-client.defaultHeaders: added after the written headers where the request writes none of that name', async () => {
      await writeSettings(
        workspaceSettings,
        { 'rest-client.defaultHeaders': { 'X-Team': 'blue', Accept: 'application/json' } },
        () => restClient('defaultHeaders')?.workspaceValue !== undefined,
      );
      const editor = await openScratch(
        'rest-headers.http',
        `GET http://127.0.0.1:${srv.port}/a\nAccept: text/plain\n\n###\n\nPOST http://127.0.0.1:${srv.port}/b\n`,
      );
      await vscode.commands.executeCommand<Exchange[]>('wirelens.sendAllRequests', editor.document.uri);
      assert.deepEqual(headLines(srv, 0), [
        'GET /a HTTP/1.1',
        'Host: 127.0.0.1:PORT',
        'Accept: text/plain',
        'X-Team: blue',
        'User-Agent: wirelens/0.1',
      ]);
      assert.deepEqual(headLines(srv, 1), [
        'POST /b HTTP/1.1',
        'Host: 127.0.0.1:PORT',
        'X-Team: blue',
        'Accept: application/json',
        'User-Agent: wirelens/0.1',
        'Content-Length: 0',
      ]);

      const own = vscode.workspace.getConfiguration('wirelens');
      await own.update('defaultHeaders', { 'X-Ours': '1' }, false);
      try {
        await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 0);
        assert.deepEqual(headLines(srv, 2), [
          'GET /a HTTP/1.1',
          'Host: 127.0.0.1:PORT',
          'Accept: text/plain',
          'X-Ours: 1',
          'User-Agent: wirelens/0.1',
        ]);
      } finally {
        await own.update('defaultHeaders', undefined, false);
      }
    });

    it('rest-client.certificates (user settings) presents the client certificate; the same in workspace settings is ignored', async () => {
      const server = await makeSelfSigned();
      const client = await makeSelfSigned({ commonName: 'rest-client-user' });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wl-rc-cert-'));
      const files = (c: GeneratedCert, name: string): { cert: string; key: string } => {
        fs.writeFileSync(path.join(dir, `${name}.crt`), c.cert);
        fs.writeFileSync(path.join(dir, `${name}.key`), c.key);
        return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
      };
      const clientFiles = files(client, 'client');
      const caFile = files(server, 'server').cert;
      const peers: (string | null)[] = [];
      const tlsSrv = tls.createServer({ key: server.key, cert: server.cert, requestCert: true, rejectUnauthorized: false }, (sock) => {
        const c = sock.getPeerCertificate();
        peers.push(c && c.subject && typeof c.subject === 'object' ? String(c.subject.CN) : null);
        sock.once('data', () => sock.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok'));
        sock.on('error', () => undefined);
      });
      await new Promise<void>((r) => tlsSrv.listen(0, '127.0.0.1', r));
      const port = (tlsSrv.address() as { port: number }).port;
      const own = vscode.workspace.getConfiguration('wirelens');
      await own.update('trustedCertificates', [caFile], vscode.ConfigurationTarget.Global);
      try {
        const editor = await openScratch('rest-cert.http', `GET https://localhost:${port}/\n`);
        const send = async (): Promise<void> => {
          const ex = await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 0);
          assert.equal(ex.error, null, ex.error?.message);
        };
        // In the workspace's settings: not used (a cloned repository must not choose the certificate a host gets).
        await writeSettings(
          workspaceSettings,
          { 'rest-client.certificates': { [`localhost:${port}`]: clientFiles } },
          () => restClient('certificates')?.workspaceValue !== undefined,
        );
        await send();
        // In the user's settings: presented to that host.
        await writeUserSettings({ 'rest-client.certificates': { [`localhost:${port}`]: clientFiles } }, () =>
          Boolean(restClient('certificates')?.globalValue),
        );
        await send();
        assert.deepEqual(peers, [null, 'rest-client-user']);
      } finally {
        await writeSettings(
          workspaceSettings,
          { 'rest-client.certificates': undefined },
          () => restClient('certificates')?.workspaceValue === undefined,
        );
        await writeUserSettings({ 'rest-client.certificates': undefined }, () => restClient('certificates')?.globalValue === undefined);
        await own.update('trustedCertificates', undefined, vscode.ConfigurationTarget.Global);
        await new Promise<void>((r) => tlsSrv.close(() => r()));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
