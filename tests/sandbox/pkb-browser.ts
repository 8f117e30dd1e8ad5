import { createHash, randomBytes } from 'node:crypto';
import { CookieJar, request } from './cookie-jar';
import { PKB } from './pkb-fixtures';

export { CookieJar, request } from './cookie-jar';

/**
 * A minimal browser for driving PKB's pages from tests: a cookie jar and redirects followed by hand, stopping
 * at the extension's redirect URI (which a real browser hands to chrome.identity, never loads).
 */

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Follows redirects by hand until a page, or a redirect to the extension's redirect URI. */
export async function follow(start: string, jar: CookieJar, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
  let url = start;
  let response = await request(url, jar, init);
  for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
    url = new URL(response.headers.get('location') ?? '', url).toString();
    if (PKB.redirectUris.some((redirect) => url.startsWith(redirect))) return { response, url };
    response = await request(url, jar);
  }
  return { response, url };
}

export function submitLogin(loginUrl: string, jar: CookieJar, username: string, password = 'password') {
  return follow(loginUrl, jar, { method: 'POST', headers: FORM, body: new URLSearchParams({ username, password }).toString() });
}

/** What the auth window does for a pairing: open the authorize URL, sign in, answer the URL PKB sent back to. */
export async function signInThroughPkb(authorizeUrl: string, username: string, password = 'password'): Promise<string> {
  const jar = new CookieJar();
  const login = await follow(authorizeUrl, jar);
  const done = await submitLogin(login.url, jar, username, password);
  return done.url;
}

/** An authorization request as the extension makes it (PKCE S256, fresh state); `extra` adds or removes parameters. */
export function pkbAuthorizeUrl(base: string, extra: Record<string, string | undefined> = {}): { url: string; verifier: string; state: string } {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const url = new URL(`${base}${PKB.paths.authorize}`);
  const params: Record<string, string | undefined> = {
    client_id: PKB.userClientId,
    response_type: 'code',
    redirect_uri: PKB.redirectUri,
    scope: PKB.scope,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return { url: url.toString(), verifier, state };
}

/** A whole pairing done from Node (for benchmarks and scripts): authorize with PKCE, sign in, code for tokens. */
export async function pairFromNode(base: string, username: string, password = 'password'): Promise<{ accessToken: string; refreshToken: string }> {
  const { url, verifier, state } = pkbAuthorizeUrl(base);
  const callback = new URL(await signInThroughPkb(url, username, password));
  if (callback.searchParams.get('state') !== state) throw new Error('PKB pairing: state mismatch');
  const response = await fetch(`${base}${PKB.paths.token}`, {
    method: 'POST',
    headers: FORM,
    body: new URLSearchParams({ client_id: PKB.userClientId, grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', redirect_uri: PKB.redirectUri, code_verifier: verifier }).toString(),
  });
  const tokens = (await response.json()) as { access_token: string; refresh_token: string };
  if (!response.ok) throw new Error(`PKB pairing failed: HTTP ${response.status}`);
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

/** Mints an OTP as the extension would, with a pairing's access token. */
export async function mintOtpFromNode(base: string, accessToken: string): Promise<string> {
  const response = await fetch(`${base}${PKB.paths.otp}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  if (!response.ok) throw new Error(`OTP request failed: HTTP ${response.status}`);
  return ((await response.json()) as { otp: string }).otp;
}
