// Copy as cURL with secrets in the request: the setting wirelens.copyAsCurl.includeSecrets decides (always,
// never), or the user is asked each time (the default).
import * as vscode from 'vscode';

export type CurlSecretsSetting = 'ask' | 'always' | 'never';

/** What the setting says without asking: true / false, or 'ask'. */
export function curlSecretsDecision(setting: unknown): boolean | 'ask' {
  if (setting === 'always' || setting === true) return true;
  if (setting === 'never' || setting === false) return false;
  return 'ask';
}

/** True to include secrets, false to mask them, undefined when the user dismissed the question. */
export async function curlIncludesSecrets(): Promise<boolean | undefined> {
  const decided = curlSecretsDecision(vscode.workspace.getConfiguration('wirelens').get('copyAsCurl.includeSecrets', 'ask'));
  if (decided !== 'ask') return decided;
  const include = 'Include secrets';
  const mask = 'Mask secrets';
  const pick = await vscode.window.showWarningMessage(
    'This request carries secrets (private env values, tokens, passwords). Copy them into the cURL command in clear?',
    { modal: true, detail: 'Set wirelens.copyAsCurl.includeSecrets to "always" or "never" to stop this question.' },
    include,
    mask,
  );
  return pick === include ? true : pick === mask ? false : undefined;
}
