// Plain-words explanations of failures: what happened, in which phase, and what usually causes it.
import type { ErrorPhase, ExchangeError } from '../../shared/exchange';

export interface ErrorExplanation {
  title: string;
  phase: string;
  causes: string[];
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
};

interface Entry { title: string; causes: string[] }

const BY_CODE: Record<string, Entry> = {
  ECONNREFUSED: { title: 'The server refused the connection.', causes: ['Nothing is listening on that port (server not started, wrong port).', 'The host is up but a firewall rejects the port.', 'The server listens on another address family (IPv4 vs IPv6) or interface.'] },
  ECONNRESET: { title: 'The connection was reset by the other side.', causes: ['The server crashed or closed the socket abruptly.', 'A proxy or load balancer dropped the connection.', 'Plain HTTP was sent to a TLS port, or the other way round.'] },
  ETIMEDOUT: { title: 'No answer within the time limit.', causes: ['The server is slow or overloaded.', 'A firewall silently drops packets.', 'The timeout (setting wirelens.timeout or # @timeout) is too short for this endpoint.'] },
  ESOCKETTIMEDOUT: { title: 'The socket stayed idle too long.', causes: ['The server stopped sending mid-response.', 'The timeout is too short for a slow stream.'] },
  ENOTFOUND: { title: 'The host name does not resolve.', causes: ['A typo in the host name.', 'The name exists only in another network (VPN, internal DNS).', 'No DNS server is reachable.'] },
  EAI_AGAIN: { title: 'The DNS lookup failed temporarily.', causes: ['The DNS server did not answer in time.', 'The network is down.'] },
  EHOSTUNREACH: { title: 'No route to the host.', causes: ['The host is down or the network path is broken.', 'A firewall rejects the traffic.'] },
  ENETUNREACH: { title: 'The network is unreachable.', causes: ['No network connection, or no route for this address family (e.g. IPv6).'] },
  EPIPE: { title: 'The server closed the connection while the request was being written.', causes: ['The server rejected the request early (too large, unauthorised) and closed.', 'The server does not accept this kind of request body.'] },
  EPROTO: { title: 'The TLS handshake failed at the protocol level.', causes: ['The server does not speak TLS on this port (try http://).', 'No TLS version or cipher in common.'] },
  cancelled: { title: 'The request was cancelled.', causes: ['Cancel was pressed, or a new request replaced this one.'] },
  ABORT_ERR: { title: 'The request was cancelled.', causes: ['Cancel was pressed, or a new request replaced this one.'] },
  ERR_INVALID_URL: { title: 'The URL is not valid.', causes: ['A variable did not resolve, or the URL lacks a scheme (http:// or https://).'] },
  EADDRNOTAVAIL: { title: 'The local address cannot be used for this connection.', causes: ['All local ports are in use (too many connections in a short time).', 'The address family is not configured on this machine.'] },
  EAFNOSUPPORT: { title: 'This machine cannot use that address family.', causes: ['IPv6 (or IPv4) is disabled here; try the host\'s other address.'] },
  HPE_HEADER_OVERFLOW: { title: 'The response head is larger than the limit.', causes: ['The server sends very large headers (big cookies, long tokens).', 'The server does not speak HTTP/1.x and never sends the blank line ending a head.'] },
  WL_EMPTY_REPLY: { title: 'The server closed the connection without sending anything.', causes: ['The server crashed or rejected the request before answering.', 'The port speaks another protocol (TLS, HTTP/2 only) and hung up.', 'A proxy or firewall cut the connection.'] },
  WL_TOO_MANY_REDIRECTS: { title: 'Too many redirects: the chain did not end.', causes: ['A redirect loop (A → B → A), often from a cookie or login check.', 'The limit (setting wirelens.maxRedirects) is lower than this chain.'] },
  WL_BAD_REDIRECT: { title: 'The redirect points nowhere usable.', causes: ['The Location header is missing, empty or not a valid URL.', 'It points to a scheme other than http or https.'] },
  WL_DECODE_FAILED: { title: 'The body could not be decoded with its Content-Encoding.', causes: ['The server labels the body with a coding it did not apply (or applied twice).', 'The body was cut short, so the compressed stream is incomplete.'] },
  WL_DECOMPRESSION_BOMB: { title: 'The compressed body expands far beyond the limit, so decoding stopped.', causes: ['A decompression bomb: a small body that inflates to a huge size.', 'A genuinely large body; raise the limit (setting wirelens.maxBodyMiB) or save it with the CLI (--body-out).'] },
  WL_BODY_TOO_LARGE: { title: 'The body is larger than the limit kept in memory.', causes: ['A large download; raise the limit (setting wirelens.maxBodyMiB) or save it with the CLI (--body-out).', 'A server that never stops sending.'] },
  WL_CLIENT_CERT: { title: 'The client certificate could not be used.', causes: ['The certificate or key file is missing or unreadable.', 'The passphrase is wrong, or key and certificate do not match.'] },
  WL_INVALID_REQUEST: { title: 'The request cannot be sent as written.', causes: ['A header name or value contains characters HTTP forbids (such as a line break).', 'The method or URL is malformed after variables were filled in.'] },
  WL_BODY_FILE: { title: 'The request body file could not be read.', causes: ['The path after `<` is wrong (it is relative to the .http file).', 'The file is not readable.'] },
  WL_BODY_OUT: { title: 'The body could not be written to its output file.', causes: ['The disk is full, or the path is not writable.'] },
  WL_H2_NOT_NEGOTIATED: { title: 'The server did not agree to HTTP/2 in the TLS handshake (ALPN).', causes: ['The server (or a proxy in front of it) speaks only HTTP/1.1.', 'HTTP/2 is disabled in its configuration.', 'Drop HTTP/2 from the request line, or write HTTP/1.1, to send it anyway.'] },
  WL_H2_FORBIDDEN_HEADER: { title: 'The request has a header field that HTTP/2 forbids, so it was not sent.', causes: ['Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding and Upgrade belong to HTTP/1.1 connections; HTTP/2 manages its connection itself.', 'TE may only be "trailers".', 'Remove the header, or send the request with HTTP/1.1.'] },
  WL_H2_HTTP1_RESPONSE: { title: 'The server answered the HTTP/2 connection preface in HTTP/1.x.', causes: ['The server does not speak HTTP/2 without TLS (h2c with prior knowledge) on this port.', 'Use https://, or HTTP/1.1 on the request line.'] },
  WL_H2_CONNECTION_CLOSED: { title: 'The server closed the HTTP/2 connection before the response ended.', causes: ['The server crashed or timed out the connection mid-response.', 'A proxy or load balancer cut the connection.', 'The server sent GOAWAY and closed without finishing the stream.'] },
  WL_INTERNAL: { title: 'Wire Lens hit an internal error.', causes: ['A bug in Wire Lens: please report it with the request (secrets removed).'] },
};

const TLS_PLAIN: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The server presented a self-signed certificate: nobody your system trusts vouches for it.',
  SELF_SIGNED_CERT_IN_CHAIN: 'The certificate chain ends in a self-signed root that your system does not trust.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The issuer of the server certificate is unknown: the server may not send its intermediate certificates.',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'The certificate was issued by an authority that is not in your trusted store (a private or corporate CA?).',
  UNABLE_TO_GET_ISSUER_CERT: 'The certificate of the issuer could not be found.',
  CERT_HAS_EXPIRED: 'The server certificate has expired.',
  CERT_NOT_YET_VALID: 'The server certificate is not valid yet (or this machine\'s clock is wrong).',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate is valid, but not for this host name: the name you used is not among its subject alternative names.',
  HOSTNAME_MISMATCH: 'The certificate is not issued for this host name.',
  CERT_REVOKED: 'The certificate has been revoked by its issuer.',
  CERT_SIGNATURE_FAILURE: 'The certificate signature does not check out: the certificate is damaged or forged.',
  CERT_CHAIN_TOO_LONG: 'The certificate chain is longer than allowed.',
  INVALID_CA: 'A certificate in the chain is not allowed to act as an authority.',
};

/** HTTP/2 error codes (RFC 9113 §7), as the record's `H2_<NAME>` codes carry them. */
const H2_ERRORS: Record<string, string> = {
  NO_ERROR: 'The HTTP/2 stream ended without an error code before the response was complete.',
  PROTOCOL_ERROR: 'An HTTP/2 protocol error: a frame or header block broke the rules of RFC 9113.',
  INTERNAL_ERROR: 'The HTTP/2 peer hit an internal error.',
  FLOW_CONTROL_ERROR: 'An HTTP/2 flow-control error: data beyond the window, or a window beyond 2^31-1.',
  SETTINGS_TIMEOUT: 'The HTTP/2 SETTINGS were not acknowledged in time.',
  STREAM_CLOSED: 'An HTTP/2 frame arrived for a stream that was already closed.',
  FRAME_SIZE_ERROR: 'An HTTP/2 frame had the wrong size (larger than SETTINGS_MAX_FRAME_SIZE, or the wrong length for its type).',
  REFUSED_STREAM: 'The server refused the HTTP/2 stream before processing it (the request is safe to retry).',
  CANCEL: 'The HTTP/2 stream was cancelled.',
  COMPRESSION_ERROR: 'An HPACK header-compression error: the header block could not be decoded (or broke a limit).',
  CONNECT_ERROR: 'The connection of a CONNECT request failed.',
  ENHANCE_YOUR_CALM: 'The HTTP/2 peer behaved abusively (a flood of frames, or too much header data), so the connection was ended.',
  INADEQUATE_SECURITY: 'The TLS connection does not meet HTTP/2\'s security requirements.',
  HTTP_1_1_REQUIRED: 'The server requires HTTP/1.1 for this request.',
  STREAM_RESET: 'The server reset the HTTP/2 stream (RST_STREAM NO_ERROR) before the response was complete.',
};

export function explainTlsFailure(code: string | null | undefined): string | null {
  if (!code) return null;
  return TLS_PLAIN[code] ?? null;
}

export function explainError(err: ExchangeError): ErrorExplanation {
  const phase = PHASES[err.phase] ?? `during ${err.phase}`;
  const tls = explainTlsFailure(err.code);
  if (tls) {
    return {
      title: tls,
      phase,
      causes: ['The server is misconfigured (wrong or incomplete certificate chain).', 'A proxy intercepts TLS with its own certificate.', 'For a local server you trust: add `# @insecure` to this request, or install its CA.'],
    };
  }
  const known = BY_CODE[err.code];
  if (known) return { title: known.title, phase, causes: known.causes };
  if (err.code.startsWith('HPE_')) {
    return {
      title: 'The response is not valid HTTP/1.x.',
      phase,
      causes: ['The server speaks another protocol on this port (HTTP/2 only, TLS, a database…).', 'A malformed status line, header or chunk framing.', 'The server sent more than the header or body limit allows.'],
    };
  }
  if (err.code.startsWith('H2_')) {
    const h2 = H2_ERRORS[err.code.slice(3)];
    return {
      title: h2 ?? 'The HTTP/2 connection failed.',
      phase,
      causes: ['The message says who detected it: the server (its GOAWAY or RST_STREAM and debug data) or Wire Lens (a frame that breaks RFC 9113).', 'The Frames section shows every frame up to the failure.'],
    };
  }
  if (err.code.startsWith('WL_')) return { title: err.message, phase, causes: ['An unexpected condition; the message above says what was seen.'] };
  if (err.code.startsWith('ERR_TLS') || err.code.startsWith('ERR_SSL') || err.phase === 'tls') {
    return { title: 'The TLS handshake failed.', phase, causes: ['The server does not speak TLS on this port.', 'No protocol version or cipher in common.', 'The certificate could not be verified.'] };
  }
  return { title: err.message || err.code, phase, causes: [] };
}
