// The panel's stylesheet looks native: colours only from the theme (--vscode-*), fonts only the editor's/workbench's.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const css = fs.readFileSync(path.resolve(__dirname, '../../../../media/webview/panel.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

describe('panel/css: theme only', () => {
  it('has no colour literals', () => {
    assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b/i, 'hex colour');
    assert.doesNotMatch(css, /\b(rgba?|hsla?|hwb|lab|lch|oklch|color)\(/i, 'colour function');
    const named = /(?:^|[\s:;])(?:color|background(?:-color)?|border(?:-color)?|outline(?:-color)?)\s*:\s*([^;]*)/gi;
    for (const m of css.matchAll(named)) {
      for (const word of m[1]
        .replace(/var\([^)]*\)/g, ' ')
        .split(/[\s,()]+/)
        .filter(Boolean)) {
        assert.match(
          word,
          /^(none|transparent|inherit|currentcolor|solid|\d+(px|em)?|-?\d+(\.\d+)?px)$/i,
          `a colour outside the theme: ${m[0].trim()}`,
        );
      }
    }
  });
  it('takes every variable from the theme (or its own spacing)', () => {
    for (const m of css.matchAll(/(--wl-[1-5]xx)\s*:\s*([^;]+);/g)) assert.match(m[2], /^var\(--vscode-/, `${m[1]} comes from the theme`);
    for (const m of css.matchAll(/var\((--[\w-]+)/g)) assert.match(m[1], /^--(vscode-|wl-(gap|radius|[1-5]xx)$)/, m[1]);
  });
  it('uses only the workbench and editor fonts', () => {
    for (const m of css.matchAll(/font-family\s*:\s*([^;]+)/g)) assert.match(m[1].trim(), /^(var\(--vscode-(editor-)?font-family\)|inherit)$/, m[1]);
  });
});
