// Small helpers shared by the HPACK tests.
import { HpackField } from '../../../../src/wire/h2/hpack';

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** The header list of decoded fields, size updates left out. */
export function pairs(fields: HpackField[]): Array<[string, string]> {
  return fields.filter((f) => f.representation !== 'size-update').map((f) => [f.name, f.value]);
}

export function list(text: string): Array<[string, string]> {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const i = line.indexOf(': ', 1);
      return [line.slice(0, i).trim(), line.slice(i + 2)] as [string, string];
    });
}
