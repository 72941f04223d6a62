// Plain-words explanations of failures: what happened, in which phase, and what usually causes it. The words are
// the error-code table's (src/shared/errorCodes.ts); this module adds the phase in words and the fallbacks for a
// code the table does not know (a record saved by another version).
import { errorCodeInfo, isCertificateCode, type ErrorCodeEntry, type ErrorPhase } from '../shared/errorCodes';

export interface ErrorExplanation {
  title: string;
  phase: string;
  causes: string[];
  /** Where to read more (the table's reference); absent for an unknown code. */
  reference?: string;
}

/** What an explanation needs of an error: a code that may come from an older record, hence any string. */
export interface ErrorLike {
  code: string;
  message: string;
  phase: ErrorPhase;
}

const PHASES: Record<ErrorPhase, string> = {
  resolve: 'while resolving the request (variables, URL)',
  dns: 'while looking up the host name',
  connect: 'while opening the TCP connection',
  tls: 'during the TLS handshake',
  send: 'while sending the request',
  wait: 'while waiting for the response',
  headers: 'while reading the response head',
  body: 'while reading the response body',
  decode: 'while decoding the body',
  redirect: 'while following a redirect',
  handshake: 'during the WebSocket opening handshake',
  messages: 'while exchanging messages on the open connection',
};

export function phaseInWords(phase: ErrorPhase): string {
  return PHASES[phase] ?? `during ${phase}`;
}

/** The plain sentence for a certificate verification code (`authorizationError`), or null. */
export function explainTlsFailure(code: string | null | undefined): string | null {
  if (!code || !isCertificateCode(code)) return null;
  return errorCodeInfo(code)?.summary ?? null;
}

export function explainError(err: ErrorLike): ErrorExplanation {
  const phase = phaseInWords(err.phase);
  const known = errorCodeInfo(err.code);
  if (known) return { title: known.summary, phase, causes: [...known.causes], reference: known.reference };
  if (err.code.startsWith('HPE_')) {
    return {
      title: 'The response is not valid HTTP/1.x.',
      phase,
      causes: [
        'The server speaks another protocol on this port (HTTP/2 only, TLS, a database…).',
        'A malformed status line, header or chunk framing.',
        'The server sent more than the header or body limit allows.',
      ],
    };
  }
  if (err.code.startsWith('WL_')) return { title: err.message, phase, causes: ['An unexpected condition; the message above says what was seen.'] };
  if (err.phase === 'tls') {
    return {
      title: 'The TLS handshake failed.',
      phase,
      causes: ['The server does not speak TLS on this port.', 'No protocol version or cipher in common.', 'The certificate could not be verified.'],
    };
  }
  return { title: err.message || err.code, phase, causes: [] };
}

/** An entry of the error-code table as text (`wirelens explain error CODE`) or Markdown. */
export function formatErrorCodeExplanation(e: ErrorCodeEntry, opts: { markdown?: boolean } = {}): string {
  const md = opts.markdown === true;
  const lines = [md ? `**${e.code}**` : e.code, '', e.summary, ''];
  if (e.causes.length > 0) {
    lines.push(md ? 'Likely causes:' : '  Likely causes:');
    for (const c of e.causes) lines.push(md ? `- ${c}` : `    - ${c}`);
  }
  const facts: Array<[string, string]> = [['Phase', e.phases.map((p) => `${p} (${phaseInWords(p)})`).join('; ')]];
  if (e.family) facts.push(['Family', `${e.family}: the code is the system's own, explained by its family`]);
  facts.push(['Reference', e.reference]);
  for (const [k, v] of facts) lines.push(md ? `- ${k}: ${v}` : `  ${k}: ${v}`);
  return lines.join('\n');
}
