import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CookieJar, FORM, follow, pkbAuthorizeUrl, request, submitLogin } from './pkb-browser';
import { dataFromOtherOrgPath, PKB, PKB_PATHS, PKB_SESSION_COOKIE, patientSummaryPath } from './pkb-fixtures';
import { relativeRedirectProblem } from './pkb-otp';
import { FIREFOX_EXTENSION_ORIGIN, firefoxRedirectUri } from './redirect-uris';
import { control, fixture, testId, useSandbox } from './test-kit';

const [JONES, PATEL, GRAY] = [fixture(PKB.clinicians[0], 'dr.jones'), fixture(PKB.clinicians[1], 'dr.patel'), fixture(PKB.clinicians[2], 'locum.gray')];
const [SMITH, OBRIEN, PRIYA] = [fixture(PKB.patients[0], 'patient 1'), fixture(PKB.patients[1], 'patient 2'), fixture(PKB.patients[2], 'patient 3')];



function tokenRequest(base: string, params: Record<string, string>, origin?: string): Promise<Response> {
  return fetch(`${base}${PKB_PATHS.token}`, {
    method: 'POST',
    headers: { ...FORM, ...(origin ? { origin } : {}) },
    body: new URLSearchParams({ client_id: PKB.userClientId, ...params }).toString(),
  });
}

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  id_token?: string;
}

/** The extension's pairing: authorize, sign in, code for tokens. */
async function pair(base: string, username = JONES.username): Promise<Tokens> {
  const jar = new CookieJar();
  const auth = pkbAuthorizeUrl(base);
  const login = await follow(auth.url, jar);
  const done = await submitLogin(login.url, jar, username);
  const code = new URL(done.url).searchParams.get('code') ?? '';
  const response = await tokenRequest(base, { grant_type: 'authorization_code', code, redirect_uri: PKB.redirectUri, code_verifier: auth.verifier });
  const body = (await response.json()) as Tokens;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

function refresh(base: string, refreshToken: string): Promise<Response> {
  return tokenRequest(base, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

function mintOtp(base: string, accessToken?: string, method = 'POST'): Promise<Response> {
  return fetch(`${base}${PKB_PATHS.otp}`, { method, headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } });
}

async function otpFor(base: string, accessToken: string): Promise<string> {
  const response = await mintOtp(base, accessToken);
  const body = (await response.json()) as { otp: string };
  expect(response.status).toBe(200);
  return body.otp;
}

function otpLogin(base: string, otp: string, redirectUri?: string, jar = new CookieJar()): Promise<Response> {
  const query = `otpToken=${encodeURIComponent(otp)}${redirectUri === undefined ? '' : `&redirect_uri=${redirectUri}`}`;
  return request(`${base}${PKB_PATHS.otpLogin}?${query}`, jar);
}

async function stats(base: string) {
  return (await (await fetch(`${base}${PKB_PATHS.stats}`)).json()) as Record<string, unknown>;
}

async function settings(base: string, patch: Record<string, unknown>): Promise<Response> {
  return control(base, 'settings', 'POST', patch);
}

const expectInvalidToken = async (response: Response) => {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect(await response.json()).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
};

describe('pkb: OAuth pairing', () => {
  const sandbox = useSandbox();

  it('walks authorize -> login page -> credentials -> code and state at the extension redirect URI -> tokens', async () => {
    const base = sandbox.urls.pkb;
    const jar = new CookieJar();
    const auth = pkbAuthorizeUrl(base);
    const login = await follow(auth.url, jar);
    expect(login.url).toMatch(new RegExp(`^${base}/login\\.action\\?interaction=`));
    const html = await login.response.text();
    expect(login.response.status).toBe(200);
    expect(testId(html, 'pkb-login-client')).toBe(PKB.userClientId);
    for (const id of ['pkb-login-username', 'pkb-login-password', 'pkb-login-submit']) expect(html).toContain(`data-testid="${id}"`);

    const wrong = await submitLogin(login.url, jar, JONES.username, 'nope');
    expect(testId(await wrong.response.text(), 'pkb-login-error')).toContain('not correct');
    const locked = await submitLogin(login.url, jar, GRAY.username);
    expect(locked.response.status).toBe(200);
    expect(testId(await locked.response.text(), 'pkb-login-error')).toContain('locked');

    const done = await submitLogin(login.url, jar, JONES.username);
    const redirect = new URL(done.url);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(PKB.redirectUri);
    expect(redirect.searchParams.get('state')).toBe(auth.state);
    const code = fixture(redirect.searchParams.get('code') ?? undefined, 'code');

    const response = await tokenRequest(base, { grant_type: 'authorization_code', code, redirect_uri: PKB.redirectUri, code_verifier: auth.verifier }, PKB.extensionOrigin);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(PKB.extensionOrigin);
    const tokens = (await response.json()) as Tokens;
    expect(tokens).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 300, token_type: 'Bearer', scope: 'clinician' });
    expect(tokens.access_token.split('.')).toHaveLength(1); // opaque, not a JWT

    // The code is single use.
    const again = await tokenRequest(base, { grant_type: 'authorization_code', code, redirect_uri: PKB.redirectUri, code_verifier: auth.verifier });
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it("accepts the extension's Firefox redirect URI and Firefox origin as well, and no other path at Firefox's redirect host", async () => {
    const base = sandbox.urls.pkb;
    const redirectUri = firefoxRedirectUri('pkb');
    const jar = new CookieJar();
    const auth = pkbAuthorizeUrl(base, { redirect_uri: redirectUri });
    const done = await submitLogin((await follow(auth.url, jar)).url, jar, JONES.username);
    const redirect = new URL(done.url);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
    expect(redirect.searchParams.get('state')).toBe(auth.state);
    const code = redirect.searchParams.get('code') ?? '';
    const response = await tokenRequest(base, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: auth.verifier }, FIREFOX_EXTENSION_ORIGIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(FIREFOX_EXTENSION_ORIGIN);

    const otherPath = await follow(pkbAuthorizeUrl(base, { redirect_uri: firefoxRedirectUri('org-idp') }).url, new CookieJar());
    expect(otherPath.response.status).toBe(400);
    expect(testId(await otherPath.response.text(), 'error-message')).toContain('redirect_uri');
  });

  it('enforces PKCE S256, the exact redirect URI and the clinician scope', async () => {
    const base = sandbox.urls.pkb;
    const errorAt = async (extra: Record<string, string | undefined>) => new URL((await follow(pkbAuthorizeUrl(base, extra).url, new CookieJar())).url).searchParams;

    const missing = await errorAt({ code_challenge: undefined, code_challenge_method: undefined });
    expect(missing.get('error')).toBe('invalid_request');
    expect(missing.get('state')).not.toBeNull();
    expect((await errorAt({ code_challenge_method: 'plain' })).get('error')).toBe('invalid_request');
    expect((await errorAt({ scope: 'openid clinician' })).get('error')).toBe('invalid_scope');
    const noScopeJar = new CookieJar();
    const noScope = await submitLogin((await follow(pkbAuthorizeUrl(base, { scope: undefined }).url, noScopeJar)).url, noScopeJar, JONES.username);
    expect(new URL(noScope.url).searchParams.get('error')).toBe('access_denied');

    // A redirect URI that is not registered exactly is never redirected to.
    const wrongRedirect = await follow(pkbAuthorizeUrl(base, { redirect_uri: `${PKB.redirectUri}/` }).url, new CookieJar());
    expect(wrongRedirect.response.status).toBe(400);
    expect(testId(await wrongRedirect.response.text(), 'error-message')).toContain('redirect_uri');

    const jar = new CookieJar();
    const auth = pkbAuthorizeUrl(base);
    const done = await submitLogin((await follow(auth.url, jar)).url, jar, JONES.username);
    const code = new URL(done.url).searchParams.get('code') ?? '';
    const wrongVerifier = await tokenRequest(base, { grant_type: 'authorization_code', code, redirect_uri: PKB.redirectUri, code_verifier: randomBytes(32).toString('base64url') });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('reuses the sign-in session unless prompt=login asks for the login page again', async () => {
    const base = sandbox.urls.pkb;
    const jar = new CookieJar();
    await submitLogin((await follow(pkbAuthorizeUrl(base).url, jar)).url, jar, PATEL.username);
    const silent = await follow(pkbAuthorizeUrl(base).url, jar);
    expect(new URL(silent.url).searchParams.get('code')).toBeTruthy();
    const forced = await follow(pkbAuthorizeUrl(base, { prompt: 'login' }).url, jar);
    expect(forced.response.status).toBe(200);
    expect(await forced.response.text()).toContain('data-testid="pkb-login-form"');
  });

  it('rotates refresh tokens; reusing a rotated one is refused and revokes the whole grant', async () => {
    const base = sandbox.urls.pkb;
    const first = await pair(base);
    const rotated = await refresh(base, first.refresh_token);
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.id_token).toBeUndefined();
    expect((await mintOtp(base, second.access_token)).status).toBe(200);

    const reuse = await refresh(base, first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await (await refresh(base, second.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
    await expectInvalidToken(await mintOtp(base, second.access_token));
  });

  it('with a reuse grace, a rotated refresh token works again within the window (a lost answer), and is refused after it', async () => {
    const base = sandbox.urls.pkb;
    expect((await settings(base, { refreshTokenReuseGraceSeconds: 2 })).status).toBe(200);
    const first = await pair(base);
    const lost = (await (await refresh(base, first.refresh_token)).json()) as Tokens;
    const retried = await refresh(base, first.refresh_token);
    expect(retried.status).toBe(200);
    const kept = (await retried.json()) as Tokens;
    expect(kept.refresh_token).not.toBe(lost.refresh_token);
    expect((await mintOtp(base, kept.access_token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect(await (await refresh(base, first.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
    // Reuse outside the window is still a replay: the whole grant is revoked.
    expect(await (await refresh(base, kept.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects a reuse grace outside 0..300 seconds', async () => {
    expect((await settings(sandbox.urls.pkb, { refreshTokenReuseGraceSeconds: 301 })).status).toBe(400);
    expect((await settings(sandbox.urls.pkb, { refreshTokenReuseGraceSeconds: 1.5 })).status).toBe(400);
  });

  it('applies accessTokenTtlSeconds to the next token, without a restart', async () => {
    const base = sandbox.urls.pkb;
    expect((await settings(base, { accessTokenTtlSeconds: 1 })).status).toBe(200);
    const tokens = await pair(base);
    expect(tokens.expires_in).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expectInvalidToken(await mintOtp(base, tokens.access_token));
    // The refresh token still works and obeys the current setting.
    await settings(base, { accessTokenTtlSeconds: 120 });
    expect(((await (await refresh(base, tokens.refresh_token)).json()) as Tokens).expires_in).toBe(120);
  });

  it('allows CORS only for the extension origin on the token endpoint', async () => {
    const base = sandbox.urls.pkb;
    const preflight = await fetch(`${base}${PKB_PATHS.token}`, {
      method: 'OPTIONS',
      headers: { origin: PKB.extensionOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PKB.extensionOrigin);

    const tokens = await pair(base);
    const foreign = await tokenRequest(base, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, 'https://evil.example');
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(await foreign.json()).toMatchObject({ error: 'invalid_request' });
    // Refused before the refresh token was looked at: it still works from the extension.
    const own = await tokenRequest(base, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, PKB.extensionOrigin);
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(PKB.extensionOrigin);
  });

  it('simulates a revoked pairing: every grant revoked, the next refresh is invalid_grant', async () => {
    const base = sandbox.urls.pkb;
    const jones = await pair(base);
    const patel = await pair(base, PATEL.username);
    const revoked = await fetch(`${base}${PKB_PATHS.revokeRefreshTokens}`, { method: 'POST' });
    expect(await revoked.json()).toEqual({ revokedGrants: 2 });
    for (const tokens of [jones, patel]) {
      expect(await (await refresh(base, tokens.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
      await expectInvalidToken(await mintOtp(base, tokens.access_token));
    }
    expect((await fetch(`${base}${PKB_PATHS.revokeRefreshTokens}`)).status).toBe(405);
  });

  it('revokes a refresh token at the revocation endpoint', async () => {
    const base = sandbox.urls.pkb;
    const tokens = await pair(base);
    const response = await fetch(`${base}${PKB_PATHS.revocation}`, {
      method: 'POST',
      headers: { ...FORM, origin: PKB.extensionOrigin },
      body: new URLSearchParams({ client_id: PKB.userClientId, token: tokens.refresh_token, token_type_hint: 'refresh_token' }).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(PKB.extensionOrigin);
    expect(await (await refresh(base, tokens.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('pkb: REST API', () => {
  const sandbox = useSandbox();

  it('mints OTPs for a live access token, and refuses missing, malformed and unknown tokens', async () => {
    const base = sandbox.urls.pkb;
    const tokens = await pair(base);
    const response = await mintOtp(base, tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { otp: string; expiresIn: number };
    expect(body).toEqual({ otp: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/), expiresIn: 60 });
    expect(await otpFor(base, tokens.access_token)).not.toBe(body.otp);

    await settings(base, { otpTtlSeconds: 30 });
    expect(((await (await mintOtp(base, tokens.access_token)).json()) as { expiresIn: number }).expiresIn).toBe(30);

    await expectInvalidToken(await mintOtp(base));
    await expectInvalidToken(await mintOtp(base, 'not-a-token'));
    await expectInvalidToken(await fetch(`${base}${PKB_PATHS.otp}`, { method: 'POST', headers: { authorization: `Basic ${tokens.access_token}` } }));
    // A refresh token is not an access token.
    await expectInvalidToken(await mintOtp(base, tokens.refresh_token));
    const get = await mintOtp(base, tokens.access_token, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('answers dataFromOtherOrg: true, false, 400 for a malformed NHS number, 404 for an unknown patient, 401 without a token', async () => {
    const base = sandbox.urls.pkb;
    const { access_token: token } = await pair(base);
    const ask = (nhsNumber: string, bearer: string | undefined = token) =>
      fetch(`${base}${dataFromOtherOrgPath(nhsNumber)}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

    expect(await (await ask(SMITH.nhsNumber)).json()).toEqual({ nhsNumber: SMITH.nhsNumber, dataFromOtherOrg: true });
    expect(await (await ask(PRIYA.nhsNumber)).json()).toEqual({ nhsNumber: PRIYA.nhsNumber, dataFromOtherOrg: true });
    expect(await (await ask(OBRIEN.nhsNumber)).json()).toEqual({ nhsNumber: OBRIEN.nhsNumber, dataFromOtherOrg: false });
    for (const malformed of ['999000001', '99900000181', '999 000 0018', '99900000a8', '９９９０００００１８']) {
      const response = await ask(malformed);
      expect(response.status, malformed).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request' });
    }
    const unknown = await ask('9990000026');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'not_found' });
    await expectInvalidToken(await ask(SMITH.nhsNumber, ''));
    expect((await fetch(`${base}${dataFromOtherOrgPath(SMITH.nhsNumber)}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(405);
  });
});

describe('pkb: otp.action and the web app', () => {
  const sandbox = useSandbox();

  it('signs the clinician in once per OTP and lands on the relative redirect_uri', async () => {
    const base = sandbox.urls.pkb;
    const { access_token: token } = await pair(base, PATEL.username);
    const otp = await otpFor(base, token);
    const jar = new CookieJar();
    const target = patientSummaryPath(PRIYA.nhsNumber);
    const landing = await otpLogin(base, otp, encodeURIComponent(target), jar);
    expect(landing.status).toBe(302);
    expect(landing.headers.get('location')).toBe(target);
    const setCookie = landing.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${PKB_SESSION_COOKIE}=[^;]+; Path=/; HttpOnly; SameSite=Lax$`));

    const summary = await request(`${base}${target}`, jar);
    const html = await summary.text();
    expect(summary.status).toBe(200);
    expect(testId(html, 'pkb-user')).toBe(PATEL.name);
    expect(testId(html, 'pkb-username')).toBe(PATEL.username);
    expect(testId(html, 'pkb-patient-name')).toBe('PATEL, Priya (Mrs)');
    expect(testId(html, 'pkb-patient-nhs')).toBe(PRIYA.nhsNumber);
    expect(testId(html, 'pkb-other-org')).toContain('other organisations');

    // Used once: the second attempt lands on the sign-in page, which explains why.
    const replay = await otpLogin(base, otp, encodeURIComponent(target));
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toBe('/login.action?error=otp');
    const explained = await fetch(`${base}/login.action?error=otp`);
    expect(testId(await explained.text(), 'pkb-otp-error')).toContain('expired or was already used');

    // Without redirect_uri: the clinician home.
    const home = await otpLogin(base, await otpFor(base, token));
    expect(home.headers.get('location')).toBe(PKB_PATHS.home);
    expect((await fetch(`${base}${PKB_PATHS.otpLogin}?otpToken=${await otpFor(base, token)}`, { method: 'HEAD' })).status).toBe(405);
  });

  it('refuses expired OTPs, unknown ones, and the next refuseNextOtps redemptions', async () => {
    const base = sandbox.urls.pkb;
    const { access_token: token } = await pair(base);
    await settings(base, { otpTtlSeconds: 0.05 });
    const stale = await otpFor(base, token);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect((await otpLogin(base, stale)).headers.get('location')).toBe('/login.action?error=otp');
    expect((await otpLogin(base, 'made-up-otp')).headers.get('location')).toBe('/login.action?error=otp');
    expect((await otpLogin(base, '')).headers.get('location')).toBe('/login.action?error=otp');

    await settings(base, { otpTtlSeconds: 60, refuseNextOtps: 2 });
    expect((await otpLogin(base, await otpFor(base, token))).headers.get('location')).toBe('/login.action?error=otp');
    expect(await (await control(base, 'settings')).json()).toMatchObject({ refuseNextOtps: 1 });
    expect((await otpLogin(base, await otpFor(base, token))).headers.get('location')).toBe('/login.action?error=otp');
    expect((await otpLogin(base, await otpFor(base, token))).headers.get('location')).toBe(PKB_PATHS.home);
    expect(await (await control(base, 'settings')).json()).toMatchObject({ refuseNextOtps: 0 });
  });

  it('accepts only relative redirect_uri values, however encoded, and burns the OTP anyway', async () => {
    const base = sandbox.urls.pkb;
    const { access_token: token } = await pair(base);
    const injections = [
      'https%3A%2F%2Fevil.example%2F',
      'http://evil.example/',
      '//evil.example',
      '%2F%2Fevil.example',
      '%252F%252Fevil.example',
      '%25252F%25252Fevil.example',
      '/\\evil.example',
      '%2F%5Cevil.example',
      '/clinician\\..\\..\\evil',
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'javascript%3Aalert(1)',
      '/x/javascript%253Aalert(1)',
      '%09//evil.example',
      '/%0d%0aSet-Cookie:x=1',
      'clinician/home.action',
      '/bad%E0%A4%A',
      '',
    ];
    for (const injection of injections) {
      const otp = await otpFor(base, token);
      const response = await otpLogin(base, otp, injection);
      expect(response.status, injection).toBe(400);
      expect(response.headers.get('set-cookie'), injection).toBeNull();
      expect(testId(await response.text(), 'pkb-error'), injection).toContain('redirect_uri must be a relative URL');
      expect((await otpLogin(base, otp)).headers.get('location'), `${injection}: OTP burned`).toBe('/login.action?error=otp');
    }
    // A repeated redirect_uri is refused too, so the checked value is the one used.
    const repeated = await request(`${base}${PKB_PATHS.otpLogin}?otpToken=${await otpFor(base, token)}&redirect_uri=%2Fok&redirect_uri=%2F%2Fevil`, new CookieJar());
    expect(repeated.status).toBe(400);
  });

  it('checks redirect values layer by layer', () => {
    expect(relativeRedirectProblem('/clinician/patientSummary.action?nhsNumber=9990000018')).toBeUndefined();
    expect(relativeRedirectProblem('/a%20b')).toBeUndefined();
    expect(relativeRedirectProblem('%2Fa')).toContain('start with "/"');
    expect(relativeRedirectProblem('/%2F%2Fevil')).toContain('"//"'); // decodes to ///evil, which browsers read as a host
    expect(relativeRedirectProblem('/%25252Fevil')).toContain('"//"'); // triple-encoded
    expect(relativeRedirectProblem('/x%5C')).toContain('backslash');
    expect(relativeRedirectProblem('/x\u0085')).toContain('control');
    expect(relativeRedirectProblem('/x%3Ay')).toContain('scheme');
    expect(relativeRedirectProblem(`/%25${'25'.repeat(10)}41`)).toContain('too many times');
  });

  it('guards clinician pages with the session and answers unknown patients with 404', async () => {
    const base = sandbox.urls.pkb;
    const target = patientSummaryPath(OBRIEN.nhsNumber);
    const anonymous = await fetch(`${base}${target}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(`/login.action?next=${encodeURIComponent(target)}`);

    // The web sign-in (password) honours `next` and signs the clinician in too.
    const jar = new CookieJar();
    const form = new URLSearchParams({ username: JONES.username, password: 'password', next: target }).toString();
    const signIn = await request(`${base}${PKB_PATHS.login}`, jar, { method: 'POST', headers: FORM, body: form });
    expect(signIn.headers.get('location')).toBe(target);
    const summary = await (await request(`${base}${target}`, jar)).text();
    expect(testId(summary, 'pkb-patient-name')).toBe("O'BRIEN-SMITH, Zoë (Ms)");
    expect(testId(summary, 'pkb-patient-nhs')).toBe(OBRIEN.nhsNumber);
    expect(summary).not.toContain('data-testid="pkb-other-org"');

    const home = await (await request(`${base}${PKB_PATHS.home}`, jar)).text();
    expect(testId(home, 'pkb-user')).toBe(JONES.name);
    expect(home.match(/data-testid="pkb-patient-row"/g)).toHaveLength(PKB.patients.length);

    for (const nhsNumber of ['9990000026', 'abc']) {
      const unknown = await request(`${base}${patientSummaryPath(nhsNumber)}`, jar);
      expect(unknown.status, nhsNumber).toBe(404);
      expect(testId(await unknown.text(), 'pkb-user')).toBe(JONES.name);
    }
    const locked = await request(`${base}${PKB_PATHS.login}`, new CookieJar(), { method: 'POST', headers: FORM, body: 'username=locum.gray&password=password' });
    expect(testId(await locked.text(), 'pkb-login-error')).toContain('locked');

    await request(`${base}${PKB_PATHS.logout}`, jar);
    expect((await request(`${base}${PKB_PATHS.home}`, jar)).status).toBe(302);
  });
});

describe('pkb: sandbox controls', () => {
  const sandbox = useSandbox();

  it('counts token requests by grant type (failed ones too), OTPs and dataFromOtherOrg requests', async () => {
    const base = sandbox.urls.pkb;
    const tokens = await pair(base);
    await refresh(base, tokens.refresh_token);
    await refresh(base, 'bogus');
    await tokenRequest(base, { grant_type: 'authorization_code', code: 'bogus', redirect_uri: PKB.redirectUri, code_verifier: 'x'.repeat(43) });
    const latest = (await (await refresh(base, tokens.refresh_token)).json()) as Tokens; // reuse: refused
    expect(latest).toMatchObject({ error: 'invalid_grant' });
    const fresh = await pair(base);
    const otp = await otpFor(base, fresh.access_token);
    await otpLogin(base, otp);
    await otpLogin(base, otp);
    await fetch(`${base}${dataFromOtherOrgPath(SMITH.nhsNumber)}`, { headers: { authorization: `Bearer ${fresh.access_token}` } });
    await fetch(`${base}${dataFromOtherOrgPath('123')}`);
    expect(await stats(base)).toEqual({
      tokenRequests: { authorization_code: 3, refresh_token: 3 },
      otpMinted: 1,
      otpRedeemed: 1,
      otpRefused: 1,
      dataFromOtherOrgRequests: 2,
    });
    expect((await fetch(`${base}${PKB_PATHS.stats}`, { method: 'POST' })).status).toBe(405);
  });

  it('validates settings', async () => {
    const base = sandbox.urls.pkb;
    expect(await (await control(base, 'settings')).json()).toEqual({ accessTokenTtlSeconds: 300, otpTtlSeconds: 60, refuseNextOtps: 0, refreshTokenReuseGraceSeconds: 0 });
    const bads = [{ accessTokenTtlSeconds: 0 }, { accessTokenTtlSeconds: 1.5 }, { otpTtlSeconds: 0 }, { refuseNextOtps: -1 }, { refuseNextOtps: 0.5 }, { refuseNextOtps: '1' }, { other: 1 }];
    for (const bad of bads) {
      expect((await settings(base, bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('forgets grants, tokens, OTPs, sessions, counters and settings on reset', async () => {
    const base = sandbox.urls.pkb;
    await settings(base, { refuseNextOtps: 3 });
    const tokens = await pair(base);
    const otp = await otpFor(base, tokens.access_token);
    const jar = new CookieJar();
    await request(`${base}${PKB_PATHS.login}`, jar, { method: 'POST', headers: FORM, body: 'username=dr.jones&password=password' });
    expect((await request(`${base}${PKB_PATHS.home}`, jar)).status).toBe(200);

    expect((await control(base, 'reset', 'POST')).status).toBe(200);
    await expectInvalidToken(await mintOtp(base, tokens.access_token));
    expect(await (await refresh(base, tokens.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await otpLogin(base, otp)).headers.get('location')).toBe('/login.action?error=otp');
    expect((await request(`${base}${PKB_PATHS.home}`, jar)).status).toBe(302);
    expect(await stats(base)).toMatchObject({ tokenRequests: { authorization_code: 0, refresh_token: 1 }, otpMinted: 0, otpRefused: 1 });
    expect(await (await control(base, 'settings')).json()).toMatchObject({ refuseNextOtps: 0 });
  });

  it('applies status faults and latency to PKB routes, the pass-through included', async () => {
    const base = sandbox.urls.pkb;
    const tokens = await pair(base);
    await control(base, 'faults', 'POST', { path: PKB_PATHS.otp, status: 503, times: 1 });
    const faulted = await mintOtp(base, tokens.access_token);
    expect(faulted.status).toBe(503);
    expect((await mintOtp(base, tokens.access_token)).status).toBe(200);
    expect(await stats(base)).toMatchObject({ otpMinted: 1 });

    await control(base, 'faults', 'POST', { path: PKB_PATHS.token, status: 502, times: 1 });
    expect((await refresh(base, tokens.refresh_token)).status).toBe(502);

    await control(base, 'latency', 'POST', { ms: 150 });
    const started = performance.now();
    expect((await mintOtp(base, tokens.access_token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await control(base, 'latency', 'POST', { ms: 0 });

    await control(base, 'faults', 'POST', { path: '/clinician/*', delayMs: 120, times: 1 });
    const slowStart = performance.now();
    await fetch(`${base}${PKB_PATHS.home}`, { redirect: 'manual' });
    expect(performance.now() - slowStart).toBeGreaterThanOrEqual(110);

    const log = (await (await control(base, 'requests', 'GET')).json()) as { path: string; status: number; fault?: string }[];
    expect(log.filter((entry) => entry.fault).map((entry) => [entry.path, entry.status, entry.fault])).toEqual([
      [PKB_PATHS.otp, 503, 'status'],
      [PKB_PATHS.token, 502, 'status'],
      [PKB_PATHS.home, 302, 'delay'],
    ]);
  });
});
