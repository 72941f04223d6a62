// Splits text into lines the way VS Code numbers them (CRLF, LF and lone CR all end a line),
// keeping each line's ending so bodies can be rebuilt exactly as written.

export interface SplitText {
  lines: string[];
  /** The ending after line k ('' for the last one). */
  eol(k: number): string;
}

export function splitLines(text: string): SplitText {
  const last =
    (n: number) =>
    (k: number): string =>
      k >= n - 1 ? '' : '\n';
  if (text.indexOf('\r') < 0) {
    // The common case: LF only. The native split is much faster than a character loop.
    const lines = text.split('\n');
    return { lines, eol: last(lines.length) };
  }
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines: string[] = [];
  const eols: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    lines.push(parts[i]);
    eols.push(parts[i + 1] ?? '');
  }
  return { lines, eol: (k) => eols[k] ?? '' };
}
