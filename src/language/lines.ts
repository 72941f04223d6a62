// Splits text into lines the way VS Code numbers them (CRLF, LF and lone CR all end a line),
// keeping each line's ending so bodies can be rebuilt exactly as written.

export interface SplitText {
  lines: string[];
  /** The ending after each line ('' for the last one). */
  eols: string[];
}

export function splitLines(text: string): SplitText {
  const lines: string[] = [];
  const eols: string[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) {
      lines.push(text.slice(start, i));
      eols.push('\n');
      start = i + 1;
    } else if (c === 13 /* \r */) {
      lines.push(text.slice(start, i));
      if (i + 1 < n && text.charCodeAt(i + 1) === 10) {
        eols.push('\r\n');
        i++;
      } else {
        eols.push('\r');
      }
      start = i + 1;
    }
  }
  lines.push(text.slice(start));
  eols.push('');
  return { lines, eols };
}
