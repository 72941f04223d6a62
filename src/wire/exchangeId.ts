// Ids of exchanges: one per request, so the UUID generator's cost (over a microsecond with its entropy refills)
// is paid once per process. Each id is a UUID v4 whose last group counts up from a random start: unique within
// the process, and 74 random bits apart from any other process's.
import { randomUUID } from 'node:crypto';

const base = randomUUID().slice(0, 24);
let counter = Math.floor(Math.random() * 2 ** 40);

export function exchangeId(): string {
  counter = (counter + 1) % 2 ** 48;
  return `${base}${counter.toString(16).padStart(12, '0')}`;
}
