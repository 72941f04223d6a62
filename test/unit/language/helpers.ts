// Shared helpers for the language unit tests.
import * as path from 'node:path';
import type { Exchange } from '../../../src/shared/exchange';

export const ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/http');

/** Joins lines with LF (the tests spell out CRLF where it matters). */
export function lines(...l: string[]): string {
  return l.join('\n');
}

/** A finished exchange whose response has `body` and `headers` (a POST with `requestBody`): what request variables read. */
export function exchange(body: string, headers: [string, string][] = [], requestBody = ''): Exchange {
  const raw = Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\n\r\n${requestBody}`);
  return {
    request: {
      method: 'POST',
      url: 'http://x/',
      httpVersion: 'HTTP/1.1',
      headers: [
        ['Host', 'x'],
        ['X-Req', 'r1'],
      ],
      rawBase64: raw.toString('base64'),
    },
    response: {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers,
      trailers: [],
      interim: [],
      body: { base64: Buffer.from(body).toString('base64'), text: body, size: body.length, wireSize: body.length, truncated: false },
      rawBase64: '',
    },
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null,
    redirects: [],
    notes: [],
    error: null,
  } as unknown as Exchange;
}
