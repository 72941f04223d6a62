// The one place that says a request written for another HTTP version left as HTTP/1.1. HTTP/2 is spoken (the
// h2 engine), so only versions beyond it (HTTP/3) and unknown ones get the note.
import type { Note } from '../shared/exchange';

/** Shared by every request written for a version that is spoken (nearly all): nothing to add to. */
const SPOKEN: readonly Note[] = Object.freeze([]);

export function versionNotes(requested: string | undefined): readonly Note[] {
  if (!requested || requested === 'HTTP/1.1' || /^HTTP\/(1\.[01]|2(\.0)?)$/i.test(requested.trim())) return SPOKEN;
  return [
    {
      id: 'request-version-downgraded',
      subject: 'request',
      level: 'warning',
      category: 'request',
      summary: `Written as ${requested}, sent as HTTP/1.1`,
      detail: `The request line asks for ${requested}, but this engine speaks HTTP/1.1 only, so the request was sent as HTTP/1.1. The exchange shows what an HTTP/1.1 client gets, which may differ from ${requested} (multiplexing, header compression, server push, pseudo-headers).`,
      reference: 'https://www.rfc-editor.org/rfc/rfc9113',
    },
  ];
}
