// REST Client's `Authorization: AWS accessId secretKey [token:…] [region:…] [service:…]`: the request signed
// with AWS Signature Version 4 by the aws4 library, over the request-target and body exactly as they will be sent.
import { promises as fsp } from 'node:fs';
import * as aws4 from 'aws4';
import type { BodyPart } from '../shared/request';
import type { AuthShortcut } from './auth';

const MAX_SIGNED_BODY = 64 * 1024 * 1024;

export interface AwsInput {
  method: string;
  url: string;
  target: string;
  headers: [string, string][];
  /** Index of the Authorization header holding the shortcut. */
  awsAt: number;
  body: BodyPart[] | null;
}

export async function signAws(
  a: Extract<AuthShortcut, { kind: 'aws' }>,
  input: AwsInput,
): Promise<{ headers: [string, string][]; secrets: string[] } | { error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for (const part of input.body ?? []) {
    const data = part.kind === 'bytes' ? Buffer.from(part.data) : await fsp.readFile(part.path).catch(() => null);
    if (data === null) return { error: `AWS: cannot read the body file ${part.kind === 'file' ? part.path : ''} to sign it.` };
    size += data.length;
    if (size > MAX_SIGNED_BODY) return { error: 'AWS: the body is larger than 64 MiB, too large to sign in memory.' };
    chunks.push(data);
  }
  const u = new URL(input.url);
  const written = input.headers.filter((_, i) => i !== input.awsAt);
  const headers: Record<string, string> = {};
  for (const [n, v] of written) headers[n] = headers[n] === undefined ? v : `${headers[n]},${v}`;
  const opts: aws4.Request = {
    host: u.host,
    method: input.method,
    path: input.target,
    headers,
    service: a.service,
    region: a.region,
  };
  if (input.body !== null) opts.body = Buffer.concat(chunks);
  try {
    aws4.sign(opts, { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey, sessionToken: a.sessionToken });
  } catch (e) {
    return { error: `AWS: signing failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  const signed = (opts.headers ?? {}) as Record<string, string | number | string[]>;
  const lower = new Set(written.map(([n]) => n.toLowerCase()));
  // The headers as written keep their place and case; the Authorization header takes the shortcut's place;
  // what aws4 added (X-Amz-Date, X-Amz-Security-Token, Content-Type, Content-Length) follows.
  const out: [string, string][] = [];
  input.headers.forEach(([n, v], i) => {
    if (i === input.awsAt) out.push([n, String(signed.Authorization ?? '')]);
    else out.push([n, v]);
  });
  for (const [n, v] of Object.entries(signed)) {
    // aws4 adds Host only for its own signing; the engine writes Host from the URL as it always does.
    if (n === 'Authorization' || n.toLowerCase() === 'host' || lower.has(n.toLowerCase())) continue;
    out.push([n, Array.isArray(v) ? v.join(',') : String(v)]);
  }
  const secrets = [a.secretAccessKey];
  if (a.sessionToken) secrets.push(a.sessionToken);
  return { headers: out, secrets };
}
