import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { CookieJar, request } from './cookie-jar';
import { CLINICIANS } from './fixtures';
import { ORG_IDP_PATHS } from './org-idp';
import { ORG_IDP } from './org-idp-fixtures';
import type { IdTokenFault } from './org-idp-fixtures';
import { FIREFOX_EXTENSION_ORIGIN, firefoxRedirectUri } from './redirect-uris';
import { control, testId, useSandbox } from './test-kit';

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const ALL_SCOPES = 'openid profile email nationalrbacaccess selectedrole';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Follows redirects by hand until a page, or a redirect to the extension's redirect URI (never fetched). */
async function follow(start: string, jar: CookieJar, init: RequestInit = {}): Promise<{ response: Response; url: string }> {
  let url = start;
  let response = await request(url, jar, init);
  for (let hops = 0; hops < 10 && response.status >= 300 && response.status < 400; hops += 1) {
    url = new URL(response.headers.get('location') ?? '', url).toString();
    if (ORG_IDP.redirectUris.some((redirect) => url.startsWith(redirect))) return { response, url };
    response = await request(url, jar);
  }
  return { response, url };
}

interface Authorization {
  url: string;
  verifier: string;
  state: string;
  nonce: string;
}

function authorizeUrl(issuer: string, extra: Record<string, string | undefined> = {}): Authorization {
  const verifier = b64url(randomBytes(32));
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const url = new URL(`${issuer}${ORG_IDP_PATHS.authorization}`);
  const params: Record<string, string | undefined> = {
    client_id: ORG_IDP.clientId,
    response_type: 'code',
    scope: ALL_SCOPES,
    redirect_uri: ORG_IDP.redirectUri,
    state,
    nonce,
    code_challenge: b64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return { url: url.toString(), verifier, state, nonce };
}

function post(url: string, jar: CookieJar, fields: Record<string, string>) {
  return follow(url, jar, { method: 'POST', headers: FORM, body: new URLSearchParams(fields).toString() });
}

/** The browser's part: authorization request, login page, role page when shown; ends at the redirect URI. */
async function browserSignIn(issuer: string, jar: CookieJar, username: string, options: { extra?: Record<string, string | undefined>; role?: string } = {}) {
  const auth = authorizeUrl(issuer, options.extra);
  const redirectUri = options.extra?.['redirect_uri'] ?? ORG_IDP.redirectUri;
  const login = await follow(auth.url, jar);
  expect(login.response.status).toBe(200);
  const loginHtml = await login.response.text();
  expect(testId(loginHtml, 'org-idp-client')).toBe(options.extra?.['client_id'] ?? ORG_IDP.clientId);
  let done = await post(`${login.url}/login`, jar, { username, password: 'password' });
  let roleHtml: string | undefined;
  if (!done.url.startsWith(redirectUri)) {
    roleHtml = await done.response.text();
    expect(roleHtml).toContain('Choose your role');
    done = await post(`${login.url}/role`, jar, { role: options.role ?? '' });
  }
  const callback = new URL(done.url);
  expect(callback.origin + callback.pathname).toBe(redirectUri);
  expect(callback.searchParams.get('state')).toBe(auth.state);
  return { auth, callback, roleHtml };
}

async function exchange(issuer: string, auth: Authorization, callback: URL, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${issuer}${ORG_IDP_PATHS.token}`, {
    method: 'POST',
    headers: { ...FORM, ...headers },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code') ?? '',
      redirect_uri: ORG_IDP.redirectUri,
      code_verifier: auth.verifier,
      client_id: ORG_IDP.clientId,
      ...extra,
    }).toString(),
  });
}

async function tokensFor(issuer: string, auth: Authorization, callback: URL, extra: Record<string, string> = {}) {
  const response = await exchange(issuer, auth, callback, extra);
  const body = (await response.json()) as Record<string, string | number>;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return { idToken: String(body['id_token']), accessToken: String(body['access_token']), expiresIn: Number(body['expires_in']) };
}

async function userinfo(issuer: string, accessToken: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function verified(issuer: string, idToken: string, clientId: string = ORG_IDP.clientId): Promise<JWTPayload> {
  const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer, audience: clientId, algorithms: ['RS256'] });
  return payload;
}

async function signIn(issuer: string, username: string, options: { jar?: CookieJar; extra?: Record<string, string | undefined>; role?: string } = {}) {
  const jar = options.jar ?? new CookieJar();
  const { auth, callback, roleHtml } = await browserSignIn(issuer, jar, username, options);
  const tokens = await tokensFor(issuer, auth, callback);
  return { jar, auth, roleHtml, ...tokens, claims: await verified(issuer, tokens.idToken) };
}

/** An authorization that must end at the redirect URI with an error; answers its parameters. */
async function refusedAt(start: Authorization, jar = new CookieJar()): Promise<URLSearchParams> {
  const { url } = await follow(start.url, jar);
  expect(url.startsWith(ORG_IDP.redirectUri), url).toBe(true);
  return new URL(url).searchParams;
}

interface KeyClientKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(kid: string): Promise<KeyClientKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

function clientAssertion(key: KeyClientKey, audience: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid as string })
    .setIssuer(ORG_IDP.keyClientId)
    .setSubject(ORG_IDP.keyClientId)
    .setAudience(audience)
    .setJti(b64url(randomBytes(16)))
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key.privateKey);
}

describe('org-idp: a CIS2-like organisation identity provider', () => {
  const sandbox = useSandbox();
  const issuerUrl = () => sandbox.urls['org-idp'];

  it('publishes a discovery document with code flow, PKCE S256 only and the CIS2 scopes and claims', async () => {
    const issuer = issuerUrl();
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      userinfo_endpoint: `${issuer}/me`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      acr_values_supported: [...ORG_IDP.acrValues],
      authorization_response_iss_parameter_supported: true,
    });
    expect(discovery['scopes_supported']).toEqual(expect.arrayContaining([...ORG_IDP.scopes]));
    expect(discovery['claims_supported']).toEqual(expect.arrayContaining(['sub', 'uid', 'name', 'selected_roleid', 'nhsid_nrbac_roles', 'nhsid_useruid', 'acr']));
    expect(discovery['token_endpoint_auth_methods_supported']).toEqual(expect.arrayContaining(['none', 'private_key_jwt']));
  });

  it('signs dr.jones in with code + PKCE: the ID token carries the uid, name and the one role; userinfo the RBAC roles', async () => {
    const issuer = issuerUrl();
    const jones = CLINICIANS[0]!;
    const { claims, accessToken, auth, expiresIn } = await signIn(issuer, 'dr.jones', { extra: { acr_values: 'AAL3_ANY' } });
    expect(claims).toMatchObject({
      iss: issuer,
      aud: ORG_IDP.clientId,
      sub: '555000000101',
      uid: '555000000101',
      name: 'Dr Alice Jones',
      given_name: 'Alice',
      family_name: 'Jones',
      preferred_username: 'dr.jones',
      email: jones.email,
      selected_roleid: '555000000102',
      nonce: auth.nonce,
      acr: 'AAL3_ANY',
      amr: ['pwd'],
    });
    expect(typeof claims.auth_time).toBe('number');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
    expect(claims).not.toHaveProperty('nhsid_nrbac_roles');
    expect(expiresIn).toBe(600);

    expect(await userinfo(issuer, accessToken)).toMatchObject({
      sub: '555000000101',
      nhsid_useruid: '555000000101',
      selected_roleid: '555000000102',
      nhsid_nrbac_roles: [{ person_roleid: '555000000102', role_name: 'General Medical Practitioner', org_code: 'Y90001' }],
    });
    expect(jones).toMatchObject({ sdsUserId: claims.sub, roleProfileId: claims['selected_roleid'] });
  });

  it('gives the acr asked for, or the password sign-in one, and only the claims of the scopes asked for', async () => {
    const issuer = issuerUrl();
    const plain = await signIn(issuer, 'dr.jones', { extra: { scope: 'openid profile' } });
    expect(plain.claims).toMatchObject({ sub: '555000000101', name: 'Dr Alice Jones', acr: ORG_IDP.defaultAcr });
    expect(plain.claims).not.toHaveProperty('selected_roleid');
    expect(plain.claims).not.toHaveProperty('email');
    const info = await userinfo(issuer, plain.accessToken);
    expect(info).not.toHaveProperty('nhsid_nrbac_roles');
    expect(info).not.toHaveProperty('selected_roleid');
  });

  it('shows dr.patel the role page and puts the chosen role in selected_roleid; prompt=login lets the role be chosen again', async () => {
    const issuer = issuerUrl();
    const first = await signIn(issuer, 'dr.patel', { role: '555000000203' });
    const html = first.roleHtml ?? '';
    expect(testId(html, 'org-idp-user')).toBe('Dr Raj Patel');
    expect(html).toContain('data-testid="org-idp-role-555000000202">Continue as General Medical Practitioner</button>');
    expect(html).toContain('data-testid="org-idp-role-555000000203">Continue as Clinical Director</button>');
    expect(html.match(/data-testid="org-idp-role-org">Y90001</g)).toHaveLength(2);
    expect(first.claims).toMatchObject({ sub: '555000000201', name: 'Dr Raj Patel', selected_roleid: '555000000203' });
    expect(await userinfo(issuer, first.accessToken)).toMatchObject({
      selected_roleid: '555000000203',
      nhsid_nrbac_roles: [
        { person_roleid: '555000000202', role_name: 'General Medical Practitioner', org_code: 'Y90001' },
        { person_roleid: '555000000203', role_name: 'Clinical Director', org_code: 'Y90001' },
      ],
    });

    // The session keeps the role: a silent sign-in needs no page and gives the same role.
    const silent = authorizeUrl(issuer, { prompt: 'none' });
    const silentCallback = new URL((await follow(silent.url, first.jar)).url);
    expect(silentCallback.searchParams.get('code')).toBeTruthy();
    const silentTokens = await tokensFor(issuer, silent, silentCallback);
    expect(decodeJwt(silentTokens.idToken)).toMatchObject({ selected_roleid: '555000000203' });

    // "Switch role": prompt=login shows the login page again, then the role page.
    const again = await signIn(issuer, 'dr.patel', { jar: first.jar, extra: { prompt: 'login' }, role: '555000000202' });
    expect(again.roleHtml).toContain('Choose your role');
    expect(again.claims['selected_roleid']).toBe('555000000202');
  });

  it('refuses a role that is not the user\'s and keeps the role page', async () => {
    const issuer = issuerUrl();
    const jar = new CookieJar();
    const login = await follow(authorizeUrl(issuer).url, jar);
    await post(`${login.url}/login`, jar, { username: 'dr.patel', password: 'password' });
    const wrong = await post(`${login.url}/role`, jar, { role: '555000000102' });
    expect(wrong.response.status).toBe(200);
    expect(testId(await wrong.response.text(), 'org-idp-error')).toBe('Choose one of your roles');
    const right = await post(`${login.url}/role`, jar, { role: '555000000202' });
    expect(new URL(right.url).searchParams.get('code')).toBeTruthy();
  });

  it('asks dr.patel for a role (no password) when a session without one meets scope selectedrole; prompt=none gets interaction_required', async () => {
    const issuer = issuerUrl();
    const first = await signIn(issuer, 'dr.patel', { extra: { scope: 'openid profile' } });
    expect(first.roleHtml).toBeUndefined();
    expect(first.claims).not.toHaveProperty('selected_roleid');

    const silent = await refusedAt(authorizeUrl(issuer, { prompt: 'none' }), first.jar);
    expect(silent.get('error')).toBe('interaction_required');

    const auth = authorizeUrl(issuer);
    const page = await follow(auth.url, first.jar);
    const html = await page.response.text();
    expect(html).toContain('Choose your role');
    expect(html).not.toContain('org-idp-password');
    const done = await post(`${page.url}/role`, first.jar, { role: '555000000203' });
    const tokens = await tokensFor(issuer, auth, new URL(done.url));
    expect(decodeJwt(tokens.idToken)).toMatchObject({ sub: '555000000201', selected_roleid: '555000000203' });
  });

  it('gives student.lee (no roles) no selected_roleid and an empty role list', async () => {
    const issuer = issuerUrl();
    const { claims, accessToken, roleHtml } = await signIn(issuer, 'student.lee');
    expect(roleHtml).toBeUndefined();
    expect(claims).toMatchObject({ sub: '555000000401', name: 'Sam Lee', email: 'sam.lee@riverside.example.nhs.uk' });
    expect(claims).not.toHaveProperty('selected_roleid');
    const info = await userinfo(issuer, accessToken);
    expect(info).toMatchObject({ nhsid_useruid: '555000000401', nhsid_nrbac_roles: [] });
    expect(info).not.toHaveProperty('selected_roleid');
  });

  it('answers prompt=none without a session with login_required at the redirect URI, with the state and iss', async () => {
    const issuer = issuerUrl();
    const auth = authorizeUrl(issuer, { prompt: 'none' });
    const params = await refusedAt(auth);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe(auth.state);
    expect(params.get('iss')).toBe(issuer);
  });

  it('ends every session on POST /_sandbox/end-sessions: the next prompt=none is login_required', async () => {
    const issuer = issuerUrl();
    const { jar, accessToken } = await signIn(issuer, 'dr.jones');
    const stillIn = await follow(authorizeUrl(issuer, { prompt: 'none' }).url, jar);
    expect(new URL(stillIn.url).searchParams.get('code')).toBeTruthy();

    const ended = await fetch(`${issuer}${ORG_IDP_PATHS.endSessions}`, { method: 'POST' });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ endedSessions: 1 });
    const auth = authorizeUrl(issuer, { prompt: 'none' });
    const params = await refusedAt(auth, jar);
    expect(params.get('error')).toBe('login_required');
    expect(params.get('state')).toBe(auth.state);
    // Access tokens end with their session.
    expect((await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(401);
    expect((await fetch(`${issuer}${ORG_IDP_PATHS.endSessions}`)).status).toBe(405);
  });

  it('forgets sessions on a settings reset', async () => {
    const issuer = issuerUrl();
    const { jar } = await signIn(issuer, 'dr.jones');
    expect((await control(issuer, 'settings', 'DELETE')).status).toBe(200);
    expect((await refusedAt(authorizeUrl(issuer, { prompt: 'none' }), jar)).get('error')).toBe('login_required');
  });

  it('shows the login page again for prompt=login and prompt=select_account with a live session, and grants prompt=consent itself', async () => {
    const issuer = issuerUrl();
    const { jar } = await signIn(issuer, 'dr.jones');
    for (const prompt of ['login', 'select_account']) {
      const page = await follow(authorizeUrl(issuer, { prompt }).url, jar);
      expect(page.response.status, prompt).toBe(200);
      expect(await page.response.text(), prompt).toContain('data-testid="org-idp-password"');
    }
    const auth = authorizeUrl(issuer, { prompt: 'select_account' });
    const page = await follow(auth.url, jar);
    const done = await post(`${page.url}/login`, jar, { username: 'dr.jones', password: 'password' });
    expect(new URL(done.url).searchParams.get('code')).toBeTruthy();

    const consent = await follow(authorizeUrl(issuer, { prompt: 'consent' }).url, jar);
    expect(new URL(consent.url).searchParams.get('code')).toBeTruthy();

    // Another user over the live session: oidc-provider first asks to end it (its logout confirmation form).
    const other = await follow(authorizeUrl(issuer, { prompt: 'login' }).url, jar);
    const switched = await post(`${other.url}/login`, jar, { username: 'student.lee', password: 'password' });
    expect(switched.response.status).toBe(200);
    expect(await switched.response.text()).toMatch(/<form[^>]+action="[^"]*\/session\/end\/confirm"/);
  });

  it('refuses an authorization request without PKCE, with plain PKCE, or without nonce at the redirect URI', async () => {
    const issuer = issuerUrl();
    const noPkce = await refusedAt(authorizeUrl(issuer, { code_challenge: undefined, code_challenge_method: undefined }));
    expect(noPkce.get('error')).toBe('invalid_request');
    expect(noPkce.get('error_description')).toMatch(/PKCE/i);
    const plain = await refusedAt(authorizeUrl(issuer, { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }));
    expect(plain.get('error')).toBe('invalid_request');
    const noNonce = await refusedAt(authorizeUrl(issuer, { nonce: undefined }));
    expect(noNonce.get('error')).toBe('invalid_request');
    expect(noNonce.get('error_description')).toContain('nonce');
  });

  it('refuses a redirect URI that is not registered exactly, with a page and no redirect', async () => {
    const issuer = issuerUrl();
    for (const redirect of [`${ORG_IDP.redirectUri}/`, 'https://ikbkgfoadadldhedkemepfmjnahodadh.chromiumapp.org/nhs-login', 'https://0123456789abcdef.extensions.allizom.org/org-idp', firefoxRedirectUri('nhs-login')]) {
      const { response, url } = await follow(authorizeUrl(issuer, { redirect_uri: redirect }).url, new CookieJar());
      expect(response.status, redirect).toBe(400);
      expect(url.startsWith(issuer), redirect).toBe(true);
      expect(testId(await response.text(), 'error-message'), redirect).toContain('redirect_uri');
    }
  });

  it("accepts the extension's Firefox redirect URI and Firefox origin as well", async () => {
    const issuer = issuerUrl();
    const redirectUri = firefoxRedirectUri('org-idp');
    const { auth, callback } = await browserSignIn(issuer, new CookieJar(), 'dr.jones', { extra: { redirect_uri: redirectUri } });
    const response = await exchange(issuer, auth, callback, { redirect_uri: redirectUri }, { origin: FIREFOX_EXTENSION_ORIGIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(FIREFOX_EXTENSION_ORIGIN);
  });

  it('refuses a wrong code_verifier, and allows CORS only for the extension origin', async () => {
    const issuer = issuerUrl();
    const jar = new CookieJar();
    const first = await browserSignIn(issuer, jar, 'dr.jones');
    const wrong = await exchange(issuer, first.auth, first.callback, { code_verifier: b64url(randomBytes(32)) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });

    const second = await browserSignIn(issuer, jar, 'dr.jones', { extra: { prompt: 'login' } });
    const stranger = await exchange(issuer, second.auth, second.callback, {}, { origin: 'https://evil.example' });
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const third = await browserSignIn(issuer, jar, 'dr.jones', { extra: { prompt: 'login' } });
    const extension = await exchange(issuer, third.auth, third.callback, {}, { origin: ORG_IDP.origin });
    expect(extension.status).toBe(200);
    expect(extension.headers.get('access-control-allow-origin')).toBe(ORG_IDP.origin);
  });

  it('signs the private_key_jwt client in with an enrolled key and refuses an unknown one', async () => {
    const issuer = issuerUrl();
    const key = await newKey('launchpad-key-1');
    expect((await control(issuer, 'settings', 'POST', { clientJwks: [key.jwk] })).status).toBe(200);
    const extra = { client_id: ORG_IDP.keyClientId };
    const jar = new CookieJar();
    const first = await browserSignIn(issuer, jar, 'dr.jones', { extra });
    const stranger = await exchange(issuer, first.auth, first.callback, {
      client_id: ORG_IDP.keyClientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(await newKey('launchpad-key-1'), `${issuer}/token`),
    });
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toMatchObject({ error: 'invalid_client' });

    const second = await browserSignIn(issuer, jar, 'dr.jones', { extra: { ...extra, prompt: 'login' } });
    const tokens = await tokensFor(issuer, second.auth, second.callback, {
      client_id: ORG_IDP.keyClientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(key, `${issuer}/token`),
    });
    expect(await verified(issuer, tokens.idToken, ORG_IDP.keyClientId)).toMatchObject({ sub: '555000000101', aud: ORG_IDP.keyClientId });

    // The public client id cannot stand in for it, and no client authentication is refused.
    const third = await browserSignIn(issuer, jar, 'dr.jones', { extra: { ...extra, prompt: 'login' } });
    const unauthenticated = await exchange(issuer, third.auth, third.callback, { client_id: ORG_IDP.keyClientId });
    expect(unauthenticated.status).toBe(401);
  });

  it('validates settings: public keys only, a sane ID token lifetime, a known fault', async () => {
    const issuer = issuerUrl();
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = { ...(await exportJWK(privateKey)), kid: 'oops' };
    const cases: [unknown, string][] = [
      [{ clientJwks: [privateJwk] }, 'private member "d"'],
      [{ clientJwks: [{ kty: 'EC' }] }, 'kid'],
      [{ idTokenTtlSeconds: 0 }, 'idTokenTtlSeconds'],
      [{ idTokenTtlSeconds: 1.5 }, 'idTokenTtlSeconds'],
      [{ idTokenFault: 'sideways' }, 'idTokenFault'],
    ];
    for (const [patch, reason] of cases) {
      const response = await control(issuer, 'settings', 'POST', patch);
      expect(response.status, JSON.stringify(patch)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(reason);
    }
    expect(await (await control(issuer, 'settings')).json()).toEqual(ORG_IDP.defaultSettings());
  });

  it('issues ID tokens for idTokenTtlSeconds', async () => {
    const issuer = issuerUrl();
    await control(issuer, 'settings', 'POST', { idTokenTtlSeconds: 45 });
    const { claims } = await signIn(issuer, 'dr.jones');
    expect(Number(claims.exp) - Number(claims.iat)).toBe(45);
  });

  it('records what the last authorization request asked for, without state, nonce or challenge', async () => {
    const issuer = issuerUrl();
    expect((await fetch(`${issuer}${ORG_IDP_PATHS.lastAuthorization}`)).status).toBe(404);
    const auth = authorizeUrl(issuer, { prompt: 'none', acr_values: 'AAL3_ANY', login_hint: '555000000101' });
    await refusedAt(auth);
    const seen = (await (await fetch(`${issuer}${ORG_IDP_PATHS.lastAuthorization}`)).json()) as Record<string, unknown>;
    expect(seen).toMatchObject({
      method: 'GET',
      client_id: ORG_IDP.clientId,
      response_type: 'code',
      redirect_uri: ORG_IDP.redirectUri,
      scope: ALL_SCOPES,
      prompt: 'none',
      acr_values: 'AAL3_ANY',
      login_hint: '555000000101',
      code_challenge_method: 'S256',
      has_code_challenge: true,
      has_nonce: true,
      has_state: true,
    });
    const text = JSON.stringify(seen);
    for (const secret of [auth.state, auth.nonce, new URL(auth.url).searchParams.get('code_challenge') ?? '']) expect(text).not.toContain(secret);
  });

  describe('idTokenFault', () => {
    async function faulty(fault: IdTokenFault) {
      const issuer = issuerUrl();
      await control(issuer, 'settings', 'POST', { idTokenFault: fault });
      const { auth, callback } = await browserSignIn(issuer, new CookieJar(), 'dr.jones');
      const { idToken, accessToken } = await tokensFor(issuer, auth, callback);
      return { issuer, auth, idToken, accessToken };
    }
    const jwks = async (issuer: string) => createLocalJWKSet((await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet);

    it('none: the token verifies', async () => {
      const { issuer, idToken, auth } = await faulty('none');
      expect(await verified(issuer, idToken)).toMatchObject({ nonce: auth.nonce });
    });

    it('wrong-iss, wrong-aud, wrong-nonce: validly signed by the provider, one claim wrong', async () => {
      for (const [fault, check] of [
        ['wrong-iss', (p: JWTPayload, issuer: string) => expect(p.iss).not.toBe(issuer)],
        ['wrong-aud', (p: JWTPayload) => expect(p.aud).not.toBe(ORG_IDP.clientId)],
        ['wrong-nonce', (p: JWTPayload, _issuer: string, nonce: string) => expect(p['nonce']).not.toBe(nonce)],
      ] as const) {
        const { issuer, idToken, auth } = await faulty(fault);
        const { payload } = await jwtVerify(idToken, await jwks(issuer));
        check(payload, issuer, auth.nonce);
        expect(payload, fault).toMatchObject({ sub: '555000000101', ...(fault === 'wrong-nonce' ? {} : { nonce: auth.nonce }) });
        if (fault !== 'wrong-iss') expect(payload.iss).toBe(issuer);
        if (fault !== 'wrong-aud') expect(payload.aud).toBe(ORG_IDP.clientId);
      }
    });

    it('weak-acr: validly signed, acr a password-only sign-in', async () => {
      const { issuer, idToken } = await faulty('weak-acr');
      const { payload } = await jwtVerify(idToken, await jwks(issuer));
      expect(payload).toMatchObject({ sub: '555000000101', acr: 'AAL1_USERPASS', iss: issuer });
    });

    it('expired: signed, exp an hour ago', async () => {
      const { issuer, idToken } = await faulty('expired');
      await expect(verified(issuer, idToken)).rejects.toThrow(/exp/);
      const payload = decodeJwt(idToken);
      expect(Number(payload.exp)).toBeLessThan(Date.now() / 1000 - 3000);
      expect(Number(payload.exp) - Number(payload.iat)).toBe(300);
      const { payload: signed } = await jwtVerify(idToken, await jwks(issuer), { currentDate: new Date((Number(payload.exp) - 10) * 1000) });
      expect(signed.sub).toBe('555000000101');
    });

    it('unsigned: alg none and an empty signature', async () => {
      const { idToken, auth } = await faulty('unsigned');
      const header = decodeProtectedHeader(idToken);
      expect(header.alg).toBe('none');
      expect(header).not.toHaveProperty('kid');
      expect(idToken.endsWith('.')).toBe(true);
      expect(decodeJwt(idToken)).toMatchObject({ sub: '555000000101', nonce: auth.nonce });
    });

    it('bad-signature: the claims are right but the signature does not verify', async () => {
      const { issuer, idToken, auth } = await faulty('bad-signature');
      expect(decodeJwt(idToken)).toMatchObject({ iss: issuer, aud: ORG_IDP.clientId, nonce: auth.nonce });
      await expect(jwtVerify(idToken, await jwks(issuer))).rejects.toThrow(/signature/);
    });

    it('leaves the rest of the token response and userinfo alone', async () => {
      const { issuer, accessToken } = await faulty('bad-signature');
      expect(await userinfo(issuer, accessToken)).toMatchObject({ sub: '555000000101' });
    });
  });
});
