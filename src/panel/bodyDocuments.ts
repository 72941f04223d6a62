// Open in Editor: response bodies as read-only virtual documents under the `wirelens-body:` scheme.
import * as vscode from 'vscode';
import type { Exchange } from '../shared/exchange';
import { base64ToBytes } from '../view/bytes';
import { hexDump } from '../view/hexdump';
import { bodyKind, extensionFor, languageFor } from '../view/tokenize';
import { headerValue } from '../shared/access';

export const BODY_SCHEME = 'wirelens-body';
/** A binary body opens as a hex dump of at most this many bytes (Save Body writes all of it). */
const EDITOR_HEX_BYTES = 1024 * 1024;

export interface BodySource {
  exchange(id: number, hop: number): Exchange | undefined;
}

/** URI of a hop's body: wirelens-body:/<id>/<hop>/response.<ext> (the extension helps VS Code pick a language). */
export function bodyUri(id: number, hop: number, ex: Exchange): vscode.Uri {
  const r = ex.response;
  const ct = r ? headerValue(r.headers, 'content-type') : null;
  const kind = r ? bodyKind(ct, r.body.size, r.body.text) : 'empty';
  const ext = kind === 'binary' || kind === 'image' ? 'hex' : extensionFor(kind, ct);
  return vscode.Uri.from({ scheme: BODY_SCHEME, path: `/${id}/${hop}/response.${ext}` });
}

export function bodyLanguage(ex: Exchange): string {
  const r = ex.response;
  if (!r) return 'plaintext';
  const ct = headerValue(r.headers, 'content-type');
  const kind = bodyKind(ct, r.body.size, r.body.text);
  return kind === 'binary' || kind === 'image' ? 'plaintext' : languageFor(kind, ct);
}

export function bodyDocumentText(ex: Exchange): string {
  const r = ex.response;
  if (!r) return '';
  const note = r.body.truncated ? `\n\n[Wire Lens: the body was cut at the engine's size limit; ${r.body.size} bytes in all]\n` : '';
  if (r.body.text !== null) return r.body.text + note;
  const dump = hexDump(base64ToBytes(r.body.base64), EDITOR_HEX_BYTES);
  const more = dump.total > dump.shown ? `\n[Wire Lens: first ${dump.shown} of ${dump.total} bytes shown; use Save Body for all of it]\n` : '';
  return `${dump.lines.join('\n')}\n${more}${note}`;
}

export class BodyDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly source: BodySource) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const m = /^\/(\d+)\/(-?\d+)\//.exec(uri.path);
    const ex = m ? this.source.exchange(Number(m[1]), Number(m[2])) : undefined;
    if (!ex) return '[Wire Lens: this response is no longer in memory; send the request again]';
    return bodyDocumentText(ex);
  }
}
