// Every error code an exchange can end with, in one table: the phases it is raised in, a summary in plain words,
// the likely causes and a reference. `WireErrorCode` is derived from it, so a code the engine throws without an
// entry here does not compile. The panel, the CLI (`wirelens explain error CODE`) and the docs all read this table.
//
// Families of codes: Node's socket and DNS codes (ECONNREFUSED…), TLS verification codes as OpenSSL and Node name
// them (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID…), HPE_* from the HTTP/1.x parser, WL_* for
// Wire Lens' own, and `cancelled`. OpenSSL's reason codes and Node's other TLS codes (ERR_SSL_*, ERR_OSSL_*,
// ERR_TLS_*) are open-ended: they are kept as Node reports them and explained by their family (ERROR_FAMILIES).
//
// Adding a code: add its entry here (the phase it happens in, what it means, what usually causes it, where to read
// more), throw it from the engine, and test that the engine produces it.

/** Where in an exchange a failure happened (the order of the pipeline). */
export type ErrorPhase =
  | 'resolve'
  | 'dns'
  | 'connect'
  | 'tls'
  | 'send'
  | 'wait'
  | 'headers'
  | 'body'
  | 'decode'
  | 'redirect'
  /** Sockets (issue 12): the WebSocket opening handshake, and messages on an open connection. */
  | 'handshake'
  | 'messages';

export interface ErrorCodeInfo {
  /** The phases the engine raises this code in (most codes happen in one). */
  phases: readonly ErrorPhase[];
  /** What happened, in one plain sentence. */
  summary: string;
  /** What usually causes it, most likely first. */
  causes: readonly string[];
  /** Where to read more: an RFC section, a manual page, or Wire Lens' own documentation. */
  reference: string;
}

const SYSTEM = 'Node.js API, Errors: Common system errors; POSIX errno';
const DNS = 'Node.js API, DNS: Error codes';
const TLS_VERIFY = 'OpenSSL, openssl-verify(1): Verification errors; RFC 5280, Section 6';
const MESSAGING = 'RFC 9112 (HTTP/1.1)';
const OURS = 'Wire Lens, docs/architecture.md: Error codes';

/** What a certificate that does not verify usually comes from (shared by every verification code). */
const CERT_CAUSES = [
  'The server is misconfigured (wrong or incomplete certificate chain).',
  'A proxy intercepts TLS with its own certificate.',
  'For a local server you trust: add `# @insecure` to this request, or install its CA.',
] as const;

const CANCEL_CAUSES = ['Cancel was pressed, or a new request replaced this one.'] as const;

function certificate(summary: string): ErrorCodeInfo {
  return { phases: ['tls'], summary, causes: CERT_CAUSES, reference: TLS_VERIFY };
}

function parse(summary: string, causes: readonly string[], section: string, phases: readonly ErrorPhase[] = ['headers']): ErrorCodeInfo {
  return { phases, summary: `The response is not valid HTTP/1.x: ${summary}`, causes, reference: `${MESSAGING}, ${section}` };
}

const OTHER_PROTOCOL = 'The server speaks another protocol on this port (HTTP/2 only, TLS, a database…).';

/** Sockets and DNS: Node's codes. */
const SOCKET_CODES = {
  ECONNREFUSED: {
    phases: ['connect', 'messages'],
    summary: 'The server refused the connection.',
    causes: [
      'Nothing is listening on that port (server not started, wrong port).',
      'The host is up but a firewall rejects the port.',
      'The server listens on another address family (IPv4 vs IPv6) or interface.',
    ],
    reference: SYSTEM,
  },
  ECONNRESET: {
    phases: ['connect', 'tls', 'send', 'wait', 'headers', 'body', 'handshake', 'messages'],
    summary: 'The connection was reset by the other side.',
    causes: [
      'The server crashed or closed the socket abruptly.',
      'A proxy or load balancer dropped the connection.',
      'Plain HTTP was sent to a TLS port, or the other way round.',
    ],
    reference: SYSTEM,
  },
  ECONNABORTED: {
    phases: ['connect', 'send', 'wait', 'body'],
    summary: 'The connection was aborted on this machine.',
    causes: ['The local network stack gave up on the connection (a network change, a VPN going down).'],
    reference: SYSTEM,
  },
  ETIMEDOUT: {
    phases: ['dns', 'connect', 'tls', 'wait', 'headers', 'body', 'handshake'],
    summary: 'No answer within the time limit.',
    causes: [
      'The server is slow or overloaded.',
      'A firewall silently drops packets.',
      'The timeout (setting wirelens.timeout, # @timeout or --timeout) is too short for this endpoint.',
    ],
    reference: SYSTEM,
  },
  ESOCKETTIMEDOUT: {
    phases: ['wait', 'body'],
    summary: 'The socket stayed idle too long.',
    causes: ['The server stopped sending mid-response.', 'The timeout is too short for a slow stream.'],
    reference: SYSTEM,
  },
  ENOTFOUND: {
    phases: ['dns'],
    summary: 'The host name does not resolve.',
    causes: ['A typo in the host name.', 'The name exists only in another network (VPN, internal DNS).', 'No DNS server is reachable.'],
    reference: DNS,
  },
  EAI_AGAIN: {
    phases: ['dns'],
    summary: 'The DNS lookup failed temporarily.',
    causes: ['The DNS server did not answer in time.', 'The network is down.'],
    reference: DNS,
  },
  EAI_FAIL: {
    phases: ['dns'],
    summary: 'The DNS server failed to answer the lookup.',
    causes: ['The DNS server is broken or refuses the query.', "The name's own DNS servers are unreachable."],
    reference: DNS,
  },
  ENODATA: {
    phases: ['dns'],
    summary: 'The host name exists but has no address.',
    causes: ['The name has records of other kinds only (no A or AAAA record).', 'Only an address family this machine does not use is published.'],
    reference: DNS,
  },
  EHOSTUNREACH: {
    phases: ['connect'],
    summary: 'No route to the host.',
    causes: ['The host is down or the network path is broken.', 'A firewall rejects the traffic.'],
    reference: SYSTEM,
  },
  EHOSTDOWN: {
    phases: ['connect'],
    summary: 'The host is down.',
    causes: ['The machine at that address does not answer on the local network.'],
    reference: SYSTEM,
  },
  ENETUNREACH: {
    phases: ['connect'],
    summary: 'The network is unreachable.',
    causes: ['No network connection, or no route for this address family (e.g. IPv6).'],
    reference: SYSTEM,
  },
  ENETDOWN: {
    phases: ['connect'],
    summary: 'The network is down.',
    causes: ['The network interface is down (no cable, Wi-Fi off, VPN disconnected).'],
    reference: SYSTEM,
  },
  EPIPE: {
    phases: ['send'],
    summary: 'The server closed the connection while the request was being written.',
    causes: ['The server rejected the request early (too large, unauthorised) and closed.', 'The server does not accept this kind of request body.'],
    reference: SYSTEM,
  },
  EPROTO: {
    phases: ['tls'],
    summary: 'The TLS handshake failed at the protocol level.',
    causes: ['The server does not speak TLS on this port (try http://).', 'No TLS version or cipher in common.'],
    reference: SYSTEM,
  },
  EADDRNOTAVAIL: {
    phases: ['connect'],
    summary: 'The local address cannot be used for this connection.',
    causes: ['All local ports are in use (too many connections in a short time).', 'The address family is not configured on this machine.'],
    reference: SYSTEM,
  },
  EAFNOSUPPORT: {
    phases: ['connect'],
    summary: 'This machine cannot use that address family.',
    causes: ["IPv6 (or IPv4) is disabled here; try the host's other address."],
    reference: SYSTEM,
  },
  EACCES: {
    phases: ['connect'],
    summary: 'This machine does not allow the connection.',
    causes: ['A local firewall or security policy blocks outgoing connections to this port.', 'Connecting to a broadcast address is not allowed.'],
    reference: SYSTEM,
  },
  EPERM: {
    phases: ['connect'],
    summary: 'The operation is not permitted on this machine.',
    causes: ['A local firewall rule (iptables, nftables, a sandbox) rejects the connection.'],
    reference: SYSTEM,
  },
  EMFILE: {
    phases: ['connect'],
    summary: 'Too many open files: no socket could be created.',
    causes: ['Too many connections or files are open in this process; the open-file limit (ulimit -n) is reached.'],
    reference: SYSTEM,
  },
  ENOBUFS: {
    phases: ['connect', 'send'],
    summary: 'The system ran out of network buffers.',
    causes: ['The machine is under heavy network load or short of memory.'],
    reference: SYSTEM,
  },
  ERR_INVALID_URL: {
    phases: ['resolve'],
    summary: 'The URL is not valid.',
    causes: ['A variable did not resolve, or the URL lacks a scheme (http:// or https://).'],
    reference: 'WHATWG URL Standard; RFC 3986',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** TLS handshakes that fail for another reason than the certificate. */
const TLS_CODES = {
  ERR_TLS_HANDSHAKE_TIMEOUT: {
    phases: ['tls'],
    summary: 'The TLS handshake did not finish in time.',
    causes: ['The server accepted the connection but never answered the handshake (not a TLS port?).', 'The server is overloaded.'],
    reference: 'RFC 8446, Section 4',
  },
  WL_TLS_CLIENT_CERT_REQUIRED: {
    phases: ['tls'],
    summary: 'The server requires a client certificate.',
    causes: [
      'No certificate is configured for this host: add it to the setting wirelens.clientCertificates (by host or host:port).',
      'The certificate configured is for another host name or port.',
    ],
    reference: 'RFC 8446, Section 6.2 (certificate_required); setting wirelens.clientCertificates',
  },
  WL_TLS_HANDSHAKE_FAILURE: {
    phases: ['tls'],
    summary: 'The server refused the TLS handshake.',
    causes: ['It requires a client certificate (TLS 1.2 servers say so with this alert).', 'No protocol version, cipher or key exchange in common.'],
    reference: 'RFC 8446, Section 6.2 (handshake_failure)',
  },
  WL_TLS_BAD_CERTIFICATE: {
    phases: ['tls'],
    summary: 'The server rejected the client certificate.',
    causes: [
      'The certificate is not meant for client authentication (extended key usage).',
      'The key does not match the certificate, or the file is damaged.',
    ],
    reference: 'RFC 8446, Section 6.2 (bad_certificate, unsupported_certificate, certificate_unknown)',
  },
  WL_TLS_UNKNOWN_CA: {
    phases: ['tls'],
    summary: 'The server does not trust the issuer of the client certificate.',
    causes: [
      'The certificate comes from an authority the server was not told to trust.',
      'The intermediate certificates are missing from the certificate file.',
    ],
    reference: 'RFC 8446, Section 6.2 (unknown_ca)',
  },
  WL_TLS_CLIENT_CERT_EXPIRED: {
    phases: ['tls'],
    summary: 'The server rejected the client certificate as expired.',
    causes: ["The certificate's validity period is over (or has not begun: check the clock)."],
    reference: 'RFC 8446, Section 6.2 (certificate_expired)',
  },
  WL_TLS_CLIENT_CERT_REVOKED: {
    phases: ['tls'],
    summary: 'The server rejected the client certificate as revoked.',
    causes: ['Its issuer revoked it; a new one is needed.'],
    reference: 'RFC 8446, Section 6.2 (certificate_revoked)',
  },
  WL_TLS_PROTOCOL_VERSION: {
    phases: ['tls'],
    summary: 'No TLS version in common with the server.',
    causes: [
      'The server only offers TLS 1.1 or older, which Wire Lens (like current browsers) refuses.',
      'The server only offers a version this build does not support.',
    ],
    reference: 'RFC 8446, Section 6.2 (protocol_version); RFC 8996',
  },
  WL_TLS_ACCESS_DENIED: {
    phases: ['tls'],
    summary: 'The server denied access during the TLS handshake.',
    causes: ['The client certificate is valid but not allowed for this service.'],
    reference: 'RFC 8446, Section 6.2 (access_denied)',
  },
  WL_TLS_UNRECOGNIZED_NAME: {
    phases: ['tls'],
    summary: 'The server does not serve this host name.',
    causes: ['The name (sent as SNI) is not configured on the server; try its canonical name.'],
    reference: 'RFC 6066, Section 3 (unrecognized_name)',
  },
  WL_TLS_NO_APPLICATION_PROTOCOL: {
    phases: ['tls'],
    summary: 'The server speaks none of the protocols offered (ALPN).',
    causes: ['The server only speaks HTTP/2 or another protocol on this port.'],
    reference: 'RFC 7301, Section 3.2 (no_application_protocol)',
  },
  WL_TLS_INSUFFICIENT_SECURITY: {
    phases: ['tls'],
    summary: 'The server requires stronger ciphers than were offered.',
    causes: ['A strict server policy; the client offers only its defaults.'],
    reference: 'RFC 8446, Section 6.2 (insufficient_security)',
  },
  WL_TLS_ALERT: {
    phases: ['tls'],
    summary: 'The server ended the TLS session with an alert.',
    causes: ["The message names the alert; the server's log says why it sent it."],
    reference: 'RFC 8446, Section 6 (alerts)',
  },
  ERR_TLS: {
    phases: ['tls'],
    summary: 'The TLS handshake failed.',
    causes: ['The server does not speak TLS on this port.', 'No protocol version or cipher in common.', 'The certificate could not be verified.'],
    reference: 'RFC 8446 (TLS 1.3); RFC 5246 (TLS 1.2)',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Certificates that do not verify (Node's and OpenSSL's verification codes, as `authorizationError` holds them). */
const CERTIFICATE_CODES = {
  ERR_TLS_CERT_UNTRUSTED: certificate('The server certificate is not trusted.'),
  ERR_TLS_CERT_ALTNAME_INVALID: certificate(
    'The certificate is valid, but not for this host name: the name you used is not among its subject alternative names.',
  ),
  DEPTH_ZERO_SELF_SIGNED_CERT: certificate('The server presented a self-signed certificate: nobody your system trusts vouches for it.'),
  SELF_SIGNED_CERT_IN_CHAIN: certificate('The certificate chain ends in a self-signed root that your system does not trust.'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: certificate(
    'The issuer of the server certificate is unknown: the server may not send its intermediate certificates.',
  ),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: certificate(
    'The certificate was issued by an authority that is not in your trusted store (a private or corporate CA?).',
  ),
  UNABLE_TO_GET_ISSUER_CERT: certificate('The certificate of the issuer could not be found.'),
  CERT_HAS_EXPIRED: certificate('The server certificate has expired.'),
  CERT_NOT_YET_VALID: certificate("The server certificate is not valid yet (or this machine's clock is wrong)."),
  HOSTNAME_MISMATCH: certificate('The certificate is not issued for this host name.'),
  CERT_REVOKED: certificate('The certificate has been revoked by its issuer.'),
  CERT_SIGNATURE_FAILURE: certificate('The certificate signature does not check out: the certificate is damaged or forged.'),
  CERT_CHAIN_TOO_LONG: certificate('The certificate chain is longer than allowed.'),
  INVALID_CA: certificate('A certificate in the chain is not allowed to act as an authority.'),
  PATH_LENGTH_EXCEEDED: certificate('The chain has more intermediate authorities than one of them allows.'),
  INVALID_PURPOSE: certificate('The certificate is not meant for a TLS server (its key usage says otherwise).'),
  CERT_UNTRUSTED: certificate('The root of the chain is not trusted for this purpose.'),
  CERT_REJECTED: certificate('The root of the chain is marked to reject this purpose.'),
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: certificate('The certificate signature could not be read.'),
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: certificate("The issuer's public key could not be read."),
  ERROR_IN_CERT_NOT_BEFORE_FIELD: certificate("The certificate's start of validity is malformed."),
  ERROR_IN_CERT_NOT_AFTER_FIELD: certificate("The certificate's end of validity is malformed."),
  UNABLE_TO_GET_CRL: certificate('The revocation list for the certificate could not be found.'),
  UNABLE_TO_DECRYPT_CRL_SIGNATURE: certificate('The signature of the revocation list could not be read.'),
  CRL_SIGNATURE_FAILURE: certificate('The signature of the revocation list does not check out.'),
  CRL_NOT_YET_VALID: certificate("The revocation list is not valid yet (or this machine's clock is wrong)."),
  CRL_HAS_EXPIRED: certificate('The revocation list has expired.'),
  ERROR_IN_CRL_LAST_UPDATE_FIELD: certificate("The revocation list's last update time is malformed."),
  ERROR_IN_CRL_NEXT_UPDATE_FIELD: certificate("The revocation list's next update time is malformed."),
  OUT_OF_MEM: certificate('OpenSSL ran out of memory while verifying the certificate.'),
} as const satisfies Record<string, ErrorCodeInfo>;

/** The HTTP/1.x parser (llhttp's names). */
const PARSE_CODES = {
  HPE_INVALID_EOF_STATE: parse(
    'the connection closed before the response was complete.',
    ['The server closed the connection early (crash, restart, a proxy timeout).', 'The Content-Length is larger than the body the server sent.'],
    'Section 8',
    ['headers', 'body'],
  ),
  HPE_HEADER_OVERFLOW: parse(
    'the response head is larger than the limit.',
    [
      'The server sends very large headers (big cookies, long tokens).',
      'The server does not speak HTTP/1.x and never sends the blank line ending a head.',
    ],
    'Section 2.3',
    ['headers', 'body'],
  ),
  HPE_INVALID_CONSTANT: parse('the status line does not start with "HTTP/".', [OTHER_PROTOCOL, 'Plain HTTP was sent to a TLS port.'], 'Section 4'),
  HPE_INVALID_VERSION: parse(
    'the status line names an HTTP version this client does not speak.',
    [OTHER_PROTOCOL, 'A broken server or proxy.'],
    'Section 2.3',
  ),
  HPE_INVALID_STATUS: parse(
    'the status code or reason phrase is malformed.',
    ['A broken server or proxy writes a malformed status line.', OTHER_PROTOCOL],
    'Section 4',
  ),
  HPE_INVALID_HEADER_TOKEN: parse(
    'a header line is malformed.',
    [
      'A header name with spaces or forbidden characters, or a value with control characters.',
      'A line without a colon, or one starting with whitespace (obsolete folding in the wrong place).',
    ],
    'Section 5',
    ['headers', 'body'],
  ),
  HPE_UNEXPECTED_CONTENT_LENGTH: parse(
    'the response has both Transfer-Encoding and Content-Length.',
    ['A server or proxy adds a length to a chunked response: a request smuggling risk.'],
    'Section 6.3',
    ['headers'],
  ),
  HPE_INVALID_CONTENT_LENGTH: parse(
    'the Content-Length is malformed or given twice with different values.',
    ['A broken server or proxy; differing lengths are a message smuggling risk.'],
    'Section 6.3',
  ),
  HPE_INVALID_CHUNK_SIZE: parse(
    'a chunk-size line is malformed.',
    ['The body is not actually chunked although Transfer-Encoding says so.', 'A broken server or proxy writes bad chunk framing.'],
    'Section 7.1',
    ['body'],
  ),
  HPE_STRICT: parse(
    'a chunk extension breaks the chunk-ext grammar (llhttp: "Invalid character in chunk extensions").',
    [
      'An extension without a name (`2;`), a value that is neither a token nor a closed quoted string.',
      'A broken server or proxy writes bad chunk framing; lenient parsers read such bodies differently (a smuggling risk).',
    ],
    'Section 7.1.1',
    ['body'],
  ),
  HPE_CR_EXPECTED: parse(
    'a chunk is not followed by CRLF.',
    ['The chunk is longer than its declared size.', 'A broken server or proxy writes bad chunk framing.'],
    'Section 7.1',
    ['body'],
  ),
  HPE_LF_EXPECTED: parse('a CR at the end of a chunk is not followed by LF.', ['A broken server or proxy writes bad chunk framing.'], 'Section 7.1', [
    'body',
  ]),
} as const satisfies Record<string, ErrorCodeInfo>;

/** Wire Lens' own, and cancelling. */
const OWN_CODES = {
  WL_INVALID_REQUEST: {
    phases: ['resolve'],
    summary: 'The request cannot be sent as written.',
    causes: [
      'A header name or value contains characters HTTP forbids (such as a line break).',
      'The method or URL is malformed after variables were filled in.',
    ],
    reference: 'RFC 9110, Section 5; RFC 9112, Section 3',
  },
  WL_BODY_FILE: {
    phases: ['send'],
    summary: 'The request body file could not be read.',
    causes: ['The path after `<` is wrong (it is relative to the .http file).', 'The file is not readable.'],
    reference: OURS,
  },
  WL_BODY_TOO_LARGE: {
    phases: ['body', 'decode'],
    summary: 'The body is larger than the limit kept in memory.',
    causes: [
      'A large download; raise the limit (setting wirelens.maxBodyMiB) or save it with the CLI (--body-out).',
      'A server that never stops sending.',
    ],
    reference: OURS,
  },
  WL_BODY_OUT: {
    phases: ['body'],
    summary: 'The body could not be written to its output file.',
    causes: ['The disk is full, or the path is not writable.'],
    reference: OURS,
  },
  WL_DECODE_FAILED: {
    phases: ['decode'],
    summary: 'The body could not be decoded with its Content-Encoding.',
    causes: [
      'The server labels the body with a coding it did not apply (or applied twice).',
      'The body was cut short, so the compressed stream is incomplete.',
    ],
    reference: 'RFC 9110, Section 8.4',
  },
  WL_DECOMPRESSION_BOMB: {
    phases: ['decode'],
    summary: 'The compressed body expands far beyond the limit, so decoding stopped.',
    causes: [
      'A decompression bomb: a small body that inflates to a huge size.',
      'A genuinely large body; raise the limit (setting wirelens.maxBodyMiB) or save it with the CLI (--body-out).',
    ],
    reference: 'RFC 9110, Section 8.4; RFC 1951',
  },
  WL_TOO_MANY_CODINGS: {
    phases: ['decode'],
    summary: 'The response stacks more codings than Wire Lens decodes (at most 5, like curl); the body is kept as received.',
    causes: [
      'A hostile or broken server repeats Content-Encoding (a denial-of-service attempt).',
      'A proxy chain that compresses an already compressed body again and again.',
    ],
    reference: 'RFC 9110, Section 8.4; curl CVE-2022-32206',
  },
  WL_MAX_TIME: {
    phases: ['resolve', 'dns', 'connect', 'tls', 'send', 'wait', 'headers', 'body', 'decode'],
    summary: 'The whole exchange took longer than the maximum time allowed; what arrived is kept.',
    causes: [
      'The server sends the body, chunks or trailers slowly (a drip), or the download is large.',
      'The limit (--max-time, # @max-time or the setting wirelens.maxTimeMs) is too short for this endpoint.',
    ],
    reference: OURS,
  },
  WL_TOO_MANY_REDIRECTS: {
    phases: ['redirect'],
    summary: 'Too many redirects: the chain did not end.',
    causes: [
      'A redirect loop (A → B → A), often from a cookie or login check.',
      'The limit (setting wirelens.maxRedirects) is lower than this chain.',
    ],
    reference: 'RFC 9110, Section 15.4',
  },
  WL_BAD_REDIRECT: {
    phases: ['redirect'],
    summary: 'The redirect points nowhere usable.',
    causes: ['The Location header is missing, empty or not a valid URL.', 'It points to a scheme other than http or https.'],
    reference: 'RFC 9110, Section 10.2.2',
  },
  WL_EMPTY_REPLY: {
    phases: ['wait'],
    summary: 'The server closed the connection without sending anything.',
    causes: [
      'The server crashed or rejected the request before answering.',
      'The port speaks another protocol (TLS, HTTP/2 only) and hung up.',
      'A proxy or firewall cut the connection.',
    ],
    reference: 'RFC 9112, Section 9.6',
  },
  WL_CLIENT_CERT: {
    phases: ['tls'],
    summary: 'The client certificate could not be used.',
    causes: ['The certificate or key file is missing or unreadable.', 'The passphrase is wrong, or key and certificate do not match.'],
    reference: 'RFC 8446, Section 4.4.2; setting wirelens.clientCertificates',
  },
  WL_PROXY_CONFIG: {
    phases: ['resolve'],
    summary: 'The proxy setting cannot be used.',
    causes: [
      'The proxy URL (http.proxy, --proxy, # @proxy or HTTP_PROXY / HTTPS_PROXY / ALL_PROXY) is not a valid URL.',
      'Its scheme is not one Wire Lens speaks: http://, https://, socks5:// or socks5h://.',
    ],
    reference: 'Wire Lens README: Proxies',
  },
  WL_PROXY_CONNECT: {
    phases: ['connect'],
    summary: 'The proxy did not open a tunnel to the server.',
    causes: [
      'The proxy forbids CONNECT to this port or host (its access rules).',
      'The proxy could not reach the server (its answer says why: 502, 503, 504).',
      'The proxy closed the connection or answered with something that is not HTTP.',
    ],
    reference: 'RFC 9110, Section 9.3.6',
  },
  WL_PROXY_AUTH: {
    phases: ['connect'],
    summary: 'The proxy requires authentication (407).',
    causes: [
      'No credentials were given: put them in the proxy URL (http://user:password@proxy:port).',
      'The credentials in the proxy URL were rejected, or the proxy wants a scheme other than Basic.',
    ],
    reference: 'RFC 9110, Section 15.5.8',
  },
  WL_SOCKS: {
    phases: ['connect', 'dns'],
    summary: 'The SOCKS5 proxy did not open a connection to the server.',
    causes: [
      'The proxy requires a user name and password (socks5://user:password@proxy:1080), or rejected them.',
      'The proxy could not reach the server (host unreachable, connection refused).',
      'The port is not a SOCKS5 proxy.',
    ],
    reference: 'RFC 1928, Section 6; RFC 1929',
  },
  WL_SYSTEM: {
    phases: ['connect', 'tls', 'send', 'wait', 'body'],
    summary: 'The operating system reported an error this table does not list.',
    causes: ["The message names the system's own code; see the system's documentation for it."],
    reference: SYSTEM,
  },
  WL_INTERNAL: {
    phases: ['resolve', 'connect', 'send', 'body', 'decode'],
    summary: 'Wire Lens hit an internal error.',
    causes: ['A bug in Wire Lens: please report it with the request (secrets removed).'],
    reference: OURS,
  },
  cancelled: {
    phases: ['resolve', 'dns', 'connect', 'tls', 'send', 'wait', 'headers', 'body', 'decode', 'redirect', 'handshake', 'messages'],
    summary: 'The request was cancelled.',
    causes: CANCEL_CAUSES,
    reference: OURS,
  },
  ABORT_ERR: { phases: ['send', 'wait', 'body'], summary: 'The request was cancelled.', causes: CANCEL_CAUSES, reference: OURS },
} as const satisfies Record<string, ErrorCodeInfo>;

/** HTTP/2 (RFC 9113): the error codes of §7 as `H2_<NAME>`, from the peer's GOAWAY / RST_STREAM or found by Wire
 * Lens in what the peer sent, and Wire Lens' own HTTP/2 codes. */
const H2 = 'RFC 9113, Section 7';
const H2_CAUSE_FRAMES = 'The Frames section (or --frames in the terminal) shows every frame up to the failure, and who sent the error.';
const h2 = (summary: string, cause: string, phases: readonly ErrorPhase[] = ['wait', 'headers', 'body']): ErrorCodeInfo => ({
  phases,
  summary,
  causes: [cause, H2_CAUSE_FRAMES],
  reference: H2,
});
const H2_CODES = {
  H2_NO_ERROR: h2(
    'The HTTP/2 connection ended without an error code before the response was complete.',
    'The server shut down gracefully in the middle of the exchange.',
  ),
  H2_PROTOCOL_ERROR: h2(
    'An HTTP/2 protocol error: a frame or header block broke the rules of RFC 9113.',
    'A broken or hostile server (a bad connection preface, a frame on the wrong stream, a malformed response), or the server found fault with the request.',
  ),
  H2_INTERNAL_ERROR: h2(
    'The HTTP/2 peer hit an internal error.',
    'The server failed while answering; its GOAWAY debug data (in the message) often says why.',
  ),
  H2_FLOW_CONTROL_ERROR: h2(
    'An HTTP/2 flow-control error: data beyond the window, or a window beyond 2^31-1.',
    'The server ignored the window Wire Lens granted, or sent a WINDOW_UPDATE that overflows.',
  ),
  H2_SETTINGS_TIMEOUT: h2('The HTTP/2 SETTINGS were not acknowledged in time.', 'The peer is too slow or does not process SETTINGS.'),
  H2_STREAM_CLOSED: h2('An HTTP/2 frame arrived for a stream that was already closed.', 'A broken server keeps sending on a finished stream.'),
  H2_FRAME_SIZE_ERROR: h2(
    'An HTTP/2 frame had the wrong size (larger than SETTINGS_MAX_FRAME_SIZE, or the wrong length for its type).',
    'A broken or hostile server; a frame larger than the limit is refused before its payload is read.',
  ),
  H2_REFUSED_STREAM: h2(
    'The server refused the HTTP/2 stream before processing it: the request is safe to retry.',
    'The server is shutting down (GOAWAY) or over its concurrency limit.',
  ),
  H2_CANCEL: h2('The HTTP/2 stream was cancelled.', 'The server no longer needs the stream (it cancelled the request).'),
  H2_COMPRESSION_ERROR: h2(
    'An HPACK header-compression error: the header block could not be decoded or broke a limit.',
    'A broken encoder, or an HPACK bomb: a table size beyond our setting, or a header list beyond the limit (wirelens header limit).',
  ),
  H2_CONNECT_ERROR: h2('The connection of a CONNECT request failed.', 'The proxy could not reach the target.'),
  H2_ENHANCE_YOUR_CALM: h2(
    'The HTTP/2 peer behaved abusively (a flood of frames, or too much header data), so the connection was ended.',
    'A flood of HEADERS, CONTINUATION, PING or SETTINGS frames, or a header block beyond the limit.',
  ),
  H2_INADEQUATE_SECURITY: h2(
    "The TLS connection does not meet HTTP/2's security requirements.",
    'An old TLS version or a blocklisted cipher (RFC 9113, Appendix A).',
  ),
  H2_HTTP_1_1_REQUIRED: h2('The server requires HTTP/1.1 for this request.', 'Send it with HTTP/1.1 on the request line.'),
  H2_UNKNOWN_ERROR: h2(
    'The HTTP/2 peer sent an error code RFC 9113 does not define.',
    'An extension or a broken server; the message names the number.',
  ),
  H2_STREAM_RESET: h2(
    'The server reset the HTTP/2 stream (RST_STREAM NO_ERROR) before the response was complete.',
    'The server decided not to finish the response.',
  ),
  WL_H2_NOT_NEGOTIATED: {
    phases: ['tls'],
    summary: 'The server did not agree to HTTP/2 in the TLS handshake (ALPN).',
    causes: [
      'The server (or a proxy in front of it) speaks only HTTP/1.1, or has HTTP/2 disabled.',
      'Drop HTTP/2 from the request line, or write HTTP/1.1, to send it anyway.',
    ],
    reference: 'RFC 9113, Section 3.2; RFC 7301',
  },
  WL_H2_FORBIDDEN_HEADER: {
    phases: ['resolve'],
    summary: 'The request has a header field that HTTP/2 forbids, so it was not sent.',
    causes: [
      'Connection, Keep-Alive, Proxy-Connection, Transfer-Encoding and Upgrade belong to HTTP/1.1 connections; HTTP/2 manages its connection itself.',
      'TE may only be "trailers". Remove the header, or send the request with HTTP/1.1.',
    ],
    reference: 'RFC 9113, Section 8.2.2',
  },
  WL_H2_HTTP1_RESPONSE: {
    phases: ['wait', 'headers'],
    summary: 'The server answered the HTTP/2 connection preface in HTTP/1.x.',
    causes: [
      'The server does not speak HTTP/2 without TLS (h2c with prior knowledge) on this port.',
      'Use https://, or HTTP/1.1 on the request line.',
    ],
    reference: 'RFC 9113, Section 3.3',
  },
  WL_H2_CONNECTION_CLOSED: {
    phases: ['wait', 'headers', 'body'],
    summary: 'The server closed the HTTP/2 connection before the response ended.',
    causes: [
      'The server crashed or timed the connection out mid-response.',
      'A proxy or load balancer cut the connection.',
      'The server sent GOAWAY and closed without finishing the stream.',
    ],
    reference: 'RFC 9113, Section 5.1',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

const RFC6455 = 'RFC 6455 (The WebSocket Protocol)';
/** What "failing the WebSocket connection" did, for every violation by the server. */
const WS_VIOLATION = [
  'The server (or a proxy in between) does not implement RFC 6455 correctly.',
  'Wire Lens failed the connection with a close frame (1002, 1007 or 1009, as the RFC says); everything received before is kept.',
] as const;

/** WebSocket, TCP and UDP blocks (src/wire/tcp.ts, udp.ts, websocket/). */
const SOCKET_ENGINE_CODES = {
  WL_WS_HANDSHAKE_STATUS: {
    phases: ['handshake'],
    summary: 'The server did not switch to WebSocket (no 101 Switching Protocols).',
    causes: ['The path does not serve WebSocket, or needs authentication.', 'A proxy answered instead of the server.'],
    reference: `${RFC6455}, Section 4.1`,
  },
  WL_WS_HANDSHAKE_UPGRADE: {
    phases: ['handshake'],
    summary: 'The 101 response lacks Upgrade: websocket.',
    causes: ['The server upgraded to another protocol, or is not a WebSocket server.'],
    reference: `${RFC6455}, Section 4.1`,
  },
  WL_WS_HANDSHAKE_CONNECTION: {
    phases: ['handshake'],
    summary: 'The 101 response lacks Connection: Upgrade.',
    causes: ['A non-conforming server or proxy.'],
    reference: `${RFC6455}, Section 4.1`,
  },
  WL_WS_HANDSHAKE_ACCEPT: {
    phases: ['handshake'],
    summary: 'Sec-WebSocket-Accept is missing or does not match the key sent.',
    causes: [
      'A caching or misbehaving proxy replayed an old handshake.',
      'The server computes the value wrongly (base64 of SHA-1 of the key and the GUID).',
    ],
    reference: `${RFC6455}, Section 4.1`,
  },
  WL_WS_HANDSHAKE_PROTOCOL: {
    phases: ['handshake'],
    summary: 'The server chose a subprotocol the request did not offer.',
    causes: ['The server ignores Sec-WebSocket-Protocol, or the request offered another name.'],
    reference: `${RFC6455}, Section 4.1`,
  },
  WL_WS_HANDSHAKE_EXTENSION: {
    phases: ['handshake'],
    summary: 'The server accepted an extension (or a parameter) that was not offered or is malformed.',
    causes: ['A non-conforming server: the client must then fail the connection.'],
    reference: `${RFC6455}, Section 9.1; RFC 7692, Section 7.1`,
  },
  WL_WS_MASKED_FRAME: {
    phases: ['messages'],
    summary: 'The server sent a masked frame; servers must not mask.',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 5.1`,
  },
  WL_WS_RSV_BITS: {
    phases: ['messages'],
    summary: 'A frame has reserved bits set that no negotiated extension defines.',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 5.2`,
  },
  WL_WS_INVALID_UTF8: {
    phases: ['messages'],
    summary: 'A text message (or a close reason) is not valid UTF-8.',
    causes: ['The server sent binary data in a text frame.', WS_VIOLATION[1]],
    reference: `${RFC6455}, Section 8.1`,
  },
  WL_WS_CONTROL_TOO_LARGE: {
    phases: ['messages'],
    summary: 'A control frame (close, ping, pong) carries more than 125 bytes.',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 5.5`,
  },
  WL_WS_CONTROL_FRAGMENTED: {
    phases: ['messages'],
    summary: 'A control frame is fragmented (FIN not set).',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 5.5`,
  },
  WL_WS_BAD_CONTINUATION: {
    phases: ['messages'],
    summary: 'A continuation frame arrived out of place.',
    causes: ['A continuation with no fragmented message to continue, or a new text/binary frame in the middle of one.', WS_VIOLATION[1]],
    reference: `${RFC6455}, Section 5.4`,
  },
  WL_WS_UNKNOWN_OPCODE: {
    phases: ['messages'],
    summary: 'A frame uses an opcode RFC 6455 reserves.',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 5.2`,
  },
  WL_WS_BAD_LENGTH: {
    phases: ['messages'],
    summary: 'A frame declares an impossible payload length (64-bit length with the top bit set).',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 5.2`,
  },
  WL_WS_BAD_CLOSE: {
    phases: ['messages'],
    summary: 'The close frame is malformed (a one-byte payload, or a code that may not be sent).',
    causes: WS_VIOLATION,
    reference: `${RFC6455}, Section 7.4`,
  },
  WL_WS_FRAME_TOO_LARGE: {
    phases: ['messages'],
    summary: 'A frame is larger than the frame limit.',
    causes: ['A server streaming very large frames; the limit protects memory.'],
    reference: `${RFC6455}, Section 10.4`,
  },
  WL_WS_MESSAGE_TOO_LARGE: {
    phases: ['messages'],
    summary: 'A message is larger than the message limit.',
    causes: ['A very large, endlessly fragmented or decompression-bomb message; the limit protects memory.'],
    reference: `${RFC6455}, Section 10.4`,
  },
  WL_WS_INFLATE: {
    phases: ['messages'],
    summary: 'A compressed message (permessage-deflate) does not inflate.',
    causes: ['The server compresses wrongly, or reuses a context it said it would not keep.'],
    reference: 'RFC 7692, Section 7.2.2',
  },
  WL_WAIT_TIMEOUT: {
    phases: ['wait'],
    summary: 'The server sent nothing while `=== wait-for-server` waited.',
    causes: ['The server waits for more input first.', 'The timeout (# @timeout) is shorter than the server takes.'],
    reference: 'Wire Lens README: Sockets',
  },
  WL_UNTIL_NOT_MET: {
    phases: ['wait'],
    summary: 'The peer closed before the block\'s `@until bytes N` or `@until "TEXT"` was met.',
    causes: ['The server sends less than the rule expects.', 'The text waited for is spelt differently (line endings: \\r\\n?).'],
    reference: 'Wire Lens README: Sockets',
  },
  EMSGSIZE: {
    phases: ['send'],
    summary: 'The datagram is too large to send.',
    causes: ['It exceeds what the socket or the path can carry; send less per message (one message is one datagram).'],
    reference: SYSTEM,
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** The groups, in the order `wirelens explain --list` and the docs show them. A new protocol adds its own group. */
export const ERROR_GROUPS = {
  socket: SOCKET_CODES,
  tls: TLS_CODES,
  certificate: CERTIFICATE_CODES,
  http1: PARSE_CODES,
  wirelens: OWN_CODES,
  sockets: SOCKET_ENGINE_CODES,
  http2: H2_CODES,
} as const;
export type ErrorGroup = keyof typeof ERROR_GROUPS;

export const ERROR_CODES = {
  ...SOCKET_CODES,
  ...TLS_CODES,
  ...CERTIFICATE_CODES,
  ...PARSE_CODES,
  ...OWN_CODES,
  ...SOCKET_ENGINE_CODES,
  ...H2_CODES,
} as const satisfies Record<string, ErrorCodeInfo>;

/** Open-ended families, kept as Node reports them: the prefix is what the table knows. */
export const ERROR_FAMILIES = {
  ERR_TLS_: {
    phases: ['tls'],
    summary: 'Node refused the TLS connection.',
    causes: ['The server offers a protocol version this client does not accept, or renegotiates.', 'No protocol version or cipher in common.'],
    reference: 'Node.js API, Errors: Node.js error codes',
  },
  ERR_SSL_: {
    phases: ['tls'],
    summary: 'The TLS handshake failed (OpenSSL reports the reason in the code).',
    causes: [
      'The server does not speak TLS on this port (ERR_SSL_WRONG_VERSION_NUMBER: plain http:// perhaps?).',
      'No protocol version or cipher in common, or the server sent a TLS alert.',
      'The server requires a client certificate.',
    ],
    reference: 'RFC 8446, Section 6 (alerts); OpenSSL error codes',
  },
  ERR_OSSL_: {
    phases: ['tls'],
    summary: 'OpenSSL refused a key, certificate or setting.',
    causes: ['A client certificate or key in a format OpenSSL cannot read, or a wrong passphrase.', 'An algorithm this OpenSSL build disables.'],
    reference: 'OpenSSL error codes',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type KnownErrorCode = keyof typeof ERROR_CODES;
export type ErrorFamily = keyof typeof ERROR_FAMILIES;
/** Every code an Exchange's error can carry. */
export type WireErrorCode = KnownErrorCode | `${ErrorFamily}${string}`;

/** The codes of Wire Lens' own errors, by short name (WL.BODY_TOO_LARGE…). */
export const WL = {
  INVALID_REQUEST: 'WL_INVALID_REQUEST',
  BODY_FILE: 'WL_BODY_FILE',
  BODY_TOO_LARGE: 'WL_BODY_TOO_LARGE',
  /** The body sink (--body-out) could not be written. */
  BODY_OUT: 'WL_BODY_OUT',
  DECODE_FAILED: 'WL_DECODE_FAILED',
  DECOMPRESSION_BOMB: 'WL_DECOMPRESSION_BOMB',
  /** More stacked content/transfer codings than decoders are built for (curl's limit of 5). */
  TOO_MANY_CODINGS: 'WL_TOO_MANY_CODINGS',
  /** The whole-exchange deadline (--max-time, # @max-time, wirelens.maxTimeMs) passed. */
  MAX_TIME: 'WL_MAX_TIME',
  TOO_MANY_REDIRECTS: 'WL_TOO_MANY_REDIRECTS',
  BAD_REDIRECT: 'WL_BAD_REDIRECT',
  EMPTY_REPLY: 'WL_EMPTY_REPLY',
  CLIENT_CERT: 'WL_CLIENT_CERT',
  PROXY_CONFIG: 'WL_PROXY_CONFIG',
  PROXY_CONNECT: 'WL_PROXY_CONNECT',
  PROXY_AUTH: 'WL_PROXY_AUTH',
  SOCKS: 'WL_SOCKS',
  SYSTEM: 'WL_SYSTEM',
  INTERNAL: 'WL_INTERNAL',
  /** HTTP/2 was required (`HTTP/2` on an https request) and ALPN picked something else. */
  H2_NOT_NEGOTIATED: 'WL_H2_NOT_NEGOTIATED',
  /** A header HTTP/2 forbids (Connection, Transfer-Encoding, …): refused before sending. */
  H2_FORBIDDEN_HEADER: 'WL_H2_FORBIDDEN_HEADER',
  /** An h2c (prior knowledge) request answered in HTTP/1.x. */
  H2_HTTP1_RESPONSE: 'WL_H2_HTTP1_RESPONSE',
  /** The connection closed before the HTTP/2 stream ended. */
  H2_CONNECTION_CLOSED: 'WL_H2_CONNECTION_CLOSED',
} as const satisfies Record<string, KnownErrorCode>;

export const CANCELLED = 'cancelled' satisfies KnownErrorCode;

function isKnown(code: string): code is KnownErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

function familyOf(code: string): ErrorFamily | null {
  for (const f of Object.keys(ERROR_FAMILIES) as ErrorFamily[]) if (code.startsWith(f) && code.length > f.length) return f;
  return null;
}

export function isWireErrorCode(code: string): code is WireErrorCode {
  return isKnown(code) || familyOf(code) !== null;
}

export interface ErrorCodeEntry extends ErrorCodeInfo {
  /** The code; in a listing, a family is its prefix and `*` (`ERR_SSL_*`). */
  code: string;
  group: ErrorGroup;
  /** For a code explained by its family: the family (`ERR_SSL_*`). */
  family?: string;
}

function groupOf(code: string): ErrorGroup {
  for (const g of Object.keys(ERROR_GROUPS) as ErrorGroup[]) if (Object.prototype.hasOwnProperty.call(ERROR_GROUPS[g], code)) return g;
  return 'tls';
}

/** The table's entry for a code (exact, else its family); null for a code the table does not know. */
export function errorCodeInfo(code: string): ErrorCodeEntry | null {
  if (isKnown(code)) return { code, group: groupOf(code), ...ERROR_CODES[code] };
  const f = familyOf(code);
  return f ? { code, group: 'tls', family: `${f}*`, ...ERROR_FAMILIES[f] } : null;
}

/** True for a certificate verification code (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED…). */
export function isCertificateCode(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CERTIFICATE_CODES, code);
}

/** Every entry, group by group, families (`ERR_SSL_*`) with TLS, for `wirelens explain --list` and the docs. */
export function errorCodes(): ErrorCodeEntry[] {
  const out: ErrorCodeEntry[] = [];
  for (const g of Object.keys(ERROR_GROUPS) as ErrorGroup[]) {
    for (const [code, info] of Object.entries(ERROR_GROUPS[g]) as [string, ErrorCodeInfo][]) out.push({ code, group: g, ...info });
    if (g === 'tls') for (const f of Object.keys(ERROR_FAMILIES) as ErrorFamily[]) out.push({ code: `${f}*`, group: g, ...ERROR_FAMILIES[f] });
  }
  return out;
}

/** A code from outside the engine (a Node error) as a table code: itself when known, WL_SYSTEM otherwise. */
export function toWireErrorCode(code: unknown, fallback: WireErrorCode = WL.INTERNAL): WireErrorCode {
  if (typeof code !== 'string' || code === '') return fallback;
  return isWireErrorCode(code) ? code : WL.SYSTEM;
}
