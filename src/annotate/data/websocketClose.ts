// WebSocket close codes (RFC 6455 Section 7.4.1 and the IANA registry), as data: name, meaning, whether an
// endpoint may put it in a close frame, and the reference.
export interface CloseCode {
  code: number;
  name: string;
  meaning: string;
  /** May appear in a close frame (1005, 1006 and 1015 are only reported locally). */
  sendable: boolean;
  reference: string;
}

const RFC = 'RFC 6455, Section 7.4.1';
const IANA = 'IANA WebSocket Close Code Number Registry';

export const CLOSE_CODES: readonly CloseCode[] = [
  {
    code: 1000,
    name: 'Normal Closure',
    meaning: 'The purpose for which the connection was established has been fulfilled.',
    sendable: true,
    reference: RFC,
  },
  {
    code: 1001,
    name: 'Going Away',
    meaning: 'The endpoint is going away: a server shutting down, or a browser leaving the page.',
    sendable: true,
    reference: RFC,
  },
  {
    code: 1002,
    name: 'Protocol Error',
    meaning: 'The endpoint is terminating the connection because of a protocol error.',
    sendable: true,
    reference: RFC,
  },
  {
    code: 1003,
    name: 'Unsupported Data',
    meaning: 'The endpoint received a type of data it cannot accept (e.g. binary when it only understands text).',
    sendable: true,
    reference: RFC,
  },
  { code: 1004, name: 'Reserved', meaning: 'Reserved; its meaning might be defined in the future. Not to be sent.', sendable: false, reference: RFC },
  {
    code: 1005,
    name: 'No Status Received',
    meaning: 'The close frame carried no status code. Reported locally, never sent.',
    sendable: false,
    reference: RFC,
  },
  {
    code: 1006,
    name: 'Abnormal Closure',
    meaning: 'The connection closed without a close frame (dropped, reset, crashed). Reported locally, never sent.',
    sendable: false,
    reference: RFC,
  },
  {
    code: 1007,
    name: 'Invalid Frame Payload Data',
    meaning: 'A message had data inconsistent with its type (e.g. non-UTF-8 in a text message).',
    sendable: true,
    reference: RFC,
  },
  {
    code: 1008,
    name: 'Policy Violation',
    meaning: "A message violated the endpoint's policy (a generic code when no better one fits).",
    sendable: true,
    reference: RFC,
  },
  { code: 1009, name: 'Message Too Big', meaning: 'A message was too big for the endpoint to process.', sendable: true, reference: RFC },
  {
    code: 1010,
    name: 'Mandatory Extension',
    meaning: 'The client expected the server to negotiate an extension it did not (the reason names it).',
    sendable: true,
    reference: RFC,
  },
  {
    code: 1011,
    name: 'Internal Error',
    meaning: 'The server met an unexpected condition that prevented it from fulfilling the request.',
    sendable: true,
    reference: RFC,
  },
  {
    code: 1012,
    name: 'Service Restart',
    meaning: 'The service is restarting; a client may reconnect after a short, randomised delay.',
    sendable: true,
    reference: IANA,
  },
  {
    code: 1013,
    name: 'Try Again Later',
    meaning: 'The service is overloaded or temporarily unavailable; try again later.',
    sendable: true,
    reference: IANA,
  },
  {
    code: 1014,
    name: 'Bad Gateway',
    meaning: 'A gateway or proxy received an invalid response from the upstream server.',
    sendable: true,
    reference: IANA,
  },
  {
    code: 1015,
    name: 'TLS Handshake',
    meaning: 'The TLS handshake failed (e.g. the certificate could not be verified). Reported locally, never sent.',
    sendable: false,
    reference: RFC,
  },
];

const BY_CODE = new Map(CLOSE_CODES.map((c) => [c.code, c]));

/** The meaning of any close code, ranges included. */
export function closeCode(code: number): CloseCode {
  const known = BY_CODE.get(code);
  if (known) return known;
  if (code >= 0 && code <= 999)
    return {
      code,
      name: 'Unused',
      meaning: 'Codes 0–999 are not used; a close frame with one is a protocol error.',
      sendable: false,
      reference: RFC,
    };
  if (code >= 1016 && code <= 2999)
    return {
      code,
      name: 'Reserved for the protocol',
      meaning: 'Reserved for future revisions of WebSocket and its extensions; not assigned.',
      sendable: false,
      reference: RFC,
    };
  if (code >= 3000 && code <= 3999)
    return {
      code,
      name: 'Registered (libraries, frameworks)',
      meaning: 'For libraries, frameworks and applications, registered with IANA (e.g. 3000 Unauthorized, 3003 Forbidden, 3008 Timeout).',
      sendable: true,
      reference: IANA,
    };
  if (code >= 4000 && code <= 4999)
    return {
      code,
      name: 'Private use',
      meaning: 'For private use by the application; its meaning is agreed between this client and server.',
      sendable: true,
      reference: RFC,
    };
  return { code, name: 'Invalid', meaning: 'Close codes are 1000–4999; this one cannot appear.', sendable: false, reference: RFC };
}

/** "1000 Normal Closure: …" */
export function explainCloseCode(code: number | null | undefined): string {
  if (code === null || code === undefined) return '1005 No Status Received: the close frame carried no code.';
  const c = closeCode(code);
  return `${code} ${c.name}: ${c.meaning}`;
}
