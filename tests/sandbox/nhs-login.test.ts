import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ISSUED_ID_TOKENS_PATH } from './nhs-login';
import { NHS_LOGIN } from './nhs-login-fixtures';
import { CookieJar, request } from './cookie-jar';
import { FIREFOX_EXTENSION_ORIGIN, firefoxRedirectUri } from './redirect-uris';
import { control, testId, useSandbox } from './test-kit';

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const RP1 = NHS_LOGIN.rp1ClientId;

/** Follows redirects by hand until a non-redirect answer or a redirect to RP1's (extension) redirect URI. */
async function follow(start: string, jar: CookieJar, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
  let url = start;
  let response = await request(url, jar, init);
  for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
    url = new URL(response.headers.get('location') ?? '', url).toString();
    if (NHS_LOGIN.rp1RedirectUris.some((redirect) => url.startsWith(redirect))) return { response, url };
    response = await request(url, jar);
  }
  return { response, url };
}

interface Rp1Key {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<Rp1Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

function clientAssertion(key: Rp1Key, audience: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid as string })
    .setIssuer(RP1)
    .setSubject(RP1)
    .setAudience(audience)
    .setJti(b64url(randomBytes(16)))
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key.privateKey);
}

function authorizeUrl(issuer: string, extra: Record<string, string | undefined>): { url: string; verifier: string; state: string; nonce: string } {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const url = new URL(`${issuer}/auth`);
  const params: Record<string, string | undefined> = {
    client_id: RP1,
    response_type: 'code',
    scope: 'openid profile email phone',
    redirect_uri: NHS_LOGIN.rp1RedirectUri,
    state,
    nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    vtr: '["P9.Cp.Cd"]',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return { url: url.toString(), verifier, state, nonce };
}

async function tokenRequest(issuer: string, key: Rp1Key, code: string, verifier: string, browser: { redirectUri?: string; origin?: string } = {}): Promise<Response> {
  return fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(browser.origin ? { origin: browser.origin } : {}) },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: browser.redirectUri ?? NHS_LOGIN.rp1RedirectUri,
      code_verifier: verifier,
      client_id: RP1,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(key, `${issuer}/token`),
    }).toString(),
  });
}

/** RP1 (the extension) signs the user in: login page, code, private_key_jwt token request. */
async function rp1SignIn(issuer: string, key: Rp1Key, jar: CookieJar, username = 'citizen.one') {
  const auth = authorizeUrl(issuer, {});
  const loginPage = await follow(auth.url, jar);
  expect(loginPage.response.status).toBe(200);
  expect(testId(await loginPage.response.text(), 'nhs-login-client')).toBe(RP1);
  const done = await follow(`${loginPage.url}/login`, jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: 'password' }).toString(),
  });
  const redirect = new URL(done.url);
  expect(redirect.origin + redirect.pathname).toBe(NHS_LOGIN.rp1RedirectUri);
  expect(redirect.searchParams.get('state')).toBe(auth.state);
  const code = redirect.searchParams.get('code') ?? '';
  const response = await tokenRequest(issuer, key, code, auth.verifier);
  const tokens = (await response.json()) as Record<string, string>;
  expect(response.status, JSON.stringify(tokens)).toBe(200);
  const idToken = decodeJwt(tokens['id_token'] ?? '');
  return { idToken, nonce: auth.nonce };
}

async function assertion(key: Rp1Key, claims: { code: string; iss?: string; iat?: number; exp?: number; jti?: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = claims.iat ?? now;
  return new SignJWT({ code: claims.code })
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid as string })
    .setIssuer(claims.iss ?? RP1)
    .setJti(claims.jti ?? b64url(randomBytes(16)))
    .setIssuedAt(iat)
    .setExpirationTime(claims.exp ?? iat + 60)
    .sign(key.privateKey);
}

/** RP2 in a browser with no NHS login session: launch, then whatever page RP2 ends on. */
async function rp2Launch(rp2: string, jwt: string, alias = false): Promise<string> {
  const param = alias ? 'assertedLoginIdentity' : 'asserted_login_identity';
  const { response } = await follow(`${rp2}/launch?${param}=${encodeURIComponent(jwt)}&prompt=none`, new CookieJar());
  return response.text();
}

describe('nhs-login provider and demo RP2', () => {
  const sandbox = useSandbox();
  const enrol = async (key: Rp1Key) => {
    const response = await control(sandbox.urls['nhs-login'], 'settings', 'POST', { rp1Jwks: [key.jwk] });
    expect(response.status).toBe(200);
  };

  it('signs RP1 in with PKCE, nonce and private_key_jwt and records the ID token jti', async () => {
    const issuer = sandbox.urls['nhs-login'];
    const key = await newKey('rp1-key-1');
    await enrol(key);
    const { idToken, nonce } = await rp1SignIn(issuer, key, new CookieJar());
    expect(idToken).toMatchObject({ iss: issuer, aud: RP1, sub: 'nhs-login-citizen-1', nonce, amr: ['pwd'] });
    expect(typeof idToken.jti).toBe('string');
    const issued = (await (await fetch(`${issuer}${ISSUED_ID_TOKENS_PATH}`)).json()) as { jti: string; accountId: string; sessionUid: string }[];
    expect(issued).toEqual([expect.objectContaining({ jti: idToken.jti, accountId: 'nhs-login-citizen-1', sessionUid: expect.any(String) })]);

    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] });
  });

  it('rejects an authorization request without nonce and a token request with a wrong client assertion', async () => {
    const issuer = sandbox.urls['nhs-login'];
    const key = await newKey('rp1-key-1');
    await enrol(key);
    const noNonce = await follow(authorizeUrl(issuer, { nonce: undefined }).url, new CookieJar());
    const error = new URL(noNonce.url).searchParams;
    expect(error.get('error')).toBe('invalid_request');
    expect(error.get('error_description')).toContain('nonce');

    const jar = new CookieJar();
    const auth = authorizeUrl(issuer, {});
    const loginPage = await follow(auth.url, jar);
    const done = await follow(`${loginPage.url}/login`, jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=citizen.one&password=password',
    });
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const wrong = await tokenRequest(issuer, await newKey('rp1-key-1'), code, auth.verifier);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
  });

  it("accepts RP1's Firefox redirect URI and Firefox origin as well, and no other path at Firefox's redirect host", async () => {
    const issuer = sandbox.urls['nhs-login'];
    const key = await newKey('rp1-key-1');
    await enrol(key);
    const redirectUri = firefoxRedirectUri('nhs-login');
    const jar = new CookieJar();
    const auth = authorizeUrl(issuer, { redirect_uri: redirectUri });
    const loginPage = await follow(auth.url, jar);
    const done = await follow(`${loginPage.url}/login`, jar, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=citizen.one&password=password',
    });
    const redirect = new URL(done.url);
    expect(redirect.origin + redirect.pathname).toBe(redirectUri);
    expect(redirect.searchParams.get('state')).toBe(auth.state);
    const response = await tokenRequest(issuer, key, redirect.searchParams.get('code') ?? '', auth.verifier, { redirectUri, origin: FIREFOX_EXTENSION_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(FIREFOX_EXTENSION_ORIGIN);

    const otherPath = await follow(authorizeUrl(issuer, { redirect_uri: firefoxRedirectUri('pkb') }).url, new CookieJar());
    expect(otherPath.response.status).toBe(400);
    expect(otherPath.url.startsWith(issuer)).toBe(true);
  });

  it('answers prompt=none without a session with login_required', async () => {
    const issuer = sandbox.urls['nhs-login'];
    await enrol(await newKey('rp1-key-1'));
    const { url } = await follow(authorizeUrl(issuer, { prompt: 'none' }).url, new CookieJar());
    expect(new URL(url).searchParams.get('error')).toBe('login_required');
  });

  it('signs the user in to RP2 silently with a valid asserted_login_identity', async () => {
    const issuer = sandbox.urls['nhs-login'];
    const rp2 = sandbox.urls['nhs-login-rp2'];
    const key = await newKey('rp1-key-1');
    await enrol(key);
    const { idToken } = await rp1SignIn(issuer, key, new CookieJar(), 'citizen.two');
    const html = await rp2Launch(rp2, await assertion(key, { code: String(idToken.jti) }));
    expect(testId(html, 'rp2-error')).toBeUndefined();
    expect(testId(html, 'rp2-user')).toBe('nhs-login-citizen-2');
    expect(testId(html, 'rp2-prompt-shown')).toBe('false');
    expect(testId(html, 'rp2-amr')).toBe('asserted_login_identity');

    // The PKB-style alias works too (a fresh assertion: each jti is single-use).
    const alias = await rp2Launch(rp2, await assertion(key, { code: String(idToken.jti) }), true);
    expect(testId(alias, 'rp2-user')).toBe('nhs-login-citizen-2');
  });

  it('ends RP2 with login_required for each bad assertion', async () => {
    const issuer = sandbox.urls['nhs-login'];
    const rp2 = sandbox.urls['nhs-login-rp2'];
    const key = await newKey('rp1-key-1');
    await enrol(key);
    const { idToken } = await rp1SignIn(issuer, key, new CookieJar());
    const code = String(idToken.jti);
    const now = Math.floor(Date.now() / 1000);
    const stranger = await newKey('rp1-key-1');

    const cases: [string, string, string][] = [
      ['wrong signer', await assertion(stranger, { code }), 'signature not verified'],
      ['wrong iss', await assertion(key, { code, iss: 'some-other-client' }), 'iss must be'],
      ['exp - iat > 60', await assertion(key, { code, iat: now, exp: now + 61 }), 'longer than 60 seconds'],
      ['expired', await assertion(key, { code, iat: now - 120, exp: now - 60 }), 'expired'],
      ['unknown code', await assertion(key, { code: 'not-an-id-token-jti' }), 'code does not match'],
      ['not a JWT', 'garbage', 'signature not verified'],
    ];
    for (const [label, jwt, reason] of cases) {
      const error = testId(await rp2Launch(rp2, jwt), 'rp2-error');
      expect(error, label).toContain('login_required');
      expect(error, label).toContain(reason);
    }

    const once = await assertion(key, { code, jti: 'single-use-jti' });
    expect(testId(await rp2Launch(rp2, once), 'rp2-user')).toBe('nhs-login-citizen-1');
    const replay = testId(await rp2Launch(rp2, once), 'rp2-error');
    expect(replay).toContain('login_required');
    expect(replay).toContain('jti already used');
  });

  it('keeps fault injection and request recording working for the oidc-provider pass-through', async () => {
    const issuer = sandbox.urls['nhs-login'];
    await control(issuer, 'faults', 'POST', { path: '/.well-known/openid-configuration', status: 503, times: 1 });
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(503);
    expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
    await control(issuer, 'faults', 'POST', { path: '/jwks', truncate: true, times: 1 });
    await expect(fetch(`${issuer}/jwks`).then((r) => r.text())).rejects.toThrow();
    await follow(authorizeUrl(issuer, { prompt: 'none' }).url, new CookieJar());
    const log = (await (await control(issuer, 'requests')).json()) as { path: string; status: number; fault?: string }[];
    expect(log.map((entry) => [entry.path, entry.status, entry.fault])).toEqual([
      ['/.well-known/openid-configuration', 503, 'status'],
      ['/.well-known/openid-configuration', 200, undefined],
      ['/jwks', 200, 'truncate'],
      ['/auth', 303, undefined],
    ]);
  });
});
