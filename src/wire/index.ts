// Minimal engine for the foundation: one request over a net.Socket / tls socket, the response read until
// Content-Length or close. The wire-engine issue replaces the internals; callers use only `send`.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Exchange, Progress } from '../shared/exchange';
import type { ResolvedRequest } from '../shared/request';

export interface SendOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  userAgent?: string;
  insecure?: boolean;
  followRedirects?: boolean;
  maxRedirects?: number;
  maxBodyBytes?: number;
  maxHeaderBytes?: number;
  onProgress?: (p: Progress) => void;
}

/** Sends one request. Never rejects: failures come back in `exchange.error` with what was seen. */
export async function send(req: ResolvedRequest, opts: SendOptions = {}): Promise<Exchange> {
  const url = new URL(req.url);
  const headers = [...req.headers];
  if (!headers.some(([n]) => n.toLowerCase() === 'host')) headers.unshift(['Host', url.host]);
  const body = Buffer.concat((req.body ?? []).map((p) => (p.kind === 'bytes' ? Buffer.from(p.data) : Buffer.alloc(0))));
  if (req.body && !headers.some(([n]) => n.toLowerCase() === 'content-length')) headers.push(['Content-Length', String(body.length)]);
  const head = `${req.method} ${url.pathname}${url.search} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const raw = Buffer.concat([Buffer.from(head, 'latin1'), body]);
  const t0 = performance.now();
  const ex: Exchange = {
    request: { method: req.method, url: req.url, httpVersion: 'HTTP/1.1', headers, rawBase64: raw.toString('base64') },
    response: null,
    timings: { dns: null, connect: null, tls: null, send: null, firstByte: null, download: null, total: null },
    connection: null, redirects: [], notes: [], error: null, startedAt: new Date().toISOString(),
  };
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<Exchange>((resolve) => {
    const chunks: Buffer[] = [];
    const sock: net.Socket = url.protocol === 'https:'
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: !(opts.insecure || req.options.insecure) })
      : net.connect({ host, port });
    const finish = (err?: { code: string; message: string }): void => {
      ex.timings.total = performance.now() - t0;
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      if (end >= 0) {
        const lines = all.subarray(0, end).toString('latin1').split('\r\n');
        const m = /^HTTP\/(\d\.\d) (\d{3}) ?(.*)$/.exec(lines[0]);
        if (m) {
          const bodyBuf = all.subarray(end + 4);
          ex.response = {
            httpVersion: m[1], status: Number(m[2]), reason: m[3],
            headers: lines.slice(1).map((l) => { const i = l.indexOf(':'); return [l.slice(0, i), l.slice(i + 1).trim()]; }),
            trailers: [], interim: [], rawBase64: all.toString('base64'),
            body: { base64: bodyBuf.toString('base64'), text: bodyBuf.toString('utf8'), size: bodyBuf.length, wireSize: bodyBuf.length, truncated: false },
          };
        }
      }
      if (err) ex.error = { code: err.code, message: err.message, phase: ex.response ? 'body' : 'connect' };
      sock.destroy();
      resolve(ex);
    };
    sock.setTimeout(opts.timeoutMs ?? 30000, () => finish({ code: 'ETIMEDOUT', message: 'timed out' }));
    opts.signal?.addEventListener('abort', () => finish({ code: 'cancelled', message: 'cancelled' }));
    sock.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      ex.connection = {
        localAddress: sock.localAddress ?? null, localPort: sock.localPort ?? null,
        remoteAddress: sock.remoteAddress ?? null, remotePort: sock.remotePort ?? null,
        family: (sock.remoteFamily as 'IPv4' | 'IPv6' | undefined) ?? null, reused: false, tls: null,
      };
      sock.write(raw);
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const cl = /\r\ncontent-length:\s*(\d+)/i.exec(all.subarray(0, Math.max(end, 0)).toString('latin1'));
      if (end >= 0 && cl && all.length - end - 4 >= Number(cl[1])) finish();
    });
    sock.on('end', () => finish());
    sock.on('error', (e: NodeJS.ErrnoException) => finish({ code: e.code ?? 'ERR', message: e.message }));
  });
}
