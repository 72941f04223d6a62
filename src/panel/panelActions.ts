// The panel's actions on the full exchanges the store keeps: Copy as cURL, Copy Response, Copy Header, Save
// Exchange, Save Body, Open Body in Editor and a test's line, as commands (the toolbar, the palette) and as the
// webview's messages. The panel manager decides which exchange is meant (the active panel's by default).
import * as vscode from 'vscode';
import type { Exchange } from '../shared/exchange';
import type { HopRef, WebviewMessage } from '../shared/protocol';
import { headerValue, requestBody } from '../shared/access';
import { base64ToBytes } from '../view/bytes';
import { toCurl } from '../view/curl';
import { exchangeToHttpFile, responseAsText } from '../view/httpFile';
import { maskExchange, maskSecrets } from '../view/mask';
import { bodyKind, extensionFor } from '../view/tokenize';
import { BODY_SCHEME, BodyDocumentProvider, bodyLanguage, bodyUri } from './bodyDocuments';
import { curlIncludesSecrets } from './curlSecrets';
import type { ExchangeRecord, ExchangeStore } from './exchangeStore';

export interface ActionContext {
  store: ExchangeStore;
  /** The exchange the active panel shows, null when none does. */
  activeId(): number | null;
  /** The view column of the active panel (bodies open beside it). */
  activeColumn(): vscode.ViewColumn | undefined;
}

export class PanelActions implements vscode.Disposable {
  private readonly store: ExchangeStore;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly ctx: ActionContext) {
    this.store = ctx.store;
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(BODY_SCHEME, new BodyDocumentProvider({ exchange: (id, hop) => this.store.hop(id, hop) })),
      vscode.commands.registerCommand('wirelens.copyAsCurl', (id?: number, hop?: number) => this.copyCurl(id, hop)),
      vscode.commands.registerCommand('wirelens.copyResponse', (id?: number, hop?: number) => this.copyResponse(id, hop)),
      vscode.commands.registerCommand('wirelens.saveExchange', (target?: vscode.Uri, id?: number) => this.saveExchange(target, id)),
      vscode.commands.registerCommand('wirelens.saveBody', (target?: vscode.Uri, id?: number, hop?: number) => this.saveBody(target, id, hop)),
      vscode.commands.registerCommand('wirelens.openBodyInEditor', (id?: number, hop?: number) => this.openBody(id, hop)),
    ];
  }

  /** A message from a panel's webview (already validated) about the exchange `id` it shows. */
  async handle(id: number | undefined, m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'copyCurl':
        await this.copyCurl(id, m.hop);
        break;
      case 'copyResponse':
        await this.copyResponse(id, m.hop);
        break;
      case 'copyHeader':
        await this.copyHeader(id, m.hop, m.index, m.trailer);
        break;
      case 'saveExchange':
        await this.saveExchange(undefined, id);
        break;
      case 'saveBody':
        await this.saveBody(undefined, id, m.hop);
        break;
      case 'openBody':
        await this.openBody(id, m.hop);
        break;
      case 'revealLine':
        await this.revealLine(id, m.line, m.file);
        break;
      default:
        break;
    }
  }

  private target(id?: number, hop: HopRef = -1): { id: number; ex: Exchange; rec: ExchangeRecord } | undefined {
    const key = id ?? this.ctx.activeId() ?? this.store.latestId();
    const rec = this.store.get(key);
    const ex = rec ? (hop < 0 ? rec.exchange : rec.exchange.redirects[hop]) : undefined;
    if (!rec || !ex) {
      void vscode.window.showWarningMessage('Wire Lens: no response to act on. Send a request first.');
      return undefined;
    }
    return { id: key, ex, rec };
  }

  async copyCurl(id?: number, hop: HopRef = -1): Promise<string | undefined> {
    const t = this.target(id, hop);
    if (!t) return undefined;
    // The final exchange of a followed chain holds the last hop's request (GET /echo after /redirect/3): repeat the
    // request as written instead, and let curl follow the redirects as Wire Lens did.
    const chained = hop < 0 && t.ex.redirects.length > 0;
    const sentHop = chained ? t.ex.redirects[0] : t.ex;
    const req = sentHop.request;
    const body = requestBody(req, sentHop.frames);
    const full = toCurl({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: body.length ? body : null,
      insecure: t.rec.insecure,
      location: chained,
    });
    // A command line with a token in it ends up in shell history and chat windows: secrets only when chosen.
    let text = full;
    if (t.rec.secrets.length > 0) {
      const include = await curlIncludesSecrets();
      if (include === undefined) return undefined;
      if (!include) text = maskSecrets(full, t.rec.secrets);
    }
    await vscode.env.clipboard.writeText(text);
    const note = t.ex.request.rawTruncated ? ' (the body was streamed from a file and is only partly included)' : '';
    void vscode.window.setStatusBarMessage(`Wire Lens: request copied as cURL${note}`, 3000);
    return text;
  }

  async copyResponse(id?: number, hop: HopRef = -1): Promise<string | undefined> {
    const t = this.target(id, hop);
    if (!t) return undefined;
    const text = responseAsText(t.ex);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage('Wire Lens: response copied', 3000);
    return text;
  }

  async copyHeader(id: number | undefined, hop: HopRef, index: number, trailer: boolean): Promise<string | undefined> {
    const t = this.target(id, hop);
    const list = trailer ? t?.ex.response?.trailers : t?.ex.response?.headers;
    const h = list?.[index];
    if (!h) return undefined;
    const text = `${h[0]}: ${h[1]}`;
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(`Wire Lens: copied ${h[0]}`, 3000);
    return text;
  }

  async saveExchange(targetUri?: vscode.Uri, id?: number): Promise<vscode.Uri | undefined> {
    const t = this.target(id);
    if (!t) return undefined;
    const uri =
      targetUri ??
      (await vscode.window.showSaveDialog({
        defaultUri: defaultSaveUri(`response-${t.ex.response?.status ?? 'error'}.http`),
        filters: { 'HTTP file': ['http', 'rest'] },
        saveLabel: 'Save Exchange',
      }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(
      uri,
      new TextEncoder().encode(exchangeToHttpFile(maskExchange(t.ex, t.rec.secrets), { secrets: t.rec.secrets })),
    );
    return uri;
  }

  async saveBody(targetUri?: vscode.Uri, id?: number, hop: HopRef = -1): Promise<vscode.Uri | undefined> {
    const t = this.target(id, hop);
    const r = t?.ex.response;
    if (!t || !r) return undefined;
    const ct = headerValue(r.headers, 'content-type');
    const ext = extensionFor(bodyKind(ct, r.body.size, r.body.text), ct);
    const uri = targetUri ?? (await vscode.window.showSaveDialog({ defaultUri: defaultSaveUri(`response.${ext}`), saveLabel: 'Save Body' }));
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, base64ToBytes(r.body.base64));
    if (r.body.truncated)
      void vscode.window.showWarningMessage(
        `Wire Lens: the body was cut at the engine's limit; the file holds the first ${(r.body.base64.length * 0.75) | 0} bytes.`,
      );
    return uri;
  }

  async openBody(id?: number, hop: HopRef = -1): Promise<vscode.TextEditor | undefined> {
    const t = this.target(id, hop);
    if (!t) return undefined;
    const uri = bodyUri(t.id, hop, t.ex);
    let doc = await vscode.workspace.openTextDocument(uri);
    const lang = bodyLanguage(t.ex);
    if (doc.languageId !== lang) doc = await vscode.languages.setTextDocumentLanguage(doc, lang);
    // Next to the response (in the panel's group), never replacing the .http editor the user works in.
    const column = this.ctx.activeColumn();
    return vscode.window.showTextDocument(doc, { viewColumn: column ?? vscode.ViewColumn.Beside, preview: false });
  }

  /** A test's line: in the .http file the exchange came from, or in an external script next to it. */
  async revealLine(id: number | undefined, line: number, file?: string): Promise<void> {
    const source = id === undefined ? null : (this.store.get(id)?.source ?? null);
    if (!source) return;
    let uri = vscode.Uri.parse(source);
    if (file !== undefined) uri = vscode.Uri.joinPath(uri, '..', file);
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const at = new vscode.Position(Math.min(line - 1, Math.max(0, doc.lineCount - 1)), 0);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.One });
    } catch {
      void vscode.window.showWarningMessage(`Wire Lens: cannot open ${uri.fsPath || uri.toString()}.`);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function defaultSaveUri(name: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, name) : undefined;
}
