// Annotations in a real editor: hover on header lines of an .http file, and notes tied to header lines in the
// exchange the panel receives.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startDemoServer, type DemoServer } from '../../../src/demo/server';
import type { ResolvedRequest } from '../../../src/shared/request';
import { api, closeAllEditors, openFixture, waitFor } from '../support/workbench';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function hoverAt(doc: vscode.TextDocument, line: number, character: number, expect: RegExp): Promise<string> {
  return waitFor(async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character));
    const text = hoverText(hovers ?? []);
    return expect.test(text) ? text : undefined;
  }, `a hover matching ${expect} at ${line}:${character}`);
}

describe('annotations', () => {
  let demo: DemoServer;

  before(async () => {
    demo = await startDemoServer({ tlsPort: null });
  });
  after(async () => {
    await closeAllEditors();
    await demo.close();
  });

  it('explains a header name on hover with its syntax and reference', async () => {
    const editor = await openFixture('annotations/headers.http');
    const text = await hoverAt(editor.document, 3, 3, /Cache-Control/);
    assert.match(text, /RFC 9111, Section 5\.2/);
    assert.match(text, /Syntax/);
  });

  it('shows the request checks that apply to the hovered line', async () => {
    const editor = await openFixture('annotations/headers.http');
    const line = editor.document.lineAt(4).text;
    const text = await hoverAt(editor.document, 4, line.indexOf('yesterday') + 2, /request-date-syntax/);
    assert.match(text, /If-Modified-Since/);
    assert.match(text, /not an HTTP date/);
  });

  it('says when a field is unknown', async () => {
    const editor = await openFixture('annotations/headers.http');
    await hoverAt(editor.document, 5, 2, /Not in the Wire Lens knowledge base/);
  });

  it('reports request-side problems as diagnostics on their lines', async () => {
    const editor = await openFixture('annotations/headers.http');
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === 'Wire Lens' && d.code === 'request-date-syntax'),
      'a Wire Lens diagnostic',
    );
    assert.equal(diag.range.start.line, 4);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('ties notes to response header lines in the exchange sent to the panel', async () => {
    const wl = await api();
    const req: ResolvedRequest = {
      method: 'GET',
      url: `${demo.url}/headers/insecure`,
      httpVersion: 'HTTP/1.1',
      headers: [],
      body: null,
      options: {},
    };
    const before = wl.panels.lastRender()?.seq ?? 0;
    const ex = await wl.commands.run(req);
    const report = await wl.panels.waitForRender((r) => r.view === 'exchange' && r.seq > before);
    assert.ok(ex.response, ex.error?.message);
    const cors = ex.notes.find((n) => n.id === 'cors-wildcard-credentials');
    assert.ok(cors, `notes: ${ex.notes.map((n) => n.id).join(', ')}`);
    const m = /^header:(\d+)$/.exec(cors.subject);
    assert.ok(m);
    assert.equal(ex.response.headers[Number(m[1])][0].toLowerCase(), 'access-control-allow-origin');
    for (const id of ['csp-missing', 'charset-missing', 'set-cookie-no-httponly'])
      assert.ok(
        ex.notes.some((n) => n.id === id),
        id,
      );
    // The panel lists the notes it received.
    const shown = report.sections.map((x) => x.text).join('\n');
    assert.ok(shown.includes(cors.summary), `the panel shows "${cors.summary}"`);
  });
});
