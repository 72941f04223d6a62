// `wirelens send|parse|explain`: the engine in a terminal. Each subcommand lives in its own module.
import { runExplain } from './explain';
import { runParse } from './parse';
import type { CliIo } from './io';
import { runSend } from './send';
import { runTest } from './test';
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

Run 'wirelens <command> --help' for the options of a command.
`;

export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'send':
      return runSend(rest, io);
    case 'test':
      return runTest(rest, io);
    case 'parse':
      return runParse(rest, io);
    case 'explain':
      return runExplain(rest, io);
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
