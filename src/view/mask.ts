// Masks secrets (values from private environment files) wherever the request is shown or saved.

export const MASK = '••••••';

/** Replaces every occurrence of each secret; longest first so a secret containing another is masked whole. */
export function maskSecrets(text: string, secrets: readonly string[] | undefined, mask = MASK): string {
  if (!secrets || secrets.length === 0 || text === '') return text;
  let out = text;
  for (const s of [...new Set(secrets)].filter((x) => x.length > 0).sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join(mask);
  }
  return out;
}

/** The same on a byte string (code points 0–255): secrets are matched by their UTF-8 bytes. */
export function maskSecretsLatin1(latin1Text: string, secrets: readonly string[] | undefined): string {
  if (!secrets || secrets.length === 0) return latin1Text;
  const asBytes = (s: string): string => {
    let b = '';
    for (const x of new TextEncoder().encode(s)) b += String.fromCharCode(x);
    return b;
  };
  // The mask goes in as its UTF-8 bytes too, so the result is still a byte string.
  return maskSecrets(latin1Text, secrets.map(asBytes), asBytes(MASK));
}
