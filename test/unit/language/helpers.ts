// Shared helpers for the language unit tests.
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/http');

/** Joins lines with LF (the tests spell out CRLF where it matters). */
export function lines(...l: string[]): string {
  return l.join('\n');
}
