// Reads the `wirelens.*` settings into engine options.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ClientCertificate, SendOptions } from '../wire';
import { withRestClientFallback } from './environments';
import { restrictEngineOptions, trustPolicy } from './trust';

/** Extra CA files; an unreadable one is skipped (the TLS error then names the certificate that failed). */
function trusted(paths: string[]): string[] | undefined {
  const pems: string[] = [];
  for (const p of paths) {
    try {
      pems.push(fs.readFileSync(p, 'utf8'));
    } catch {
      /* skipped */
    }
  }
  return pems.length > 0 ? pems : undefined;
}

export function engineOptions(): SendOptions {
  return restrictEngineOptions(allEngineOptions(), trustPolicy(vscode.workspace.isTrusted));
}

function allEngineOptions(): SendOptions {
  const c = vscode.workspace.getConfiguration('wirelens');
  return {
    timeoutMs: c.get<number>('timeout', 30000),
    maxTimeMs: c.get<number>('maxTimeMs', 0) || undefined,
    userAgent: c.get<string>('userAgent', 'wirelens/0.1'),
    followRedirects: c.get<boolean>('followRedirects', true),
    insecure: c.get<boolean>('insecure', false),
    maxRedirects: c.get<number>('maxRedirects', 10),
    maxBodyBytes: Math.max(1, c.get<number>('maxBodyMiB', 64)) * 1024 * 1024,
    // REST Client's `rest-client.certificates` has the same shape; it applies until ours is set.
    clientCertificates: withRestClientFallback<Record<string, ClientCertificate>>('clientCertificates', 'certificates') ?? {},
    ca: trusted(c.get<string[]>('trustedCertificates', [])),
    http2: c.get<string>('http2', 'never') === 'negotiate' ? 'negotiate' : 'never',
  };
}
