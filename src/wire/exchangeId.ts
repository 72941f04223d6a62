// Ids of exchanges: one per request, so the UUID generator's cost (over a microsecond with its entropy refills)
// is paid once per process. Each id is a UUID v4 whose last 8 hex digits count up: unique within the process
// (a new random base after 2^32 ids), and 90 random bits apart from any other process's.
import { randomUUID } from 'node:crypto';

let base = '';
let counter = 0;

export function exchangeId(): string {
  if (counter === 0) base = randomUUID().slice(0, 28);
  // A 32-bit counter keeps to V8's fast integer-to-hex path (a larger one is several times slower).
  const hex = counter.toString(16);
  counter = (counter + 1) % 0x1_0000_0000;
  return `${base}${'00000000'.slice(hex.length)}${hex}`;
}
