// `wirelens explain`: the annotations knowledge base and the error-code table in a terminal.
//   explain status CODE | header NAME | check ID | error CODE | --list, each with [--json]
// Exit codes: 0 found, 1 unknown status/header/check/error, 2 usage error.
import {
  allChecks,
  checkInfo,
  formatHeaderExplanation,
  formatStatusExplanation,
  headerField,
  headerFields,
  statusCode,
  statusCodes,
} from '../annotate';
import { errorCodeInfo, errorCodes } from '../shared/errorCodes';
import { formatErrorCodeExplanation } from '../view/errors';
import type { CliIo } from './io';

const USAGE = `Usage: wirelens explain status CODE [--json]
       wirelens explain header NAME [--json]
       wirelens explain check ID [--json]
       wirelens explain error CODE [--json]
       wirelens explain --list [--json]

Explains HTTP status codes, header fields, Wire Lens checks and the error codes an exchange can end with,
from the built-in knowledge base.
`;

const TOPICS = ['status', 'header', 'check', 'error'];

function json(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`wirelens explain: ${message}\n\n${USAGE}`);
  return 2;
}

export function runExplain(args: string[], io: CliIo): number {
  const flags = args.filter((a) => a.startsWith('-'));
  const positional = args.filter((a) => !a.startsWith('-'));
  const unknownFlag = flags.find((f) => !['--json', '--list', '--help', '-h'].includes(f));
  if (unknownFlag) return usage(io, `unknown option '${unknownFlag}'`);
  if (flags.includes('--help') || flags.includes('-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const asJson = flags.includes('--json');

  if (flags.includes('--list')) {
    if (positional.length) return usage(io, '--list takes no arguments');
    const checks = allChecks().map(({ id, level, category, summary, detail, reference, scope }) => ({
      id,
      level,
      category,
      summary,
      detail,
      reference,
      scope,
    }));
    if (asJson) {
      json(io, { statuses: statusCodes(), headers: headerFields(), checks, errors: errorCodes() });
      return 0;
    }
    io.stdout.write(`Status codes (${statusCodes().length}):\n`);
    for (const s of statusCodes()) io.stdout.write(`  ${s.code} ${s.name}${s.registered ? '' : ' (unregistered)'}\n`);
    io.stdout.write(`\nHeader fields (${headerFields().length}):\n`);
    for (const f of headerFields()) io.stdout.write(`  ${f.name.padEnd(40)} ${f.description}\n`);
    io.stdout.write(`\nChecks (${checks.length}):\n`);
    for (const c of checks) io.stdout.write(`  ${c.id.padEnd(40)} ${c.level.padEnd(8)} ${c.summary}\n`);
    const errors = errorCodes();
    io.stdout.write(`\nError codes (${errors.length}):\n`);
    for (const e of errors) io.stdout.write(`  ${e.code.padEnd(40)} ${e.phases.join(',').padEnd(8)} ${e.summary}\n`);
    return 0;
  }

  const [kind, ...restArgs] = positional;
  const subject = restArgs.join(' ');
  if (!kind) return usage(io, 'say what to explain: status, header, check, error or --list');
  if (!TOPICS.includes(kind)) return usage(io, `unknown topic '${kind}' (use status, header, check, error or --list)`);
  if (!subject) return usage(io, `missing the ${kind === 'status' || kind === 'error' ? 'code' : kind === 'check' ? 'id' : 'name'}`);

  switch (kind) {
    case 'status': {
      if (!/^\d{3}$/.test(subject)) return usage(io, `'${subject}' is not a three-digit status code`);
      const s = statusCode(Number(subject));
      if (!s) {
        io.stderr.write(`wirelens explain: unknown status code ${subject} (not in the IANA registry or the known unregistered codes)\n`);
        return 1;
      }
      if (asJson) json(io, s);
      else io.stdout.write(`${formatStatusExplanation(s)}\n`);
      return 0;
    }
    case 'header': {
      const f = headerField(subject);
      if (!f) {
        io.stderr.write(`wirelens explain: unknown header field '${subject}'\n`);
        return 1;
      }
      if (asJson) json(io, f);
      else io.stdout.write(`${formatHeaderExplanation(f)}\n`);
      return 0;
    }
    case 'check': {
      const c = checkInfo(subject);
      if (!c) {
        io.stderr.write(`wirelens explain: unknown check '${subject}' (see 'wirelens explain --list')\n`);
        return 1;
      }
      if (asJson) json(io, c);
      else io.stdout.write(`${c.id} [${c.level}, ${c.category}, ${c.scope}]\n\n${c.summary}\n\n${c.detail}\n\n  Reference: ${c.reference}\n`);
      return 0;
    }
    case 'error': {
      const e = errorCodeInfo(subject);
      if (!e) {
        io.stderr.write(`wirelens explain: unknown error code '${subject}' (see 'wirelens explain --list'; codes are case-sensitive)\n`);
        return 1;
      }
      if (asJson) json(io, e);
      else io.stdout.write(`${formatErrorCodeExplanation(e)}\n`);
      return 0;
    }
    default:
      return usage(io, `unknown topic '${kind}' (use status, header, check, error or --list)`);
  }
}
