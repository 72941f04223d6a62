// The streams a CLI command writes to; its own module so that `main.ts` and the subcommands do not import each other.

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}
