// TLS facts for the record: protocol, cipher, ALPN, SNI and the peer chain (leaf first).
import type { PeerCertificate, DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { CertificateInfo, TlsInfo } from '../shared/exchange';

function names(o: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (o && typeof o === 'object') {
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export function certInfo(c: PeerCertificate): CertificateInfo {
  return {
    subject: names(c.subject),
    issuer: names(c.issuer),
    validFrom: c.valid_from,
    validTo: c.valid_to,
    subjectAltNames: c.subjectaltname ? c.subjectaltname.split(/,\s*/) : [],
    serialNumber: c.serialNumber,
    fingerprint256: c.fingerprint256,
  };
}

export function tlsInfo(s: TLSSocket, servername: string | null): TlsInfo {
  const chain: CertificateInfo[] = [];
  const leaf = s.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
  let c: DetailedPeerCertificate | undefined = leaf && Object.keys(leaf).length > 0 ? leaf : undefined;
  const seen = new Set<string>();
  while (c && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    chain.push(certInfo(c));
    c = c.issuerCertificate;
  }
  const cipher = s.getCipher();
  const err = s.authorizationError as unknown;
  return {
    protocol: s.getProtocol() ?? null,
    cipher: cipher?.standardName ?? cipher?.name ?? null,
    alpn: typeof s.alpnProtocol === 'string' ? s.alpnProtocol : null,
    servername,
    authorized: s.authorized,
    authorizationError:
      err === undefined || err === null ? null : err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err),
    certificate: chain[0] ?? null,
    chain,
  };
}
