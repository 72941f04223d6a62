// Builds Exchange records for the panel's unit tests (what the engine would produce for a given response).
import type { Exchange, HeaderPair } from '../../../src/shared/exchange';

export interface FixtureOptions {
  method?: string;
  url?: string;
  requestHeaders?: HeaderPair[];
  requestBody?: string;
  status?: number;
  reason?: string;
  headers?: HeaderPair[];
  body?: Buffer;
  text?: string | null;
  truncated?: boolean;
}

export function makeExchange(o: FixtureOptions = {}): Exchange {
  const url = new URL(o.url ?? 'http://127.0.0.1:8080/json');
  const reqHeaders: HeaderPair[] = o.requestHeaders ?? [
    ['Host', url.host],
    ['Accept', '*/*'],
  ];
  const reqRaw = `${o.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1\r\n${reqHeaders.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${o.requestBody ?? ''}`;
  const body = o.body ?? Buffer.from('{"ok":true}');
  const headers: HeaderPair[] = o.headers ?? [
    ['Content-Type', 'application/json'],
    ['Content-Length', String(body.length)],
  ];
  const head = `HTTP/1.1 ${o.status ?? 200} ${o.reason ?? 'OK'}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const raw = Buffer.concat([Buffer.from(head, 'latin1'), body]);
  return {
    request: {
      method: o.method ?? 'GET',
      url: url.toString(),
      httpVersion: 'HTTP/1.1',
      headers: reqHeaders,
      rawBase64: Buffer.from(reqRaw, 'utf8').toString('base64'),
    },
    response: {
      httpVersion: '1.1',
      status: o.status ?? 200,
      reason: o.reason ?? 'OK',
      headers,
      trailers: [],
      interim: [],
      body: {
        base64: body.toString('base64'),
        text: o.text === undefined ? body.toString('utf8') : o.text,
        size: body.length,
        wireSize: body.length,
        truncated: o.truncated ?? false,
      },
      rawBase64: raw.toString('base64'),
      headSize: head.length,
    },
    timings: { dns: 0.5, connect: 1, tls: null, send: 0.2, firstByte: 3, download: 1, total: 5.7 },
    connection: {
      localAddress: '127.0.0.1',
      localPort: 50000,
      remoteAddress: '127.0.0.1',
      remotePort: 8080,
      family: 'IPv4',
      reused: false,
      tls: null,
    },
    redirects: [],
    notes: [],
    error: null,
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}
