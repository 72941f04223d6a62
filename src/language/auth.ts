// Authorization shortcuts of REST Client and httpyac, read from the resolved `Authorization` header value:
//   Basic user:pass | Basic user pass   → Basic base64(user:pass) (RFC 7617), computed here
//   Digest user pass                     → answered by the engine when the 401 challenge arrives (RFC 7616)
//   AWS id secret [token:…] [region:…] [service:…] → Signature Version 4 by the aws4 library
// A value that is already a real credential (`Basic dXNlcjpwYXNz`, `Digest username="…", …`) is left alone.
// Schemes Wire Lens cannot compute (COGNITO, httpyac's oauth2 / openid flows, Azure AD) are refused by name.

export type AuthShortcut =
  | { kind: 'basic'; value: string }
  | { kind: 'digest'; user: string; password: string }
  | { kind: 'aws'; accessKeyId: string; secretAccessKey: string; sessionToken?: string; region?: string; service?: string }
  | { kind: 'refused'; message: string };

const REFUSED: Record<string, string> = {
  cognito:
    'COGNITO (REST Client: AWS Cognito sign-in) is not supported by Wire Lens; sign in elsewhere and send the token as Authorization: Bearer {{token}}.',
  oauth2: 'oauth2 (httpyac: OAuth2 flows) is not supported by Wire Lens; get the token elsewhere and send it as Authorization: Bearer {{token}}.',
  openid:
    'openid (httpyac: OpenID Connect flows) is not supported by Wire Lens; get the token elsewhere and send it as Authorization: Bearer {{token}}.',
  aad: 'AAD (Azure Active Directory sign-in) is not supported by Wire Lens; send the token as Authorization: Bearer {{token}}.',
  // httpyac / JetBrains client credentials shortcut
  clientcredentials: 'client_credentials flows are not supported by Wire Lens; get the token elsewhere.',
};

/** Splits on runs of spaces and tabs. */
function words(s: string): string[] {
  return s
    .trim()
    .split(/[ \t]+/)
    .filter((w) => w !== '');
}

export function parseAuthShortcut(value: string): AuthShortcut | null {
  const v = value.trim();
  const sp = v.search(/[ \t]/);
  const scheme = (sp < 0 ? v : v.slice(0, sp)).toLowerCase();
  const rest = sp < 0 ? '' : v.slice(sp + 1).trim();
  if (REFUSED[scheme]) return { kind: 'refused', message: REFUSED[scheme] };
  if (scheme === 'basic') {
    const w = words(rest);
    // `Basic user:pass`: a token68 never holds a colon, and a user-id cannot (RFC 7617 2), so the first colon
    // splits; either side may hold spaces (httpyac's docs: `Basic {{user}}:{{password}}` with user `john doe`).
    if (rest.includes(':')) return { kind: 'basic', value: `Basic ${Buffer.from(rest, 'utf8').toString('base64')}` };
    // `Basic user pass` (REST Client, httpyac)
    if (w.length === 2) return { kind: 'basic', value: `Basic ${Buffer.from(`${w[0]}:${w[1]}`, 'utf8').toString('base64')}` };
    return null;
  }
  if (scheme === 'digest') {
    // A real Digest credential has auth-params (`username="…"`); the shortcut is exactly two words.
    if (rest.includes('=')) return null;
    const w = words(rest);
    if (w.length === 2) return { kind: 'digest', user: w[0], password: w[1] };
    return null;
  }
  if (scheme === 'aws') {
    const w = words(rest);
    if (w.length < 2)
      return {
        kind: 'refused',
        message:
          'AWS needs an access key id and a secret key: Authorization: AWS <accessId> <secretKey> [token:<sessionToken>] [region:<regionName>] [service:<serviceName>].',
      };
    const out: AuthShortcut = { kind: 'aws', accessKeyId: w[0], secretAccessKey: w[1] };
    for (const opt of w.slice(2)) {
      const m = /^(token|region|service):(.+)$/i.exec(opt);
      if (!m) return { kind: 'refused', message: `AWS: unknown option ${JSON.stringify(opt)} (token:, region: and service: are known).` };
      const key = m[1].toLowerCase();
      if (key === 'token') out.sessionToken = m[2];
      else if (key === 'region') out.region = m[2];
      else out.service = m[2];
    }
    return out;
  }
  return null;
}

/** System variables that stand for a sign-in flow (REST Client `$aadToken`, `$aadV2Token`; JetBrains `$auth.token`). */
export function refusedSystemVariable(name: string): string | null {
  if (name === '$aadToken' || name === '$aadV2Token')
    return `{{${name}}} (REST Client: Azure AD sign-in) is not supported by Wire Lens; put the token in a variable instead. Not sent.`;
  if (name.startsWith('$auth.'))
    return `{{${name}}} (JetBrains: OAuth 2.0 authentication) is not supported by Wire Lens; put the token in a variable instead. Not sent.`;
  if (name === '$oidcAccessToken')
    return `{{${name}}} (REST Client: OpenID sign-in) is not supported by Wire Lens; put the token in a variable instead. Not sent.`;
  return null;
}
