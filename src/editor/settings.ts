// Reads the `wirelens.*` settings into engine options.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientCertificate, ProxySettings, SendOptions } from '../wire';
import { withRestClientFallback } from './environments';
import { readProxySettings } from './proxySettings';
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

/** Relative certificate paths are read from the workspace root (as REST Client does), not the host's cwd. */
function rooted(certs: Record<string, ClientCertificate>): Record<string, ClientCertificate> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root || typeof certs !== 'object' || certs === null) return certs;
  const at = (p: string | undefined): string | undefined =>
    typeof p === 'string' && !p.includes('-----BEGIN') && !path.isAbsolute(p) ? path.join(root, p) : p;
  return Object.fromEntries(
    Object.entries(certs).map(([host, c]) => [
      host,
      typeof c === 'object' && c !== null ? { ...c, cert: at(c.cert), key: at(c.key), pfx: at(c.pfx) } : c,
    ]),
  );
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
    // REST Client's `rest-client.certificates` has the same shape; it applies until ours is set (user settings only,
    // as ours is machine-scoped).
    clientCertificates: rooted(withRestClientFallback<Record<string, ClientCertificate>>('clientCertificates', 'certificates', true) ?? {}),
    ca: trusted(c.get<string[]>('trustedCertificates', [])),
    http2: c.get<string>('http2', 'never') === 'negotiate' ? 'negotiate' : 'never',
    proxy: proxySettings(),
  };
}

/** `wirelens.proxy*`, then VS Code's `http.proxy*`, user values only (see proxySettings.ts), and the environment. */
export function proxySettings(): ProxySettings {
  return readProxySettings(vscode.workspace.getConfiguration('wirelens'), vscode.workspace.getConfiguration('http'), process.env);
}

/** `wirelens.keepAliveMs`: how long an idle connection is kept for the next request (0 = never reuse). */
export function keepAliveMs(): number {
  const v = vscode.workspace.getConfiguration('wirelens').get<number>('keepAliveMs', 5000);
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
}
