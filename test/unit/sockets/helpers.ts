// Helpers for the socket tests: socket blocks resolved from .http text, and real peers on loopback (the
// lecture's Python time server, Node servers) on port 0.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { parseHttp, resolveRequest } from '../../../src/language';
import type { ResolvedRequest } from '../../../src/shared/request';

export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/sockets');

/** The first block of `text`, resolved; fails the test when it does not resolve. */
export async function socketRequest(text: string): Promise<ResolvedRequest> {
  const doc = parseHttp(text);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], 'the block parses without errors');
  const r = await resolveRequest(doc, doc.requests[0], {});
  assert.deepEqual(r.errors, []);
  assert.ok(r.request?.socket, 'a socket request');
  return r.request;
}

export interface PythonServer {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs a Python fixture that prints its port once bound. Fails loudly when python3 is missing. */
export function startPython(file: string, host = '127.0.0.1'): Promise<PythonServer> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(FIXTURES, file), '0', host], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.on('error', (e) => reject(new Error(`python3 could not be started (${e.message}); the lecture's server needs it`)));
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}: ${err}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        resolve({
          port: Number(m[1]),
          child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) {
                done();
                return;
              }
              child.removeAllListeners('exit');
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
  });
}

export function messageText(m: { base64: string }): string {
  return Buffer.from(m.base64, 'base64').toString('utf8');
}
