// Self-signed certificates made at run time (never committed): for the demo origin's TLS port and the tests.
import { generate } from 'selfsigned';

export interface GeneratedCert {
  key: string;
  cert: string;
  fingerprint: string;
}

export interface CertOptions {
  commonName?: string;
  dnsNames?: string[];
  ips?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

export async function makeSelfSigned(opts: CertOptions = {}): Promise<GeneratedCert> {
  const dns = opts.dnsNames ?? ['localhost'];
  const ips = opts.ips ?? ['127.0.0.1', '::1'];
  const now = Date.now();
  const pems = await generate(
    [
      { name: 'commonName', value: opts.commonName ?? 'localhost' },
      { name: 'organizationName', value: 'Wire Lens demo' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      notBeforeDate: opts.notBefore ?? new Date(now - 60_000),
      notAfterDate: opts.notAfter ?? new Date(now + 7 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
      ],
    },
  );
  return { key: pems.private, cert: pems.cert, fingerprint: pems.fingerprint };
}
