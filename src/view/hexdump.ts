// A classic hex dump (offset, 16 bytes in two groups, printable ASCII), bounded so a large body stays cheap.

export interface HexDump {
  lines: string[];
  /** Bytes dumped. */
  shown: number;
  /** Bytes available. */
  total: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hexDump(bytes: Uint8Array, maxBytes = 64 * 1024): HexDump {
  const shown = Math.min(bytes.length, Math.max(0, maxBytes));
  const lines: string[] = [];
  for (let off = 0; off < shown; off += 16) {
    const end = Math.min(off + 16, shown);
    let hex = '';
    let ascii = '';
    for (let i = off; i < off + 16; i++) {
      if (i === off + 8) hex += ' ';
      if (i < end) {
        const b = bytes[i];
        hex += `${HEX[b]} `;
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
      } else {
        hex += '   ';
      }
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${ascii}|`);
  }
  return { lines, shown, total: bytes.length };
}
