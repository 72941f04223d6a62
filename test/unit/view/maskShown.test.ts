// The mask written into raw bytes (its UTF-8 bytes) is shown as the mask by the views that show bytes as code
// points 0–255, not as "â\x80¢"; every other byte, a lone E2 included, is shown as before.
import * as assert from 'node:assert/strict';
import { MASK, maskBase64 } from '../../../src/view/mask';
import { showMaskBytes } from '../../../src/view/maskShown';
import { rawSegments } from '../../../src/view/raw';

describe('view/maskShown', () => {
  it('shows the masked bytes of a head as the mask, in the raw segments too', () => {
    const head = 'GET / HTTP/1.1\r\nAuthorization: Bearer s3cr3t-token\r\n\r\n';
    const masked = Buffer.from(maskBase64(Buffer.from(head).toString('base64'), ['s3cr3t-token']), 'base64');
    assert.equal(showMaskBytes(masked.toString('latin1')), `GET / HTTP/1.1\r\nAuthorization: Bearer ${MASK}\r\n\r\n`);
    const [seg] = rawSegments(masked, masked.length, undefined);
    assert.equal(seg.text, `GET / HTTP/1.1\r\nAuthorization: Bearer ${MASK}\r\n\r\n`);
  });

  it('leaves every other byte as a code point of its own', () => {
    const bytes = Buffer.from([0x63, 0xe2, 0x80, 0x41, 0xe9, 0xe2]).toString('latin1');
    assert.equal(showMaskBytes(bytes), bytes);
    assert.equal(showMaskBytes('plain'), 'plain');
  });
});
