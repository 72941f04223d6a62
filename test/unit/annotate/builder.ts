// Builds Exchange fixtures for the annotation tests from a short spec; everything not given has a plain default.
import type { Exchange, HeaderPair, InterimResponse, Timings, TlsInfo } from '../../../src/shared/exchange';

/** Fixed clock for every fixture: checks judge dates against `startedAt`. */
export const STARTED = '2025-03-04T10:00:00.000Z';
export const DATE = new Date(STARTED).toUTCString();
export const dateAt = (offsetSeconds: number): string => new Date(Date.parse(STARTED) + offsetSeconds * 1000).toUTCString();

export interface Spec {
  method?: string;
  url?: string;
  /** Request headers; Host and User-Agent are added unless `bareRequest`. */
  req?: HeaderPair[];
  bareRequest?: boolean;
  reqBody?: string;
  status?: number;
  reason?: string;
  httpVersion?: string;
  /** Response headers; a Date header is added first unless `date: false`. */
  headers?: HeaderPair[];
  date?: boolean;
  body?: string;
  size?: number;
  wireSize?: number;
  truncated?: boolean;
  trailers?: HeaderPair[];
  interim?: InterimResponse[];
  timings?: Partial<Timings>;
  tls?: Partial<TlsInfo>;
  reused?: boolean;
  redirects?: number;
  noResponse?: boolean;
  noConnection?: boolean;
}

export function build(spec: Spec = {}): Exchange {
  const url = spec.url ?? (spec.tls ? 'https://example.test/' : 'http://example.test/');
  const host = new URL(url).host;
  const reqHeaders: HeaderPair[] = spec.bareRequest ? [...(spec.req ?? [])] : [['Host', host], ['User-Agent', 'wirelens-test'], ...(spec.req ?? [])];
  const method = spec.method ?? 'GET';
  const head = `${method} ${new URL(url).pathname} HTTP/1.1\r\n${reqHeaders.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const reqBody = spec.reqBody ?? '';
  const bodyText = spec.body ?? '';
  const bodyBytes = Buffer.byteLength(bodyText);
  const tls: TlsInfo | null = spec.tls
    ? {
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_128_GCM_SHA256',
        alpn: 'http/1.1',
        servername: host,
        authorized: true,
        authorizationError: null,
        certificate: null,
        chain: [],
        ...spec.tls,
      }
    : null;
  const ex: Exchange = {
    request: {
      method,
      url,
      httpVersion: '1.1',
      headers: reqHeaders,
      rawBase64: Buffer.from(head + reqBody).toString('base64'),
      bodySize: Buffer.byteLength(reqBody),
    },
    response: spec.noResponse
      ? null
      : {
          httpVersion: spec.httpVersion ?? '1.1',
          status: spec.status ?? 200,
          reason: spec.reason ?? '',
          headers: [...(spec.date === false ? [] : [['Date', DATE] as HeaderPair]), ...(spec.headers ?? [])],
          trailers: spec.trailers ?? [],
          interim: spec.interim ?? [],
          body: {
            base64: Buffer.from(bodyText).toString('base64'),
            text: bodyText || null,
            size: spec.size ?? bodyBytes,
            wireSize: spec.wireSize ?? bodyBytes,
            truncated: spec.truncated ?? false,
          },
          rawBase64: '',
        },
    timings: { dns: 1, connect: 1, tls: spec.tls ? 1 : null, send: 1, firstByte: 10, download: 1, total: 15, ...spec.timings },
    connection: spec.noConnection
      ? null
      : {
          localAddress: '127.0.0.1',
          localPort: 50000,
          remoteAddress: '127.0.0.1',
          remotePort: 80,
          family: 'IPv4',
          reused: spec.reused ?? false,
          tls,
        },
    redirects: [],
    notes: [],
    error: null,
    startedAt: STARTED,
  };
  for (let i = 0; i < (spec.redirects ?? 0); i++) ex.redirects.push(build({ status: 302, headers: [['Location', '/next']] }));
  return ex;
}
