import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORG_IDP_PATHS } from '../../../tests/sandbox/org-idp';
import { ORG_IDP } from '../../../tests/sandbox/org-idp-fixtures';
import { extensionFetch, OrgIdpWindow } from '../../../tests/sandbox/org-idp-window';
import { control, describeOnLoopback, useSandbox } from '../../../tests/sandbox/test-kit';
import { orgIdpSchema, type OrgIdpConfig } from '../../shared/identity/idp-config';
import { signInWithOrganisation } from '../../shared/identity/org-sign-in';
import { clinicianFromClaims, createTokenVerifier, profileForPartner, type TokenVerifierOptions } from './access-token';
import { BrokerAuthError } from './errors';

/** The clinician's window at the provider: signs in as `username`, choosing `role` if asked. */
function browser(username: string, role = ''): (start: string) => Promise<string> {
  return new OrgIdpWindow({ username, role }).authorize;
}

/** The broker's fetch, counting requests by path. */
function countingFetch() {
  const calls: string[] = [];
  const wrapped: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    calls.push(new URL(url).pathname);
    return fetch(input, init);
  };
  return { fetch: wrapped, calls, count: (path: string) => calls.filter((call) => call === path).length };
}

async function refusal(promise: Promise<unknown>): Promise<BrokerAuthError> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(BrokerAuthError);
  return error as BrokerAuthError;
}

describe('createTokenVerifier against the sandbox org-idp (userinfo)', () => {
  const sandbox = useSandbox();
  const issuer = () => sandbox.urls['org-idp'];
  let clock = Date.now();
  const now = () => clock;

  beforeEach(() => {
    clock = Date.now();
  });

  function provider(extra: Record<string, unknown> = {}): OrgIdpConfig {
    return orgIdpSchema.parse({ preset: 'cis2', issuer: issuer(), clientId: ORG_IDP.clientId, ...extra });
  }

  function verifier(counting = countingFetch(), overrides: Partial<TokenVerifierOptions> = {}) {
    return { counting, verifier: createTokenVerifier({ provider: provider(), fetch: counting.fetch, now, ...overrides }) };
  }

  async function accessToken(username: string, role?: string): Promise<string> {
    const result = await signInWithOrganisation({
      provider: provider(),
      fetch: extensionFetch,
      redirectUri: ORG_IDP.redirectUri,
      authorize: browser(username, role),
      now: () => Date.now(),
    });
    if (!result.accessToken) throw new Error('the sign-in gave no access token');
    return result.accessToken;
  }

  it("verifies dr.jones's access token through userinfo and maps the CIS2 claims to the verified clinician", async () => {
    const token = await accessToken('dr.jones');
    const { verifier: tokens } = verifier();
    const verified = await tokens.verify(token);
    expect(verified).toMatchObject({ issuer: issuer(), subject: '555000000101', via: 'userinfo' });
    expect(verified.claims).toMatchObject({ sub: '555000000101', selected_roleid: '555000000102', nhsid_nrbac_roles: [expect.objectContaining({ person_roleid: '555000000102' })] });

    const mapped = provider({ partnerUserIds: { parchment: { key: 'sdsUserId', table: { '555000000101': 'PCH-ALICE' } } } });
    const clinician = clinicianFromClaims(mapped, verified.claims, { now: clock });
    expect(clinician).toMatchObject({
      issuer: issuer(),
      subject: '555000000101',
      fields: {
        displayName: 'Dr Alice Jones',
        username: '555000000101',
        email: 'alice.jones@riverside.example.nhs.uk',
        sdsUserId: '555000000101',
        roleProfileId: '555000000102',
        roleName: 'General Medical Practitioner',
      },
      role: { id: '555000000102', name: 'General Medical Practitioner', org: 'Y90001' },
      partnerUserIds: { parchment: 'PCH-ALICE' },
      problems: [],
    });
    expect(clinician.profile).toEqual({
      displayName: 'Dr Alice Jones',
      username: '555000000101',
      email: 'alice.jones@riverside.example.nhs.uk',
      sdsUserId: '555000000101',
      roleProfileId: '555000000102',
      roleName: 'General Medical Practitioner',
    });
    expect(profileForPartner(clinician, mapped, { id: 'parchment', kind: 'parchment', label: 'Parchment' })).toMatchObject({ parchmentUserId: 'PCH-ALICE' });
    expect(profileForPartner(clinician, mapped, { id: 'black-pear', kind: 'black-pear', label: 'Black Pear' })).not.toHaveProperty('parchmentUserId');
  });

  it('maps the role dr.patel chose at sign-in, and says what a clinician without a role lacks', async () => {
    const { verifier: tokens } = verifier();
    const patel = clinicianFromClaims(provider(), (await tokens.verify(await accessToken('dr.patel', '555000000203'))).claims);
    expect(patel.fields).toMatchObject({ roleProfileId: '555000000203', roleName: 'Clinical Director' });
    expect(patel.roles).toHaveLength(2);

    const lee = clinicianFromClaims(provider(), (await tokens.verify(await accessToken('student.lee'))).claims);
    expect(lee.subject).toBe('555000000401');
    expect(lee.roles).toEqual([]);
    expect(lee.fields).not.toHaveProperty('roleProfileId');
    expect(lee.problems).toEqual(expect.arrayContaining([expect.stringContaining('roleProfileId')]));
  });

  it('keeps a userinfo answer for the cache time: the second verify (and concurrent ones) make no userinfo call', async () => {
    const token = await accessToken('dr.jones');
    const { verifier: tokens, counting } = verifier();
    await tokens.verify(token);
    expect(counting.count('/me')).toBe(1);
    expect(counting.count('/.well-known/openid-configuration')).toBe(1);
    clock += 59_000;
    expect((await tokens.verify(token)).subject).toBe('555000000101');
    expect(counting.count('/me')).toBe(1);

    const fresh = verifier();
    const answers = await Promise.all(Array.from({ length: 5 }, () => fresh.verifier.verify(token)));
    expect(answers.map((answer) => answer.subject)).toEqual(Array(5).fill('555000000101'));
    expect(fresh.counting.count('/me')).toBe(1);
    expect(fresh.counting.count('/.well-known/openid-configuration')).toBe(1);
  });

  it('knows a token from memory only: after a verify, within the cache time, never asking the provider', async () => {
    const token = await accessToken('dr.jones');
    const { verifier: tokens, counting } = verifier();
    expect(tokens.known?.(token)).toBeUndefined();
    expect(counting.count('/me')).toBe(0);
    await tokens.verify(token);
    expect(tokens.known?.(token)?.subject).toBe('555000000101');
    clock += 60_000;
    expect(tokens.known?.(token)).toBeUndefined();
    expect(tokens.known?.('')).toBeUndefined();
    expect(counting.count('/me')).toBe(1);
  });

  it('refuses the token once the provider has ended the session, after the cache time', async () => {
    const token = await accessToken('dr.jones');
    const { verifier: tokens, counting } = verifier();
    await tokens.verify(token);
    expect((await fetch(`${issuer()}${ORG_IDP_PATHS.endSessions}`, { method: 'POST' })).status).toBe(200);

    clock += 30_000;
    expect((await tokens.verify(token)).subject).toBe('555000000101');
    clock += 31_000;
    const error = await refusal(tokens.verify(token));
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(error.message).toMatch(/did not accept the access token/);
    expect(error.message).not.toContain(token);
    expect(counting.count('/me')).toBe(2);
    // A refusal is not kept: the provider is asked again.
    await refusal(tokens.verify(token));
    expect(counting.count('/me')).toBe(3);
  });

  it('does not cache with cacheSeconds 0', async () => {
    const token = await accessToken('dr.jones');
    const { verifier: tokens, counting } = verifier(countingFetch(), { cacheSeconds: 0 });
    await tokens.verify(token);
    await tokens.verify(token);
    expect(counting.count('/me')).toBe(2);
  });

  it('refuses a garbage token with 401 (the provider refuses it) and a malformed one without asking', async () => {
    const { verifier: tokens, counting } = verifier();
    const garbage = await refusal(tokens.verify('garbage-token-0123456789'));
    expect(garbage).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(garbage.message).not.toContain('garbage-token');
    expect(counting.count('/me')).toBe(1);

    for (const malformed of ['', 'two words', 'x'.repeat(20_000), 'line\nbreak']) {
      expect(await refusal(tokens.verify(malformed))).toMatchObject({ status: 401, code: 'invalid_token' });
    }
    expect(counting.count('/me')).toBe(1);
  });

  it('answers 503 idp_unreachable when the provider is down, and recovers when it is back', async () => {
    const token = await accessToken('dr.jones');
    await control(issuer(), 'faults', 'POST', { path: '/.well-known/openid-configuration', status: 503, times: 1 });
    const { verifier: tokens, counting } = verifier();
    expect(await refusal(tokens.verify(token))).toMatchObject({ status: 503, code: 'idp_unreachable' });
    // Discovery is tried again, not remembered as failed.
    expect((await tokens.verify(token)).subject).toBe('555000000101');
    expect(counting.count('/.well-known/openid-configuration')).toBe(2);

    await control(issuer(), 'faults', 'POST', { path: '/me', status: 502, times: 1 });
    const other = verifier();
    const down = await refusal(other.verifier.verify(token));
    expect(down).toMatchObject({ status: 503, code: 'idp_unreachable' });
    expect(down.message).not.toContain(token);
    expect((await other.verifier.verify(token)).subject).toBe('555000000101');
  });

  it('answers 503 when nothing listens at the provider address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const tokens = createTokenVerifier({ provider: orgIdpSchema.parse({ preset: 'cis2', issuer: `http://127.0.0.1:${port}`, clientId: 'x' }), fetch, now });
    expect(await refusal(tokens.verify('some-token'))).toMatchObject({ status: 503, code: 'idp_unreachable' });
  });
});

/**
 * A provider that issues JWT access tokens for the broker's audience: discovery, JWKS and a userinfo endpoint
 * that accepts one known token only, on 127.0.0.1.
 */
describeOnLoopback('createTokenVerifier with JWT access tokens (local provider)', () => {
  const AUDIENCE = 'https://broker.example.org';
  const KID = 'local-rs256';
  let server: Server;
  let issuer: string;
  let signingKey: CryptoKey;
  let publicJwk: JWK;
  let jwksStatus = 200;
  /** Tokens the local userinfo endpoint accepts. */
  const known = new Set<string>();
  const hits: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      hits.push(path);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/.well-known/openid-configuration') return json(200, { issuer, jwks_uri: `${issuer}/jwks`, userinfo_endpoint: `${issuer}/userinfo`, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token` });
      if (path === '/jwks') return jwksStatus === 200 ? json(200, { keys: [publicJwk] }) : json(jwksStatus, { error: 'down' });
      if (path === '/userinfo') {
        if (known.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return json(200, { sub: 'user-via-userinfo', name: 'Nurse Una Info', preferred_username: 'una.info', email: 'una@trust.example.org' });
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        return res.end();
      }
      json(404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    jwksStatus = 200;
    known.clear();
    hits.length = 0;
  });

  const provider = () => orgIdpSchema.parse({ preset: 'oidc', issuer, clientId: 'ehr-launchpad' });
  const tokens = (audience: string | undefined = AUDIENCE) => createTokenVerifier({ provider: provider(), fetch, now: () => Date.now(), ...(audience ? { audience } : {}) });

  interface TokenShape {
    iss?: string;
    aud?: string | string[];
    exp?: number;
    alg?: 'RS256' | 'HS256';
    typ?: string;
    key?: CryptoKey | Uint8Array;
  }

  async function jwt(shape: TokenShape = {}): Promise<string> {
    const seconds = Math.floor(Date.now() / 1000);
    return new SignJWT({ name: 'Dr Jay Wright', preferred_username: 'jay.wright', email: 'jay.wright@trust.example.org', scp: 'launch' })
      .setProtectedHeader({ alg: shape.alg ?? 'RS256', kid: KID, typ: shape.typ ?? 'at+jwt' })
      .setIssuer(shape.iss ?? issuer)
      .setSubject('user-1234')
      .setAudience(shape.aud ?? AUDIENCE)
      .setIssuedAt(seconds - 10)
      .setExpirationTime(shape.exp ?? seconds + 300)
      .sign(shape.key ?? signingKey);
  }

  it('verifies a good JWT for the broker with the provider JWKS, without calling userinfo', async () => {
    const verified = await tokens().verify(await jwt({ aud: ['other-api', AUDIENCE] }));
    expect(verified).toMatchObject({ issuer, subject: 'user-1234', via: 'jwt', claims: { scp: 'launch' } });
    expect(verified.expiresAt).toBeGreaterThan(Date.now());
    expect(hits).toEqual(['/.well-known/openid-configuration', '/jwks']);
    const clinician = clinicianFromClaims(provider(), verified.claims);
    expect(clinician.fields).toEqual({ displayName: 'Dr Jay Wright', username: 'jay.wright', email: 'jay.wright@trust.example.org' });
    expect(clinician.profile).toEqual({ displayName: 'Dr Jay Wright', username: 'jay.wright', email: 'jay.wright@trust.example.org' });
  });

  it('keeps a verified JWT for the cache time, never past its exp: its signature is checked once, not per request', async () => {
    let clock = Date.now();
    const verifier = createTokenVerifier({ provider: provider(), fetch, now: () => clock, audience: AUDIENCE });
    const token = await jwt({ exp: Math.floor(clock / 1000) + 30 });
    expect(verifier.known?.(token)).toBeUndefined();
    await verifier.verify(token);
    expect(verifier.known?.(token)).toMatchObject({ subject: 'user-1234', via: 'jwt' });
    expect((await verifier.verify(token)).subject).toBe('user-1234');
    // Past the token's exp, before the cache time ends: not known; verify checks it again (30 s clock tolerance).
    clock += 31_000;
    expect(verifier.known?.(token)).toBeUndefined();
    expect((await verifier.verify(token)).subject).toBe('user-1234');
    expect(verifier.known?.(token)).toBeUndefined();
    clock += 30_000;
    expect(await refusal(verifier.verify(token))).toMatchObject({ status: 401, code: 'invalid_token' });
    // A refused token is never known.
    const stranger = await jwt({ key: (await generateKeyPair('RS256')).privateKey });
    await refusal(verifier.verify(stranger));
    expect(verifier.known?.(stranger)).toBeUndefined();
  });

  it('sends a JWT for another audience to userinfo: refused there (401), accepted when the provider knows it', async () => {
    const other = await jwt({ aud: 'other-api' });
    const error = await refusal(tokens().verify(other));
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(hits).toContain('/userinfo');
    expect(hits).not.toContain('/jwks');

    known.add(other);
    expect(await tokens().verify(other)).toMatchObject({ subject: 'user-via-userinfo', via: 'userinfo' });
    // Without a broker audience every token goes to userinfo.
    const mine = await jwt();
    known.add(mine);
    expect(await tokens('').verify(mine)).toMatchObject({ via: 'userinfo' });
  });

  it('refuses a JWT for the broker from another issuer', async () => {
    const error = await refusal(tokens().verify(await jwt({ iss: 'https://idp.elsewhere.example' })));
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(error.message).toMatch(/not issued by/);
  });

  it('refuses an expired JWT (past the clock tolerance)', async () => {
    const error = await refusal(tokens().verify(await jwt({ exp: Math.floor(Date.now() / 1000) - 300 })));
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(error.message).toMatch(/expired/);
  });

  it('refuses a JWT signed by another key, with HS256, or typed as something other than an access token', async () => {
    const stranger = await generateKeyPair('RS256');
    expect(await refusal(tokens().verify(await jwt({ key: stranger.privateKey })))).toMatchObject({ status: 401, message: expect.stringMatching(/signature/) });
    const secret = crypto.getRandomValues(new Uint8Array(32));
    expect(await refusal(tokens().verify(await jwt({ alg: 'HS256', key: secret })))).toMatchObject({ status: 401, message: expect.stringMatching(/algorithm/) });
    expect(await refusal(tokens().verify(await jwt({ typ: 'dpop+jwt' })))).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('answers 503 when the key set cannot be fetched', async () => {
    jwksStatus = 500;
    expect(await refusal(tokens().verify(await jwt()))).toMatchObject({ status: 503, code: 'idp_unreachable' });
  });

  it("keeps a userinfo answer no longer than the token's own exp, and only so many answers", async () => {
    let clock = Date.now();
    const count = () => hits.filter((path) => path === '/userinfo').length;
    const shortLived = await jwt({ aud: 'other-api', exp: Math.floor(clock / 1000) + 20 });
    known.add(shortLived);
    const verifier = createTokenVerifier({ provider: provider(), fetch, now: () => clock, audience: AUDIENCE, cacheSeconds: 60, cacheSize: 2 });
    await verifier.verify(shortLived);
    clock += 10_000;
    await verifier.verify(shortLived);
    expect(count()).toBe(1);
    clock += 15_000; // past its exp, inside the 60 s cache time: asked again
    await verifier.verify(shortLived);
    expect(count()).toBe(2);

    const [a, b, c] = ['opaque-a', 'opaque-b', 'opaque-c'];
    for (const token of [a, b, c]) known.add(token!);
    await verifier.verify(a!);
    await verifier.verify(b!);
    await verifier.verify(a!); // a is now the most recently used
    await verifier.verify(c!); // b goes
    expect(count()).toBe(5);
    await verifier.verify(a!);
    expect(count()).toBe(5);
    await verifier.verify(b!);
    expect(count()).toBe(6);
  });
});
