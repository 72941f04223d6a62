// The one place that says a request written for another HTTP version left as HTTP/1.1. When the HTTP/2
// engine lands, HTTP/2 drops out of here (and this note with it, once every version is spoken).
import type { Note } from '../shared/exchange';

export function versionNotes(requested: string | undefined): Note[] {
  if (!requested || /^HTTP\/1\.[01]$/i.test(requested)) return [];
  return [{
    id: 'request-version-downgraded',
    subject: 'request',
    level: 'warning',
    category: 'request',
    summary: `Written as ${requested}, sent as HTTP/1.1`,
    detail: `The request line asks for ${requested}, but this engine speaks HTTP/1.1 only, so the request was sent as HTTP/1.1. The exchange shows what an HTTP/1.1 client gets, which may differ from ${requested} (multiplexing, header compression, server push, pseudo-headers).`,
    reference: 'https://www.rfc-editor.org/rfc/rfc9113',
  }];
}
