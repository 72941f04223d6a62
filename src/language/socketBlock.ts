// Checks a socket block as written and builds its SocketBlock. The parser reports the problems as diagnostics;
// the resolver runs the same checks again and refuses to send when any is an error.
import type { SocketKind } from '../shared/request';
import { decodeEscapes, parseHostPort, parseUntil, parseWebSocketUrl, splitSteps, type EscapeProblem, type SocketBlock } from './sockets';
import type { MetadataEntry, Severity } from './types';

export interface SocketBlockInput {
  kind: SocketKind | null;
  target: string;
  requestLine: number;
  httpVersion: string | null;
  bodyLines: string[];
  bodyStartLine: number;
  metadataEntries: MetadataEntry[];
}

export type Report = (line: number, severity: Severity, message: string, column?: number, endColumn?: number) => void;

const SOCKET_ONLY = new Set(['until', 'crlf']);

export function checkSocketBlock(input: SocketBlockInput, report: Report): SocketBlock | null {
  const { kind } = input;
  if (kind === null) {
    for (const m of input.metadataEntries) {
      if (SOCKET_ONLY.has(m.key)) report(m.line, 'warning', `@${m.key} applies to TCP, TLS, UDP and WebSocket blocks only; ignored here.`);
    }
    return null;
  }
  const label = kind === 'websocket' ? 'WebSocket' : kind.toUpperCase();
  if (input.httpVersion !== null) report(input.requestLine, 'error', `A ${label} request line takes no HTTP version.`);
  if (!input.target.includes('{{')) {
    const problem = kind === 'websocket' ? parseWebSocketUrl(input.target) : parseHostPort(input.target);
    if (typeof problem === 'string') report(input.requestLine, 'error', problem);
  }

  let until: SocketBlock['until'] = null;
  let crlf = false;
  for (const m of input.metadataEntries) {
    if (m.key === 'crlf') crlf = true;
    if (m.key !== 'until') continue;
    const rule = parseUntil(m.value);
    if (typeof rule === 'string') report(m.line, 'error', rule);
    else if (rule.kind === 'close' && kind === 'udp')
      report(m.line, 'error', '@until close does not apply to UDP: a datagram socket has no connection to close (use idle MS, bytes N or "TEXT").');
    else until = rule;
  }

  const problems: { line: number; message: string }[] = [];
  const steps = splitSteps(input.bodyLines, input.bodyStartLine, problems);
  for (const p of problems) report(p.line, 'error', p.message);
  if (kind !== 'websocket') {
    for (const step of steps) {
      if (step.kind !== 'send') continue;
      step.lines.forEach((text, k) => {
        const bad: EscapeProblem[] = [];
        decodeEscapes(text, bad);
        for (const b of bad) report(step.line + k, 'error', b.message, b.column, b.endColumn);
      });
    }
  }
  return { kind, steps, crlf, until };
}
