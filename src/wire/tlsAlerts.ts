// TLS failures in plain words: OpenSSL's alert codes (ERR_SSL_*_ALERT_*) mapped to typed WL_TLS_* codes with a
// message that says what the server objected to. OpenSSL's own message (error queue, source paths such as
// ../deps/openssl/...) never reaches the record; the alert's name does, for searching.
import type { ErrorPhase, WireErrorCode } from '../shared/errorCodes';
import { WireError } from './errors';

export const TLS_CODES = {
  CLIENT_CERT_REQUIRED: 'WL_TLS_CLIENT_CERT_REQUIRED',
  BAD_CERTIFICATE: 'WL_TLS_BAD_CERTIFICATE',
  UNKNOWN_CA: 'WL_TLS_UNKNOWN_CA',
  CERTIFICATE_EXPIRED: 'WL_TLS_CLIENT_CERT_EXPIRED',
  CERTIFICATE_REVOKED: 'WL_TLS_CLIENT_CERT_REVOKED',
  HANDSHAKE_FAILURE: 'WL_TLS_HANDSHAKE_FAILURE',
  PROTOCOL_VERSION: 'WL_TLS_PROTOCOL_VERSION',
  ACCESS_DENIED: 'WL_TLS_ACCESS_DENIED',
  UNRECOGNIZED_NAME: 'WL_TLS_UNRECOGNIZED_NAME',
  NO_APPLICATION_PROTOCOL: 'WL_TLS_NO_APPLICATION_PROTOCOL',
  INSUFFICIENT_SECURITY: 'WL_TLS_INSUFFICIENT_SECURITY',
  ALERT: 'WL_TLS_ALERT',
} as const satisfies Record<string, WireErrorCode>;

interface Mapped {
  code: WireErrorCode;
  message: string;
}

/** Alert names (RFC 8446 §6) as OpenSSL spells them in its codes, to what they mean for the person sending. */
const ALERTS: Record<string, (ctx: TlsFailureContext) => Mapped> = {
  CERTIFICATE_REQUIRED: (c) => ({
    code: TLS_CODES.CLIENT_CERT_REQUIRED,
    message: `The server requires a client certificate${c.clientCertificate ? ' and did not accept the one presented' : `, and none is configured for ${c.host}`} (set one in wirelens.clientCertificates)`,
  }),
  HANDSHAKE_FAILURE: (c) => ({
    code: TLS_CODES.HANDSHAKE_FAILURE,
    message: `The server refused the TLS handshake: no protocol version, cipher or key exchange in common${c.clientCertificate ? '' : `, or it requires a client certificate (none is configured for ${c.host})`}`,
  }),
  BAD_CERTIFICATE: () => ({
    code: TLS_CODES.BAD_CERTIFICATE,
    message: 'The server rejected the client certificate as bad (corrupt, wrong key, or not meant for client authentication)',
  }),
  UNSUPPORTED_CERTIFICATE: () => ({
    code: TLS_CODES.BAD_CERTIFICATE,
    message: 'The server does not accept this kind of client certificate (its key type or extended key usage)',
  }),
  CERTIFICATE_UNKNOWN: () => ({ code: TLS_CODES.BAD_CERTIFICATE, message: 'The server could not accept the client certificate' }),
  DECRYPT_ERROR: () => ({
    code: TLS_CODES.BAD_CERTIFICATE,
    message: 'The server could not verify a signature in the handshake (often: the client key does not match its certificate)',
  }),
  UNKNOWN_CA: () => ({ code: TLS_CODES.UNKNOWN_CA, message: 'The server does not trust the authority that issued the client certificate' }),
  CERTIFICATE_EXPIRED: () => ({
    code: TLS_CODES.CERTIFICATE_EXPIRED,
    message: 'The server rejected the client certificate as expired (or not yet valid)',
  }),
  CERTIFICATE_REVOKED: () => ({ code: TLS_CODES.CERTIFICATE_REVOKED, message: 'The server rejected the client certificate as revoked' }),
  PROTOCOL_VERSION: () => ({
    code: TLS_CODES.PROTOCOL_VERSION,
    message: 'The server and Wire Lens have no TLS version in common (the server offers only versions older than TLS 1.2, or newer ones only)',
  }),
  ACCESS_DENIED: () => ({
    code: TLS_CODES.ACCESS_DENIED,
    message: 'The server denied access during the handshake (the client certificate is valid but not allowed)',
  }),
  UNRECOGNIZED_NAME: (c) => ({ code: TLS_CODES.UNRECOGNIZED_NAME, message: `The server does not serve the name ${c.host} (SNI)` }),
  NO_APPLICATION_PROTOCOL: () => ({
    code: TLS_CODES.NO_APPLICATION_PROTOCOL,
    message: 'The server speaks none of the protocols offered by ALPN (http/1.1)',
  }),
  INSUFFICIENT_SECURITY: () => ({ code: TLS_CODES.INSUFFICIENT_SECURITY, message: 'The server requires stronger ciphers than were offered' }),
};

export interface TlsFailureContext {
  /** host:port, for the messages. */
  host: string;
  /** True when a client certificate was configured (and so offered) for this host. */
  clientCertificate: boolean;
}

/** The alert name in an OpenSSL code such as ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, or null. */
export function alertName(code: string | undefined): string | null {
  const m = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(code ?? '');
  return m ? m[1] : null;
}

/**
 * A typed error for a TLS failure from OpenSSL, or null when the error is not one (a reset, a timeout).
 * Certificate verification codes (DEPTH_ZERO_SELF_SIGNED_CERT…) are decided elsewhere and are not touched.
 */
export function tlsFailure(e: NodeJS.ErrnoException & { reason?: unknown }, ctx: TlsFailureContext, phase: ErrorPhase = 'tls'): WireError | null {
  const code = e.code ?? '';
  if (!code.startsWith('ERR_SSL_')) return null;
  const alert = alertName(code);
  if (alert) {
    const words = alert.toLowerCase().replace(/_/g, ' ');
    const mapped = ALERTS[alert]?.(ctx) ?? { code: TLS_CODES.ALERT, message: `The server ended the TLS session with the alert "${words}"` };
    return new WireError(mapped.code, `${mapped.message} (TLS alert: ${words})`, phase);
  }
  if (code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' || code === 'ERR_SSL_NO_PROTOCOLS_AVAILABLE' || code === 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION') {
    return new WireError(TLS_CODES.PROTOCOL_VERSION, `The server and Wire Lens have no TLS version in common (${plainReason(e)})`, phase);
  }
  const hint = code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? ' (the server does not speak TLS on this port: plain http:// perhaps?)' : '';
  return new WireError(code as WireErrorCode, `TLS handshake failed: ${plainReason(e)}${hint}`, phase);
}

/** OpenSSL's reason without its error queue and source paths. */
export function plainReason(e: Error & { reason?: unknown }): string {
  if (typeof e.reason === 'string' && e.reason !== '') return e.reason;
  // "80CC…:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/…:1601:SSL alert number 116"
  const m = /error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(e.message);
  return (m ? m[1] : e.message.split('\n')[0].replace(/:?\.\.?\/[^\s:]*(:\d+)?/g, '')).trim();
}
