// A scripted HTTP/2 server for hostile cases: plain TCP (h2c) or TLS with ALPN h2, it waits for the client
// preface, then hands a peer object to the script, which writes whatever frames the case needs (valid or not).
// The client's frames are parsed as they arrive so tests can check what the engine sent back (GOAWAY, RST).
import * as net from 'node:net';
import * as tls from 'node:tls';
import { FrameType, PREFACE } from '../../../../src/wire/h2/constants';
import { FrameReader, frame, settingsFrame, type RawFrame } from '../../../../src/wire/h2/frames';
import { HpackEncoder } from '../../../../src/wire/h2/hpack';

export interface Peer {
  sock: net.Socket;
  /** The client's frames so far. */
  got: RawFrame[];
  enc: HpackEncoder;
  send(type: number, flags: number, stream: number, payload: Buffer | string): boolean;
  settings(list?: [number, number][]): void;
  /** A header block from fields, on stream 1 by default. */
  block(fields: [string, string][]): Buffer;
  headers(fields: [string, string][], flags: number, stream?: number): void;
  /** Resolves once the client sent a frame of this type. */
  waitFor(type: number): Promise<RawFrame>;
}

export interface H2TestServer {
  url: string;
  peers: Peer[];
  close(): Promise<void>;
}

function attach(sock: net.Socket, script: (p: Peer) => void, all: Peer[]): void {
  sock.on('error', () => undefined);
  let buf = Buffer.alloc(0);
  let started = false;
  const waiters: { type: number; fn: (f: RawFrame) => void }[] = [];
  const peer: Peer = {
    sock,
    got: [],
    enc: new HpackEncoder({ maxTableSize: 4096 }),
    send: (type, flags, stream, payload) =>
      sock.destroyed ? false : sock.write(frame(type, flags, stream, typeof payload === 'string' ? Buffer.from(payload) : payload)),
    settings: (list = []) => {
      if (!sock.destroyed) sock.write(settingsFrame(list));
    },
    block: (fields) => peer.enc.encode(fields.map(([name, value]) => ({ name, value }))).block,
    headers: (fields, flags, stream = 1) => {
      peer.send(FrameType.HEADERS, flags, stream, peer.block(fields));
    },
    waitFor: (type) => {
      const seen = peer.got.find((f) => f.type === type);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ type, fn: resolve }));
    },
  };
  all.push(peer);
  const reader = new FrameReader(
    1 << 24,
    (f) => {
      // DATA payloads come as views of the reads: joined here, where tests look at them whole.
      const copy = { ...f, payload: f.type === FrameType.DATA ? Buffer.concat(f.parts) : Buffer.from(f.payload), parts: [] };
      peer.got.push(copy);
      for (const w of waiters.filter((x) => x.type === f.type)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.fn(copy);
      }
    },
    () => undefined,
  );
  sock.on('data', (d: Buffer) => {
    if (started) {
      reader.push(d);
      return;
    }
    buf = Buffer.concat([buf, d]);
    if (buf.length < PREFACE.length) return;
    started = true;
    const rest = buf.subarray(PREFACE.length);
    script(peer);
    if (rest.length > 0) reader.push(rest);
  });
}

export async function h2Server(script: (p: Peer) => void, opts: { tls?: tls.TlsOptions } = {}): Promise<H2TestServer> {
  const peers: Peer[] = [];
  const sockets = new Set<net.Socket>();
  const server = opts.tls
    ? tls.createServer({ ALPNProtocols: ['h2'], ...opts.tls }, (s) => attach(s, script, peers))
    : net.createServer((s) => attach(s, script, peers));
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    peers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
