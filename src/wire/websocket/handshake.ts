// The opening handshake (RFC 6455 Section 4): an HTTP/1.1 GET with Upgrade, written byte for byte like any other
// request, and the checks of the server's 101 that decide whether the connection is a WebSocket.
import * as crypto from 'node:crypto';
import type { HeaderPair } from '../../shared/exchange';
import { WS } from '../socketErrors';
import type { WireErrorCode } from '../../shared/errorCodes';
import { acceptDeflate, EXTENSION, OFFER, parseExtensions, type DeflateParams } from './deflate';

export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function acceptFor(key: string): string {
  return crypto
    .createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

export function newKey(): string {
  return crypto.randomBytes(16).toString('base64');
}

function find(headers: HeaderPair[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export interface HandshakeRequest {
  /** The head's bytes. */
  bytes: Buffer;
  headers: HeaderPair[];
  key: string;
  /** Subprotocols offered (Sec-WebSocket-Protocol), in order. */
  protocols: string[];
  /** True when permessage-deflate was offered (Wire Lens's offer, or the request's own header). */
  offeredDeflate: boolean;
  /** Extension names the request offered. */
  offeredExtensions: string[];
}

/** The GET with the headers as written, plus those the handshake needs and the request left out. */
export function buildHandshake(url: URL, written: HeaderPair[], userAgent: string): HandshakeRequest {
  const headers: HeaderPair[] = [...written];
  const add = (name: string, value: string): void => {
    if (find(headers, name) === undefined) headers.push([name, value]);
  };
  const defaultPort = url.protocol === 'wss:' ? '443' : '80';
  add('Host', url.port && url.port !== defaultPort ? `${url.hostname}:${url.port}` : url.hostname);
  add('Upgrade', 'websocket');
  add('Connection', 'Upgrade');
  add('Sec-WebSocket-Key', newKey());
  add('Sec-WebSocket-Version', '13');
  const ownExtensions = find(headers, 'sec-websocket-extensions') !== undefined;
  if (!ownExtensions) add('Sec-WebSocket-Extensions', OFFER);
  if (userAgent) add('User-Agent', userAgent);
  const target = `${url.pathname || '/'}${url.search}`;
  const head = `GET ${target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  const protocols = (find(headers, 'sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const ext = parseExtensions(find(headers, 'sec-websocket-extensions') ?? '');
  return {
    bytes: Buffer.from(head, 'utf8'),
    headers,
    key: find(headers, 'sec-websocket-key') ?? '',
    protocols,
    offeredDeflate: typeof ext !== 'string' && ext.some((e) => e.name === EXTENSION),
    offeredExtensions: typeof ext === 'string' ? [] : ext.map((e) => e.name).filter(Boolean),
  };
}

export interface HandshakeResult {
  protocol: string | null;
  extensions: string | null;
  deflate: DeflateParams | null;
}

export interface HandshakeFailure {
  code: WireErrorCode;
  message: string;
}

/** RFC 6455 Section 4.1's client checks of the server's answer, in its order. */
export function checkHandshake(status: number, headers: HeaderPair[], req: HandshakeRequest): HandshakeResult | HandshakeFailure {
  if (status !== 101) return { code: WS.HANDSHAKE_STATUS, message: `The server answered ${status} instead of 101 Switching Protocols` };
  const upgrade = find(headers, 'upgrade');
  if (upgrade === undefined || upgrade.trim().toLowerCase() !== 'websocket') {
    return {
      code: WS.HANDSHAKE_UPGRADE,
      message: upgrade === undefined ? 'The 101 has no Upgrade header' : `The 101 upgrades to ${JSON.stringify(upgrade)}, not websocket`,
    };
  }
  const connection = find(headers, 'connection');
  if (connection === undefined || !connection.split(',').some((t) => t.trim().toLowerCase() === 'upgrade')) {
    return { code: WS.HANDSHAKE_CONNECTION, message: 'The 101 has no Connection: Upgrade' };
  }
  const accept = find(headers, 'sec-websocket-accept');
  const expected = acceptFor(req.key);
  if (accept === undefined) return { code: WS.HANDSHAKE_ACCEPT, message: 'The 101 has no Sec-WebSocket-Accept' };
  if (accept.trim() !== expected)
    return { code: WS.HANDSHAKE_ACCEPT, message: `Sec-WebSocket-Accept is ${accept.trim()}; for the key sent it must be ${expected}` };
  const protocol = find(headers, 'sec-websocket-protocol')?.trim() ?? null;
  if (protocol !== null && !req.protocols.includes(protocol)) {
    return {
      code: WS.HANDSHAKE_PROTOCOL,
      message: req.protocols.length
        ? `The server chose subprotocol ${protocol}; offered were ${req.protocols.join(', ')}`
        : `The server chose subprotocol ${protocol} but none was offered`,
    };
  }
  const extHeader = headers
    .filter(([n]) => n.toLowerCase() === 'sec-websocket-extensions')
    .map(([, v]) => v)
    .join(', ');
  let deflate: DeflateParams | null = null;
  if (extHeader.trim() !== '') {
    const exts = parseExtensions(extHeader);
    if (typeof exts === 'string') return { code: WS.HANDSHAKE_EXTENSION, message: exts };
    for (const e of exts) {
      if (!req.offeredExtensions.includes(e.name))
        return { code: WS.HANDSHAKE_EXTENSION, message: `The server accepted extension ${e.name}, which was not offered` };
      if (e.name !== EXTENSION)
        return { code: WS.HANDSHAKE_EXTENSION, message: `Extension ${e.name} is not one Wire Lens implements; it cannot take part in it` };
      if (deflate) return { code: WS.HANDSHAKE_EXTENSION, message: 'permessage-deflate accepted twice' };
      const p = acceptDeflate(e);
      if (typeof p === 'string') return { code: WS.HANDSHAKE_EXTENSION, message: p };
      deflate = p;
    }
  }
  return { protocol, extensions: extHeader.trim() || null, deflate };
}
