// `wirelens send|parse|explain`: the engine in a terminal. Each subcommand lives in its own module, loaded when
// it is the one asked for: `wirelens --version` or `explain` need not initialise the engines.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from './io';
import { preferBaselineWasm } from '../run/sandbox/shortRun';

export type { CliIo } from './io';

const USAGE = `Usage: wirelens <command> [options]

Commands:
  send FILE [--line N | --name NAME | --all] [--json]   send requests from an .http file
      [--env NAME] [--timeout MS] [--max-time MS] [--max-body SIZE] [-k|--insecure] [--show-secrets] [-v|--verbose] [--no-follow]
      [--no-cookies] [-o|--body-out FILE] [--color|--no-color]
      [--http2|--http2-prior-knowledge|--http1.1] [--frames[=all]]
      [--no-keepalive] [-x|--proxy URL] [--noproxy LIST] [--save FILE]
  test [FILE|DIR]... [--env NAME] [--grep PATTERN] [--bail] run .http files as test suites (scripts, asserts)
      [--var NAME=VALUE] [--no-scripts] [--timeout MS] [--fail-on bad|warning]
      [--reporter pretty|json|junit] [--out FILE]
  parse FILE --json                                       print the parsed document
  explain status CODE | header NAME | check ID | error CODE | --list [--json]
                                                          explain statuses, headers, checks and error codes

Run 'wirelens <command> --help' for the options of a command; 'wirelens --version' for the version.
`;

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'send':
      return (await import('./send')).runSend(rest, io);
    case 'test':
      return (await import('./test')).runTest(rest, io);
    case 'parse':
      return (await import('./parse')).runParse(rest, io);
    case 'explain':
      return (await import('./explain')).runExplain(rest, io);
    case '-V':
    case '--version':
      io.stdout.write(`wirelens ${version()} (node ${process.version})\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
      io.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`wirelens: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

/** Build time only: the run before the launcher writes its code cache (warmUp.ts). */
export async function warmUpForCodeCache(): Promise<void> {
  await (await import('./warmUp')).warmUp(main);
}

/** The version in package.json, found upwards from here (dist/ when bundled, out/src/cli/ when compiled). */
function version(): string {
  for (let dir = __dirname, up = 0; up < 5; dir = path.dirname(dir), up++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'wirelens' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      /* not here */
    }
  }
  return 'unknown';
}

if (require.main === module) {
  // A CLI process is short: the script sandbox's WebAssembly stays on V8's baseline compiler (see shortRun.ts).
  preferBaselineWasm();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`wirelens: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
