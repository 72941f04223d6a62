// The .http language in a real editor: CodeLens (also in Markdown fences), completion, hover on variables,
// go to definition, outline, the environment picker, and request variables across Send All.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { headerField } from '../../../src/annotate/knowledge';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import type { Exchange } from '../../../src/shared/exchange';
import { api, closeAllEditors, openFixture, openScratch, waitFor } from '../support/workbench';

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function hover(doc: vscode.TextDocument, line: number, character: number): Promise<string> {
  return hoverText(
    await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character)),
  );
}

async function completions(doc: vscode.TextDocument, line: number, character: number): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    doc.uri,
    new vscode.Position(line, character),
  );
  return list?.items ?? [];
}

function label(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function col(doc: vscode.TextDocument, line: number, needle: string): number {
  const c = doc.lineAt(line).text.indexOf(needle);
  assert.ok(c >= 0, `${needle} not on line ${line}`);
  return c + 2;
}

describe('language', () => {
  let demo: DemoServer;

  before(async () => {
    await api();
    demo = await startDemoServer({ tlsPort: null });
  });
  after(async () => {
    await vscode.commands.executeCommand('wirelens.switchEnvironment', '');
    await closeAllEditors();
    await demo.close();
  });

  it('shows a Send Request CodeLens per request, in .http files and in Markdown ```http fences', async () => {
    const editor = await openFixture('language/requests.http');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      return l && l.length >= 3 ? l : undefined;
    }, 'CodeLenses in requests.http');
    assert.deepEqual(
      lenses.filter((l) => l.command?.command === 'wirelens.sendRequest').map((l) => l.range.start.line),
      [5, 12, 17],
    );

    const md = await openFixture('language/readme.md');
    const mdLenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', md.document.uri);
      return l && l.some((x) => x.command?.command === 'wirelens.sendRequest') ? l : undefined;
    }, 'CodeLenses in readme.md');
    assert.deepEqual(
      mdLenses.filter((l) => l.command?.command === 'wirelens.sendRequest').map((l) => l.range.start.line),
      [5, 18],
    );
  });

  it('switches environments with the command (argument: no UI) and remembers the choice', async () => {
    assert.equal(await vscode.commands.executeCommand('wirelens.switchEnvironment', 'prod'), 'prod');
    const editor = await openFixture('language/requests.http');
    const text = await waitFor(async () => {
      const t = await hover(editor.document, 5, col(editor.document, 5, '{{baseUrl}}'));
      return /prod\.example\.test/.test(t) ? t : undefined;
    }, 'hover with the prod environment');
    assert.match(text, /file variable/);
    assert.equal(await vscode.commands.executeCommand('wirelens.switchEnvironment', 'dev'), 'dev');
    await waitFor(
      async () => /https:\/\/dev\.example\.test\/v1/.test(await hover(editor.document, 5, col(editor.document, 5, '{{baseUrl}}'))),
      'hover with the dev environment',
    );
  });

  it('shows resolved values on hover and masks secrets from the private env file', async () => {
    await vscode.commands.executeCommand('wirelens.switchEnvironment', 'dev');
    const editor = await openFixture('language/requests.http');
    const doc = editor.document;
    const secret = await hover(doc, 7, col(doc, 7, '{{apiKey}}'));
    assert.match(secret, /\{\{apiKey\}\}/);
    assert.match(secret, /secret/);
    assert.doesNotMatch(secret, /top-secret-key-42/);
    assert.match(await hover(doc, 9, col(doc, 9, '{{greeting}}')), /hello/);
    assert.match(await hover(doc, 13, col(doc, 13, '{{login.')), /request variable/);
    assert.match(await hover(doc, 20, col(doc, 20, '{{$guid}}')), /system variable/);
  });

  it('completes header names with their meaning from the knowledge base, and variables', async () => {
    await vscode.commands.executeCommand('wirelens.switchEnvironment', 'dev');
    const editor = await openScratch(
      'completion.http',
      '@token = abc\n# @name first\nGET http://127.0.0.1:9/x\nAcc\n\n###\nGET http://127.0.0.1:9/{{\n',
    );
    const doc = editor.document;
    const headers = await completions(doc, 3, 3);
    const accept = headers.find((i) => label(i) === 'Accept');
    assert.ok(accept, `no Accept in ${headers.slice(0, 20).map(label).join(', ')}`);
    assert.equal(accept.detail, headerField('Accept')?.description);
    const items = await completions(doc, 6, doc.lineAt(6).text.length);
    const vars = items.map(label);
    for (const v of ['token', '$guid', '$randomInt', 'first.response.body.$']) assert.ok(vars.includes(v), `${v} missing from ${vars.join(', ')}`);
    // The editor orders by sortText (label when absent): the file's own variables come before the system ones.
    const shown = [...items].sort((a, b) => (a.sortText ?? label(a)).localeCompare(b.sortText ?? label(b))).map(label);
    assert.ok(shown.indexOf('token') < shown.indexOf('$guid'), `system variables listed first: ${shown.slice(0, 5).join(', ')}`);
  });

  it('completes methods on a request line and values after a header name', async () => {
    const editor = await openScratch('completion2.http', 'GE\n###\nPOST http://127.0.0.1:9/\nContent-Type: \n');
    const methods = (await completions(editor.document, 0, 2)).map(label);
    assert.ok(methods.includes('GET') && methods.includes('PROPFIND'), methods.join(', '));
    const values = (await completions(editor.document, 3, 14)).map(label);
    assert.ok(values.includes('application/json'), values.join(', '));
  });

  it('goes to the definition of file variables and request variables', async () => {
    const editor = await openFixture('language/requests.http');
    const doc = editor.document;
    const file = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      new vscode.Position(5, col(doc, 5, '{{baseUrl}}')),
    );
    const range = (l: vscode.Location | vscode.LocationLink): vscode.Range => ('targetRange' in l ? l.targetRange : l.range);
    assert.equal(range(file[0]).start.line, 0);
    const req = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      doc.uri,
      new vscode.Position(13, col(doc, 13, '{{login.')),
    );
    assert.equal(range(req[0]).start.line, 4);
  });

  it('lists requests and file variables in the outline', async () => {
    const editor = await openFixture('language/requests.http');
    const symbols = await waitFor(
      async () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri),
      'symbols',
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['@baseUrl', '@contentType', 'login', 'Who am I', 'Create an item'],
    );
    assert.equal(symbols[3].detail, 'GET {{baseUrl}}/me');
  });

  it('folds each ### block', async () => {
    const editor = await openFixture('language/requests.http');
    const ranges = await waitFor(async () => {
      const r = await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', editor.document.uri);
      return r && r.length >= 3 ? r : undefined;
    }, 'folding ranges');
    for (const [start, end] of [
      [3, 9],
      [11, 14],
      [16, 20],
    ]) {
      assert.ok(
        ranges.some((r) => r.start === start && r.end === end),
        `no fold ${start}-${end} in ${JSON.stringify(ranges)}`,
      );
    }
  });

  it('reports unknown variables as diagnostics', async () => {
    const editor = await openScratch('diagnostics.http', 'GET http://127.0.0.1:9/{{nowhere}}\nnot a header line\n');
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(editor.document.uri);
      return d.length >= 2 ? d : undefined;
    }, 'diagnostics');
    assert.ok(diags.some((d) => /Unknown variable \{\{nowhere\}\}/.test(d.message) && d.severity === vscode.DiagnosticSeverity.Warning));
    assert.ok(diags.some((d) => /Not a header/.test(d.message) && d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === 1));
  });

  it("refuses httpyac's GRPC and MQTT blocks by name, as diagnostics and when sent (nothing is sent)", async () => {
    const wl = await api();
    const editor = await openScratch(
      'protocols.http',
      ['GRPC 127.0.0.1:9/HelloService/sayHello', '{', '  "greeting": "world"', '}', '', '###', 'MQTT tcp://127.0.0.1:9', 'Topic: t', ''].join('\n'),
    );
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(editor.document.uri).filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
      return d.length >= 2 ? d : undefined;
    }, 'diagnostics');
    assert.deepEqual(
      diags.map((d) => [d.range.start.line, d.message]),
      [
        [0, 'GRPC requests (httpyac: gRPC) are not supported by Wire Lens; nothing is sent.'],
        [6, 'MQTT requests (httpyac: MQTT) are not supported by Wire Lens; nothing is sent.'],
      ],
    );
    const results = await wl.commands.runDocument(editor.document, undefined);
    assert.equal(results.length, 2);
    assert.ok(results.every((r) => r.exchange === null));
    assert.match(
      results[0].errors.map((e) => e.message).join(' '),
      /^GRPC requests \(httpyac: gRPC\) are not supported by Wire Lens; nothing is sent\.$/,
    );
  });

  it('sends all requests in order, feeding a named response into the next request', async () => {
    const editor = await openScratch(
      'chain.http',
      [
        `@base = ${demo.url}`,
        '',
        '### first',
        '# @name first',
        'POST {{base}}/echo',
        'Content-Type: application/json',
        '',
        '{"token": "t-123"}',
        '',
        '### second',
        'GET {{base}}/echo/{{first.response.body.$.method}}',
        'X-Token: {{first.response.body.$.body}}',
        'X-Type: {{first.response.headers.Content-Type}}',
        '',
      ].join('\n'),
    );
    const exchanges = await vscode.commands.executeCommand<Exchange[]>('wirelens.sendAllRequests', editor.document.uri);
    assert.equal(exchanges.length, 2);
    const raw = Buffer.from(exchanges[1].request.rawBase64, 'base64').toString('utf8');
    assert.match(raw, /^GET \/echo\/POST HTTP\/1\.1\r\n/);
    assert.match(raw, /\r\nX-Token: \{"token": "t-123"\}\r\n/);
    assert.match(raw, /\r\nX-Type: application\/json; charset=utf-8\r\n/);
  });
  it('sends a named request first when an earlier request in the file reads it (Send All)', async () => {
    const editor = await openScratch(
      'chain-reversed.http',
      [
        `@base = ${demo.url}`,
        '',
        '### uses',
        'GET {{base}}/echo/{{producer.response.body.$.method}}',
        '',
        '### producer',
        '# @name producer',
        'PUT {{base}}/echo',
        '',
      ].join('\n'),
    );
    const exchanges = await vscode.commands.executeCommand<Exchange[]>('wirelens.sendAllRequests', editor.document.uri);
    assert.deepEqual(
      exchanges.map((e) => e.request.method),
      ['PUT', 'GET'],
    );
    assert.match(Buffer.from(exchanges[1].request.rawBase64, 'base64').toString('utf8'), /^GET \/echo\/PUT HTTP\/1\.1\r\n/);
  });

  it('cancels a running request and reruns the last one', async () => {
    const editor = await openScratch('cancel.http', `GET ${demo.url}/delay/30000\n\n###\nGET ${demo.url}/echo/again\n`);
    let settled: Exchange | null | undefined;
    void vscode.commands.executeCommand<Exchange | undefined>('wirelens.sendRequest', editor.document.uri, 0).then((e) => {
      settled = e ?? null;
    });
    // Cancel as soon as the request is running (each poll cancels again until the send settles).
    const cancelled = await waitFor(async () => {
      await vscode.commands.executeCommand('wirelens.cancelRequest');
      return settled;
    }, 'the cancelled request to settle');
    assert.equal(cancelled.error?.code, 'cancelled', JSON.stringify(cancelled.error));
    assert.equal(cancelled.response, null);

    const first = await vscode.commands.executeCommand<Exchange>('wirelens.sendRequest', editor.document.uri, 3);
    assert.equal(first.response?.status, 200);
    const again = await vscode.commands.executeCommand<Exchange>('wirelens.rerunLastRequest');
    assert.ok(again && again !== first, 'rerun returns a new exchange');
    assert.equal(again.response?.status, 200);
    assert.equal(again.request.url, first.request.url);
    assert.match(Buffer.from(again.request.rawBase64, 'base64').toString('utf8'), /^GET \/echo\/again HTTP\/1\.1\r\n/);
  });

  it('switches environments through the quick pick of the status-bar command', async () => {
    await vscode.commands.executeCommand('wirelens.switchEnvironment', 'prod');
    const editor = await openFixture('language/requests.http');
    const at = col(editor.document, 5, '{{baseUrl}}');
    await waitFor(async () => /prod\.example\.test/.test(await hover(editor.document, 5, at)), 'hover with the prod environment');
    // No argument: the command asks with a quick pick; its first item is "No Environment".
    let picked: string | null | undefined;
    let done = false;
    void vscode.commands.executeCommand<string | null | undefined>('wirelens.switchEnvironment').then((v) => {
      picked = v;
      done = true;
    });
    await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return done;
    }, 'the environment quick pick to be answered');
    assert.equal(picked, null);
    const text = await waitFor(async () => {
      const t = await hover(editor.document, 5, at);
      return /prod\.example\.test/.test(t) ? undefined : t;
    }, 'hover without the prod environment');
    assert.match(text, /host/);
  });
});
