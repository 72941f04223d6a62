// Masking writes the mask into raw bytes as its UTF-8 bytes (E2 80 A2 per bullet), and the views that show bytes
// as code points 0–255 (the raw sections, the CLI's heads) would show "â\x80¢" for each. Shown as the mask itself
// instead; every other byte stays as it is. No Buffer: the webview uses it too.

/** U+2022, the character of the mask (mask.ts), as its UTF-8 bytes in a byte string. */
const BULLET_BYTES = '\u00e2\u0080\u00a2';

/** A byte string (code points 0–255) with the mask's bytes shown as the mask's characters. */
export function showMaskBytes(byteText: string): string {
  return byteText.includes(BULLET_BYTES) ? byteText.split(BULLET_BYTES).join('\u2022') : byteText;
}
