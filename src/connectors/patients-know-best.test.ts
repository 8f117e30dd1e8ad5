import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { FaultRule } from '../../tests/sandbox/faults';
import { PKB } from '../../tests/sandbox/pkb-fixtures';
import { CookieJar, follow, signInThroughPkb } from '../../tests/sandbox/pkb-browser';
import { control, fixture, testId, useSandbox } from '../../tests/sandbox/test-kit';
import type { ClinicianProfile } from '../shared/clinician';
import { LaunchError } from '../shared/launch-error';
import type { PatientContext } from '../shared/patient';
import type { AccessTokenSource, LaunchInput, TokenSet } from './connector';
import { patientsKnowBestConfigSchema, patientsKnowBestConnector, patientsKnowBestLandingPath, type PatientsKnowBestConfig } from './patients-know-best';
import { patientsKnowBestPairing } from './patients-know-best-pairing';

/**
 * Conformance of the Patients Know Best connector (pairing, refresh, OTP launch, data from other
 * organisations) against the sandbox's PKB simulator (oidc-provider + the documented OTP login).
 */

const sandbox = useSandbox();
let base: string;
beforeAll(() => {
  base = sandbox.urls.pkb;
});

const [SMITH, OBRIEN, PRIYA] = [fixture(PKB.patients[0], 'patient 1'), fixture(PKB.patients[1], 'patient 2'), fixture(PKB.patients[2], 'patient 3')];
const JONES = fixture(PKB.clinicians[0], 'dr.jones');

const patientOf = (p: typeof SMITH): PatientContext => ({ nhsNumber: p.nhsNumber, birthDate: p.birthDate, name: { family: p.family, given: p.given, prefix: p.prefix } });
const CLINICIAN: ClinicianProfile = { displayName: JONES.name, username: JONES.username } as ClinicianProfile;

function config(overrides: Record<string, unknown> = {}): PatientsKnowBestConfig {
  return patientsKnowBestConfigSchema.parse({ kind: 'pkb', id: 'pkb', label: 'Patients Know Best', baseUrl: base, clientId: PKB.userClientId, scope: PKB.scope, revokePath: '/oauth/revoke', ...overrides });
}

const call = () => ({ config: config(), fetch: globalThis.fetch, signal: AbortSignal.timeout(10_000) });

async function pair(username = JONES.username): Promise<TokenSet & { refreshToken: string }> {
  const pending = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
  const callbackUrl = await signInThroughPkb(pending.url, username);
  return patientsKnowBestPairing.complete({ ...call(), pending, callbackUrl });
}

async function stats(): Promise<{ tokenRequests: Record<string, number>; otpMinted: number; otpRedeemed: number; otpRefused: number; dataFromOtherOrgRequests: number }> {
  return (await fetch(`${base}/_sandbox/stats`)).json() as never;
}

async function faults(rules: FaultRule[]): Promise<void> {
  expect((await control(base, 'faults', 'POST', rules)).status).toBe(200);
}

function launchInput(accessToken: AccessTokenSource | undefined, patient = patientOf(SMITH), cfg = config()): LaunchInput<PatientsKnowBestConfig> {
  return {
    config: cfg,
    secrets: {},
    clinician: CLINICIAN,
    patient,
    fetch: globalThis.fetch,
    signal: AbortSignal.timeout(20_000),
    now: Date.now,
    ...(accessToken ? { accessToken } : {}),
  };
}

async function launchError(promise: Promise<unknown>): Promise<LaunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LaunchError);
  return error as LaunchError;
}

describe('PKB pairing (authorization code + PKCE, state)', () => {
  it('asks for the Trust user client, the configured scope, S256 and a fresh state, and always a sign-in', async () => {
    const a = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const b = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const url = new URL(a.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/apiAuthorize.action`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: PKB.userClientId,
      redirect_uri: PKB.redirectUri,
      scope: PKB.scope,
      code_challenge_method: 'S256',
      prompt: 'login',
      state: a.state,
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.has('code_verifier')).toBe(false);
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('pairs: sign-in at PKB, code for an access token and a refresh token', async () => {
    const tokens = await pair();
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now());
    expect((await stats()).tokenRequests.authorization_code).toBe(1);
  });

  it('refuses an answer with the wrong state, without redeeming the code', async () => {
    const pending = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const callbackUrl = await signInThroughPkb(pending.url, JONES.username);
    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'not-the-state-we-sent');
    const error = await launchError(patientsKnowBestPairing.complete({ ...call(), pending, callbackUrl: forged.toString() }));
    expect(error.code).toBe('pairing-refused');
    expect((await stats()).tokenRequests.authorization_code ?? 0).toBe(0);
  });

  it('refuses a pairing whose verifier is missing, without redeeming the code', async () => {
    const pending = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const callbackUrl = await signInThroughPkb(pending.url, JONES.username);
    const error = await launchError(patientsKnowBestPairing.complete({ ...call(), pending: { ...pending, codeVerifier: '' }, callbackUrl }));
    expect(error.code).toBe('pairing-refused');
    expect((await stats()).tokenRequests.authorization_code ?? 0).toBe(0);
  });

  it('a wrong verifier is refused by PKB', async () => {
    const pending = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const other = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const callbackUrl = await signInThroughPkb(pending.url, JONES.username);
    const error = await launchError(patientsKnowBestPairing.complete({ ...call(), pending: { ...pending, codeVerifier: other.codeVerifier }, callbackUrl }));
    expect(error.code).toBe('pairing-refused');
  });

  it('refuses an answer arriving at another redirect address, and reports a cancelled sign-in', async () => {
    const pending = await patientsKnowBestPairing.begin(config(), PKB.redirectUri);
    const elsewhere = await launchError(patientsKnowBestPairing.complete({ ...call(), pending, callbackUrl: `https://evil.example/pkb?code=x&state=${pending.state}` }));
    expect(elsewhere.code).toBe('pairing-refused');
    const denied = await launchError(patientsKnowBestPairing.complete({ ...call(), pending, callbackUrl: `${PKB.redirectUri}?error=access_denied&state=${pending.state}&iss=${encodeURIComponent(base)}` }));
    expect(denied.code).toBe('pairing-cancelled');
  });
});

describe('PKB refresh', () => {
  it('rotates the refresh token; the old one no longer works and means re-pair', async () => {
    const tokens = await pair();
    const next = await patientsKnowBestPairing.refresh({ ...call(), refreshToken: tokens.refreshToken });
    expect(next.refreshToken).toBeTruthy();
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);
    const reused = await launchError(patientsKnowBestPairing.refresh({ ...call(), refreshToken: tokens.refreshToken }));
    expect(reused.code).toBe('re-pair-needed');
    expect(reused.message).not.toContain(tokens.refreshToken);
  });

  it('a revoked pairing answers re-pair-needed', async () => {
    const tokens = await pair();
    await fetch(`${base}/_sandbox/revoke-refresh-tokens`, { method: 'POST' });
    expect((await launchError(patientsKnowBestPairing.refresh({ ...call(), refreshToken: tokens.refreshToken }))).code).toBe('re-pair-needed');
  });

  it('a token endpoint that is down is a readable error, not a lost pairing', async () => {
    const tokens = await pair();
    await faults([{ path: '/oauth/token', status: 503, times: 1 }]);
    const error = await launchError(patientsKnowBestPairing.refresh({ ...call(), refreshToken: tokens.refreshToken }));
    expect(error.code).toBe('pkb-503');
    expect((await patientsKnowBestPairing.refresh({ ...call(), refreshToken: tokens.refreshToken })).accessToken).toBeTruthy();
  });

  it('unpairing revokes the refresh token at PKB', async () => {
    const tokens = await pair();
    await patientsKnowBestPairing.revoke!({ ...call(), refreshToken: tokens.refreshToken });
    expect((await launchError(patientsKnowBestPairing.refresh({ ...call(), refreshToken: tokens.refreshToken }))).code).toBe('re-pair-needed');
  });
});

describe('PKB launch (one-time password)', () => {
  it('opens otp.action with the OTP and a relative landing path, and lands signed in on the patient summary', async () => {
    const tokens = await pair();
    const output = await patientsKnowBestConnector.buildLaunch(launchInput(async () => tokens.accessToken));
    const url = new URL((output.instruction as { open: string }).open);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/otp.action`);
    expect(url.searchParams.get('redirect_uri')).toBe(`/clinician/patientSummary.action?nhsNumber=${SMITH.nhsNumber}`);
    expect(url.searchParams.get('otpToken')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(output.expiresAt).toBeGreaterThan(Date.now() + 50_000);
    expect(output.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);

    const page = await follow(url.toString(), new CookieJar());
    const html = await page.response.text();
    expect(page.response.status).toBe(200);
    expect(testId(html, 'pkb-user')).toBe(JONES.name);
    expect(testId(html, 'pkb-patient-nhs')).toBe(SMITH.nhsNumber);
    expect(patientsKnowBestConnector.landingRefused!(config(), page.url)).toBe(false);
  });

  it('a used OTP lands on the refusal page, which the connector recognises', async () => {
    const tokens = await pair();
    const output = await patientsKnowBestConnector.buildLaunch(launchInput(async () => tokens.accessToken));
    const open = (output.instruction as { open: string }).open;
    await follow(open, new CookieJar());
    const again = await follow(open, new CookieJar());
    expect(new URL(again.url).pathname).toBe('/login.action');
    expect(patientsKnowBestConnector.landingRefused!(config(), again.url)).toBe(true);
  });

  it('an access token PKB rejects is refreshed once and the OTP asked for again', async () => {
    const tokens = await pair();
    const source = vi.fn<AccessTokenSource>(async (rejected) => (rejected ? tokens.accessToken : 'expired-or-revoked-token'));
    await patientsKnowBestConnector.buildLaunch(launchInput(source));
    expect(source).toHaveBeenCalledTimes(2);
    expect(source).toHaveBeenLastCalledWith('expired-or-revoked-token');
  });

  it('an access token rejected twice asks for a new pairing, with no loop', async () => {
    const source = vi.fn<AccessTokenSource>(async () => 'never-valid');
    const error = await launchError(patientsKnowBestConnector.buildLaunch(launchInput(source)));
    expect(error.code).toBe('pkb-otp-refused');
    expect(source).toHaveBeenCalledTimes(2);
    expect(error.message).not.toContain('never-valid');
  });

  it('without a pairing nothing is sent', async () => {
    expect((await launchError(patientsKnowBestConnector.buildLaunch(launchInput(undefined)))).code).toBe('pairing-needed');
    expect((await stats()).otpMinted).toBe(0);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/x'],
    ['a protocol-relative URL', '//evil.example/{nhsNumber}'],
    ['a backslash', '/\\evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['an encoded //', '/%2F%2Fevil.example'],
    ['a double-encoded //', '%252F%252Fevil.example'],
  ])('refuses %s as a landing page before PKB is asked for an OTP', async (_what, template) => {
    expect(patientsKnowBestConfigSchema.safeParse({ ...config(), landingPages: { summary: template } }).success).toBe(false);
    // Even past the schema (a tampered stored configuration), the launch refuses before any request.
    const tampered = { ...config(), landingPages: { summary: template } } as PatientsKnowBestConfig;
    const tokens = vi.fn<AccessTokenSource>(async () => 'token');
    const error = await launchError(patientsKnowBestConnector.buildLaunch(launchInput(tokens, patientOf(SMITH), tampered)));
    expect(error.code).toBe('redirect-refused');
    expect(tokens).not.toHaveBeenCalled();
    expect((await stats()).otpMinted).toBe(0);
  });

  it('patient values are encoded into the landing path, never interpreted', () => {
    const cfg = config({ landingPages: { summary: '/clinician/patientSummary.action?nhsNumber={nhsNumber}&dob={birthDate}' } });
    expect(patientsKnowBestLandingPath(cfg, patientOf(SMITH))).toBe(`/clinician/patientSummary.action?nhsNumber=${SMITH.nhsNumber}&dob=${SMITH.birthDate}`);
  });

  it('a 5xx from the OTP endpoint is a readable error with the status', async () => {
    const tokens = await pair();
    await faults([{ path: '/api/sso/otp', status: 503 }]);
    const error = await launchError(patientsKnowBestConnector.buildLaunch(launchInput(async () => tokens.accessToken)));
    expect(error.code).toBe('pkb-503');
    expect(error.message).toMatch(/not available/);
  });

  it('a slow OTP endpoint ends in a readable time-out at the configured limit', async () => {
    const tokens = await pair();
    await faults([{ path: '/api/sso/otp', delayMs: 5_000 }]);
    const started = Date.now();
    const error = await launchError(patientsKnowBestConnector.buildLaunch(launchInput(async () => tokens.accessToken, patientOf(SMITH), config({ timeoutMs: 1000 }))));
    expect(error.code).toBe('partner-timeout');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('an unreadable OTP answer is refused', async () => {
    const tokens = await pair();
    await faults([{ path: '/api/sso/otp', status: 200, body: '{"otp":"<script>"}', headers: { 'content-type': 'application/json' } }]);
    expect((await launchError(patientsKnowBestConnector.buildLaunch(launchInput(async () => tokens.accessToken)))).code).toBe('partner-bad-answer');
  });
});

describe('PKB data from other organisations', () => {
  it('gives a hint for patients PKB holds other data for, and none for the rest', async () => {
    const tokens = await pair();
    const hint = (p: typeof SMITH) =>
      patientsKnowBestConnector.patientHint!({ config: config(), patient: patientOf(p), fetch: globalThis.fetch, signal: AbortSignal.timeout(5000), accessToken: async () => tokens.accessToken });
    expect(await hint(SMITH)).toEqual(['launchPkbOtherOrgs', 'Patients Know Best']);
    expect(await hint(PRIYA)).toEqual(['launchPkbOtherOrgs', 'Patients Know Best']);
    expect(await hint(OBRIEN)).toBeUndefined();
  });

  it('is off when the configuration says so', async () => {
    const hint = await patientsKnowBestConnector.patientHint!({ config: config({ dataFromOtherOrgPath: null }), patient: patientOf(SMITH), fetch: globalThis.fetch, signal: AbortSignal.timeout(5000), accessToken: async () => 'unused' });
    expect(hint).toBeUndefined();
    expect((await stats()).dataFromOtherOrgRequests).toBe(0);
  });
});
