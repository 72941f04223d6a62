// permessage-deflate (RFC 7692): the offer, the check of the server's answer, and per-message inflate/deflate
// with the negotiated context takeover and window sizes. Inflation is bounded by the message limit (a
// decompression bomb ends in WL_WS_MESSAGE_TOO_LARGE, not in memory).
import * as zlib from 'node:zlib';
import { WS } from '../socketErrors';
import type { WireErrorCode } from '../../shared/errorCodes';

export const EXTENSION = 'permessage-deflate';
/** What Wire Lens offers: deflate, and that the server may ask for a smaller client window. */
export const OFFER = 'permessage-deflate; client_max_window_bits';

const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]);

export interface DeflateParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits: number | null;
  clientMaxWindowBits: number | null;
}

export interface ExtensionOffer {
  name: string;
  params: [string, string | null][];
}

/** `a; x=1; y, b` → [{ name: a, params: [[x, 1], [y, null]] }, { name: b, params: [] }]. Quoted values unquoted. */
export function parseExtensions(header: string): ExtensionOffer[] | string {
  const out: ExtensionOffer[] = [];
  for (const part of header.split(',')) {
    const items = part.split(';').map((x) => x.trim());
    const name = items.shift() ?? '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return `Malformed Sec-WebSocket-Extensions: ${JSON.stringify(part.trim().slice(0, 80))}`;
    const params: [string, string | null][] = [];
    for (const it of items) {
      const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:\s*=\s*("?)([!#$%&'*+.^_`|~0-9A-Za-z-]*)\2)?$/.exec(it);
      if (!m) return `Malformed extension parameter ${JSON.stringify(it.slice(0, 80))}`;
      params.push([m[1].toLowerCase(), m[3] === undefined ? null : m[3]]);
    }
    out.push({ name: name.toLowerCase(), params });
  }
  return out;
}

/** The server's permessage-deflate answer checked against Wire Lens's offer (RFC 7692 Section 7.1). */
export function acceptDeflate(ext: ExtensionOffer): DeflateParams | string {
  const p: DeflateParams = { serverNoContextTakeover: false, clientNoContextTakeover: false, serverMaxWindowBits: null, clientMaxWindowBits: null };
  const seen = new Set<string>();
  for (const [k, v] of ext.params) {
    if (seen.has(k)) return `permessage-deflate parameter ${k} appears twice`;
    seen.add(k);
    const bits = (): number | string => {
      if (v === null || !/^\d+$/.test(v)) return `${k} needs a value from 8 to 15`;
      const n = Number(v);
      return n >= 8 && n <= 15 ? n : `${k}=${v} is outside 8–15`;
    };
    switch (k) {
      case 'server_no_context_takeover':
        if (v !== null) return `${k} takes no value`;
        p.serverNoContextTakeover = true;
        break;
      case 'client_no_context_takeover':
        if (v !== null) return `${k} takes no value`;
        p.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits': {
        const n = bits();
        if (typeof n === 'string') return n;
        p.serverMaxWindowBits = n;
        break;
      }
      case 'client_max_window_bits': {
        // Offered without a value: the server may answer with one (or leave it out).
        const n = bits();
        if (typeof n === 'string') return n;
        p.clientMaxWindowBits = n;
        break;
      }
      default:
        return `permessage-deflate parameter ${k} was not offered and is unknown`;
    }
  }
  return p;
}

export class DeflateError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One connection's compression state. */
export class PerMessageDeflate {
  private inflater: zlib.InflateRaw | null = null;
  private deflater: zlib.DeflateRaw | null = null;

  constructor(
    readonly params: DeflateParams,
    private readonly maxMessageBytes: number,
  ) {}

  /** Inflates one message's payload (all its frames joined). */
  inflate(data: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      // The server's window is at most 15 bits; inflating with the largest window decodes any smaller one.
      const inf = (this.inflater ??= zlib.createInflateRaw({ windowBits: 15 }));
      const out: Buffer[] = [];
      let n = 0;
      let done = false;
      const cleanup = (): void => {
        inf.removeListener('data', onData);
        inf.removeListener('error', onError);
      };
      const drop = (): void => {
        cleanup();
        inf.destroy();
        this.inflater = null;
      };
      const onData = (d: Buffer): void => {
        if (done) return;
        n += d.length;
        if (n > this.maxMessageBytes) {
          done = true;
          drop();
          reject(new DeflateError(WS.MESSAGE_TOO_LARGE, `A compressed message inflates past the message limit (${this.maxMessageBytes} bytes)`));
          return;
        }
        out.push(d);
      };
      const onError = (e: Error): void => {
        if (done) return;
        done = true;
        drop();
        reject(new DeflateError(WS.INFLATE, `permessage-deflate: the message does not inflate (${e.message})`));
      };
      inf.on('data', onData);
      inf.on('error', onError);
      inf.write(data);
      inf.write(TAIL);
      inf.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        if (done) return;
        done = true;
        cleanup();
        if (this.params.serverNoContextTakeover) {
          inf.close();
          this.inflater = null;
        }
        resolve(Buffer.concat(out));
      });
    });
  }

  /** Deflates one message for sending (the trailing 00 00 FF FF removed, RFC 7692 Section 7.2.1). */
  deflate(data: Uint8Array): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const windowBits = this.params.clientMaxWindowBits ?? 15;
      // zlib cannot make raw deflate with an 8-bit window; 9 is what it uses instead, so the server must accept 9.
      const def = (this.deflater ??= zlib.createDeflateRaw({ windowBits: Math.max(9, windowBits), memLevel: 8 }));
      const out: Buffer[] = [];
      const onData = (d: Buffer): void => {
        out.push(d);
      };
      const onError = (e: Error): void => {
        def.removeListener('data', onData);
        this.deflater = null;
        reject(e);
      };
      def.on('data', onData);
      def.once('error', onError);
      def.write(Buffer.from(data));
      def.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        def.removeListener('data', onData);
        def.removeListener('error', onError);
        if (this.params.clientNoContextTakeover) {
          def.close();
          this.deflater = null;
        }
        let b = Buffer.concat(out);
        if (b.length >= 4 && b.subarray(b.length - 4).equals(TAIL)) b = b.subarray(0, b.length - 4);
        resolve(b);
      });
    });
  }

  close(): void {
    this.inflater?.close();
    this.deflater?.close();
    this.inflater = null;
    this.deflater = null;
  }
}
