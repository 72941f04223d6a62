// `wirelens send FILE`: the minimal form for the foundation (first request, or --line N, --json).
import { readFileSync } from 'node:fs';
import { parseHttp, resolveRequest } from '../language';
import { execute } from '../pipeline';
import type { CliIo } from './main';

export async function runSend(args: string[], io: CliIo): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) { io.stderr.write('wirelens send: missing FILE\n'); return 2; }
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { io.stderr.write(`wirelens send: cannot read ${file}: ${String(e)}\n`); return 2; }
  const doc = parseHttp(text);
  const li = args.indexOf('--line');
  const line = li >= 0 ? Number(args[li + 1]) - 1 : null;
  const block = line === null ? doc.requests[0] : doc.requests.find((b) => line >= b.startLine && line <= b.endLine);
  if (!block) { io.stderr.write('wirelens send: no request found\n'); return 2; }
  const { request, errors } = await resolveRequest(doc, block, { filePath: file });
  if (!request) { io.stderr.write(`${errors.map((e) => e.message).join('\n')}\n`); return 2; }
  const ex = await execute(request);
  if (args.includes('--json')) io.stdout.write(`${JSON.stringify(ex, null, 2)}\n`);
  else if (ex.response) {
    io.stdout.write(`HTTP/${ex.response.httpVersion} ${ex.response.status} ${ex.response.reason}\n`);
    for (const [n, v] of ex.response.headers) io.stdout.write(`${n}: ${v}\n`);
    io.stdout.write(`\n${ex.response.body.text ?? ''}\n`);
  }
  if (ex.error) io.stderr.write(`wirelens: ${ex.error.code}: ${ex.error.message}\n`);
  return ex.error ? 1 : 0;
}
