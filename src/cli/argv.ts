// The argv walk shared by `wirelens send` and `wirelens test`: `--flag value`, `--flag=value`, `--` and operands,
// so each command only says what its own flags mean.

export class UsageError extends Error {}

export interface Flag {
  /** The flag without any `=value` part: `--timeout` for `--timeout=5`. */
  name: string;
  /** The flag's value: the part after `=`, else the next argument (consumed). */
  value(): string;
  /** The `=value` part when one was written (for flags whose value is optional, such as `--frames=all`). */
  inline: string | null;
}

/**
 * Walks `argv`. `onFlag` returns false for a flag it does not know (a usage error naming it); everything that
 * is not a flag, and everything after `--`, goes to `onOperand`. A lone `-` is an operand (standard input).
 */
export function walkArgv(argv: readonly string[], onFlag: (flag: Flag) => boolean, onOperand: (operand: string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (raw === '--') {
      for (const rest of argv.slice(i + 1)) onOperand(rest);
      return;
    }
    if (!raw.startsWith('-') || raw === '-') {
      onOperand(raw);
      continue;
    }
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : null;
    const flag: Flag = {
      name,
      inline,
      value: () => {
        if (inline !== null) return inline;
        const v = argv[++i];
        if (v === undefined) throw new UsageError(`${name} needs a value`);
        return v;
      },
    };
    if (!onFlag(flag)) throw new UsageError(`unknown option '${raw}'`);
  }
}

/** A whole number for a flag (`--line 3`, `--timeout 500`); `what` ends the message ("milliseconds", …). */
export function wholeNumber(flag: string, v: string, opts: { allowZero: boolean; what?: string }): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || (!opts.allowZero && n === 0)) {
    const kind = opts.what ?? `${opts.allowZero ? 'non-negative' : 'positive'} whole number`;
    throw new UsageError(`${flag} needs a ${kind}, got '${v}'`);
  }
  return n;
}
