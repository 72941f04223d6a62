// Typed failures of the engine. Every code is in the table of src/shared/errorCodes.ts (phase, summary, likely
// causes, reference); `WireErrorCode` is derived from it, so a code without an entry does not compile.
import { toWireErrorCode, WL, type ErrorPhase, type WireErrorCode } from '../shared/errorCodes';
import type { ExchangeError } from '../shared/exchange';

export { CANCELLED, WL } from '../shared/errorCodes';

export class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
    readonly phase: ErrorPhase,
  ) {
    super(message);
  }

  toJSON(): ExchangeError {
    return { code: this.code, message: this.message, phase: this.phase };
  }
}

/**
 * A Node error as a table code: its own when the table knows it, WL_SYSTEM (the system's code kept at the start of
 * the message) for another system code, WL_INTERNAL for an error without a code, so the record always has one.
 */
export function fromUnknown(e: unknown, phase: ErrorPhase): ExchangeError {
  if (e instanceof WireError) return e.toJSON();
  if (e instanceof Error) return { code: codeOf(e), message: messageOf(e), phase };
  return { code: WL.INTERNAL, message: String(e), phase };
}

/** The table code for a Node error's `code`, `fallback` when it has none. */
export function codeOf(e: unknown, fallback: WireErrorCode = WL.INTERNAL): WireErrorCode {
  return toWireErrorCode((e as NodeJS.ErrnoException | undefined)?.code, fallback);
}

/** A Node error's message, with its system code in front when the table does not know that code (WL_SYSTEM). */
export function messageOf(e: Error): string {
  const raw = (e as NodeJS.ErrnoException).code;
  if (typeof raw === 'string' && raw !== '' && codeOf(e) === WL.SYSTEM && !e.message.includes(raw)) return `${raw}: ${e.message}`;
  return e.message;
}
