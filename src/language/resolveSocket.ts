// A socket block at send time: the target checked again after substitution, every message turned into the exact
// bytes to send (escapes decoded, lines joined), the block's own checks re-run so that nothing malformed is sent.
import type { SocketRequest, SocketStep } from '../shared/request';
import { checkSocketBlock } from './socketBlock';
import { decodeEscapes, MAX_UDP_PAYLOAD, parseHostPort, parseWebSocketUrl, piecesToBytes, type SocketBlock } from './sockets';
import type { RequestBlock } from './types';

export function resolveSocket(
  block: RequestBlock,
  socket: SocketBlock,
  target: string,
  sub: (text: string, line: number) => string,
  fail: (line: number, message: string) => void,
): { request: SocketRequest; url: string; kind: SocketRequest['kind'] } | null {
  // The parser's checks again: a block with an error diagnostic is never sent.
  checkSocketBlock(
    {
      kind: socket.kind,
      target: block.target.includes('{{') ? 'x:1' : block.target,
      requestLine: block.requestLine,
      httpVersion: block.httpVersion,
      bodyLines: [],
      bodyStartLine: 0,
      metadataEntries: block.metadataEntries,
    },
    (line, severity, message) => {
      if (severity === 'error') fail(line, message);
    },
  );
  const kind = socket.kind;
  let host: string;
  let port: number;
  let url: string;
  if (kind === 'websocket') {
    const u = parseWebSocketUrl(target);
    if (typeof u === 'string') {
      fail(block.requestLine, u);
      return null;
    }
    host = u.hostname.replace(/^\[|\]$/g, '');
    port = Number(u.port || (u.protocol === 'wss:' ? 443 : 80));
    url = u.toString();
  } else {
    const hp = parseHostPort(target);
    if (typeof hp === 'string') {
      fail(block.requestLine, hp);
      return null;
    }
    ({ host, port } = hp);
    url = `${kind}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
  const eol = socket.crlf ? '\r\n' : '\n';
  const steps: SocketStep[] = [];
  for (const step of socket.steps) {
    if (step.kind === 'wait') {
      steps.push({ kind: 'wait', line: step.line });
      continue;
    }
    const parts: Uint8Array[] = [];
    step.lines.forEach((text, k) => {
      if (k > 0) parts.push(Buffer.from(eol, 'latin1'));
      if (kind === 'websocket') {
        parts.push(Buffer.from(sub(text, step.line + k), 'utf8'));
        return;
      }
      const problems: { column: number; endColumn: number; message: string }[] = [];
      const pieces = decodeEscapes(text, problems);
      for (const p of problems) fail(step.line + k, p.message);
      parts.push(piecesToBytes(pieces, (t) => sub(t, step.line + k)));
    });
    const data = Buffer.concat(parts);
    if (kind === 'udp' && data.length > MAX_UDP_PAYLOAD) {
      fail(step.line, `This datagram is ${data.length} bytes; a UDP datagram carries at most ${MAX_UDP_PAYLOAD} bytes over IPv4. Refused.`);
    }
    steps.push({ kind: 'send', data: new Uint8Array(data), text: true, line: step.line });
  }
  return { request: { kind, host, port, steps, until: socket.until }, url, kind };
}
