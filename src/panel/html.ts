// The webview's HTML shell: a strict CSP with a fresh nonce per render, and only the extension's media.
import { randomBytes } from 'node:crypto';

export interface ShellResources {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function renderShell(res: ShellResources, nonce: string = makeNonce()): string {
  // default-src 'none' covers fetches, frames, media and workers; base-uri and form-action do not fall back to it.
  // Images: the extension's files and data: URLs (the panel builds those only for raster image bodies).
  const csp = [
    "default-src 'none'",
    `style-src ${res.cspSource}`,
    `font-src ${res.cspSource}`,
    `img-src ${res.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${res.codiconUri}">
<link rel="stylesheet" href="${res.styleUri}">
<title>Wire Lens</title>
</head>
<body>
<main id="app" aria-label="Response"></main>
<div id="announce" class="sr-only" role="status" aria-live="polite"></div>
<script nonce="${nonce}" src="${res.scriptUri}"></script>
</body>
</html>`;
}
