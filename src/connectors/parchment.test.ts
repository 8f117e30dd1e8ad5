import { beforeAll, describe, expect, it } from 'vitest';
import { CLINICIANS, PARCHMENT, PATIENTS } from '../../tests/sandbox/fixtures';
import type { FaultRule } from '../../tests/sandbox/faults';
import type { RecordedRequest } from '../../tests/sandbox/request-log';
import { control, cookiePair, fixture, testId, useSandbox } from '../../tests/sandbox/test-kit';
import type { ClinicianProfile } from '../shared/clinician';
import { parseConfig } from '../shared/config';
import { LaunchError } from '../shared/launch-error';
import type { PatientContext } from '../shared/patient';
import type { LaunchInput, LaunchOutput } from './connector';
import { parchmentConnector } from './parchment';
import type { ParchmentConfig } from './parchment';

/**
 * Conformance of the Parchment connector against the sandbox's Parchment simulator (API + portal), which
 * follows the partner's published SSO contract strictly.
 */

const SSO_PATH = '/external/v1/sso';

const sandbox = useSandbox();
let apiUrl: string;
let portalUrl: string;
beforeAll(() => {
  apiUrl = sandbox.urls['parchment-api'];
  portalUrl = sandbox.urls['parchment-portal'];
});


// ---------------------------------------------------------------------------------------------------------------
// Fixtures


const JOHN = fixture(PATIENTS[0], 'first demo patient');
const EILIDH = fixture(
  PATIENTS.find((p) => p.nhsNumber === '9996172848'),
  'the unmapped patient',
);
const ALICE = fixture(CLINICIANS[0], 'dr.jones');
const GRAY = fixture(CLINICIANS[2], 'locum.gray');

/** Parchment ids of the primary organization's patients, keyed by NHS number. */
const PATIENT_IDS: Record<string, string> = Object.fromEntries(
  PARCHMENT.patients.filter((p) => p.organizationId === PARCHMENT.organizationId).map((p) => [p.nhsNumber, p.id]),
);
const JOHN_ID = fixture(PATIENT_IDS[JOHN.nhsNumber], 'Parchment id of the first patient');

const SECRETS = { partnerSecret: PARCHMENT.partnerSecret, organizationSecret: PARCHMENT.organizationSecret };
const WRONG_PARTNER_SECRET = 'psk_sbx_WRONG_partner_0000';
const WRONG_ORGANIZATION_SECRET = 'osk_sbx_WRONG_organization_0000';
const FORGED_TOKEN = 'tok_forged_Zq81LmP0xV';

/** Strings that must never appear in a clinician-facing message. */
const NEVER_SHOWN = [
  PARCHMENT.partnerSecret,
  ...PARCHMENT.organizations.map((o) => o.organizationSecret),
  WRONG_PARTNER_SECRET,
  WRONG_ORGANIZATION_SECRET,
  FORGED_TOKEN,
];

function configInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'parchment',
    id: 'parchment',
    label: 'Parchment',
    apiBaseUrl: `${apiUrl}/external`,
    portalOrigin: portalUrl,
    partnerId: PARCHMENT.partnerId,
    organizationId: PARCHMENT.organizationId,
    patientIds: PATIENT_IDS,
    ...overrides,
  };
}

function config(overrides: Record<string, unknown> = {}): ParchmentConfig {
  return parchmentConnector.configSchema.parse(configInput(overrides));
}

function clinicianFrom(c: (typeof CLINICIANS)[number]): ClinicianProfile {
  return { displayName: c.name, username: c.id, email: c.email, parchmentUserId: c.parchmentUserId };
}

function patientFrom(p: (typeof PATIENTS)[number]): PatientContext {
  return { nhsNumber: p.nhsNumber, birthDate: p.birthDate, name: { family: p.family, given: p.given } };
}

function launchInput(overrides: Partial<LaunchInput<ParchmentConfig>> = {}): LaunchInput<ParchmentConfig> {
  return {
    config: config(),
    secrets: SECRETS,
    clinician: clinicianFrom(ALICE),
    patient: patientFrom(JOHN),
    fetch: globalThis.fetch,
    signal: AbortSignal.timeout(4_000),
    now: Date.now,
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

async function addFaults(rules: FaultRule | FaultRule[]): Promise<void> {
  const response = await control(apiUrl, 'faults', 'POST', rules);
  expect(response.status, await response.clone().text()).toBe(200);
}

async function ssoRequests(): Promise<RecordedRequest[]> {
  const response = await fetch(`${apiUrl}/__sandbox/requests?path=${encodeURIComponent(SSO_PATH)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RecordedRequest[];
}

/** Runs the launch, expects it to fail with `code`, and checks the message is fit to show a clinician. */
async function expectLaunchError(run: Promise<LaunchOutput>, code: string | readonly string[]): Promise<LaunchError> {
  const error: unknown = await run.then(
    (output) => new Error(`expected a LaunchError, got ${JSON.stringify(output)}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LaunchError);
  const launchError = error as LaunchError;
  if (typeof code === 'string') expect(launchError.code).toBe(code);
  else expect(code).toContain(launchError.code);
  expectReadableMessage(launchError.message);
  return launchError;
}

function expectReadableMessage(message: string): void {
  // One readable sentence (or two): capital letter first, full stop last, single line, bounded.
  expect(message).toMatch(/^[A-Z][^\n\r]{10,}[.!?]$/);
  expect(message.length).toBeLessThan(300);
  // No URLs or addresses.
  expect(message).not.toMatch(/[a-z][a-z0-9+.-]*:\/\//i);
  expect(message).not.toContain('127.0.0.1');
  expect(message).not.toContain('/auth/sso');
  expect(message).not.toContain('evil.example');
  // No secrets or tokens.
  for (const secret of NEVER_SHOWN) expect(message).not.toContain(secret);
  expect(message).not.toMatch(/token=/i);
}

interface Followed {
  location: string;
  cookie: string;
}

/** Opens the launch URL as a browser tab would, without following the portal's redirect. */
async function redeem(url: string): Promise<Followed> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = response.headers.get('location');
  if (location === null) throw new Error('the portal sent no Location');
  const cookie = cookiePair(response);
  expect(cookie).toMatch(/^parchment_session=.+/);
  return { location, cookie };
}

function openUrl(output: LaunchOutput): URL {
  const { instruction } = output;
  if (!('open' in instruction)) throw new Error(`expected an { open } instruction, got ${JSON.stringify(instruction)}`);
  return new URL(instruction.open);
}

/** A body in the documented success shape, for answers the simulator would never send itself. */
function forgedSuccess(redirectUrl: string): string {
  return JSON.stringify({ success: true, data: { sso_token: FORGED_TOKEN, redirect_url: redirectUrl, expires_in: 300 } });
}

// ---------------------------------------------------------------------------------------------------------------

describe('Parchment connector: success', () => {
  it('never opens a link that expired while the answer was on its way', async () => {
    await addFaults({ path: SSO_PATH, delayMs: 50 });
    let calls = 0;
    // A clock that jumps past expires_in between the request and the answer.
    const now = () => (calls++ === 0 ? 0 : 301_000);
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput({ now })), 'parchment-expired');
  });

  it('answers { open } on the portal /auth/sso that signs the user in on the patient prescriptions page', async () => {
    const output = await parchmentConnector.buildLaunch(launchInput());
    expect(Object.keys(output.instruction)).toEqual(['open']);
    expect(output.notice).toBeUndefined();
    const url = openUrl(output);
    expect(url.origin).toBe(portalUrl);
    expect(url.pathname).toBe('/auth/sso');
    expect(parchmentConnector.launchOrigins(config())).toEqual([portalUrl]);

    const expectedPath = `/dashboard/patients/${JOHN_ID}/prescriptions`;
    const { location, cookie } = await redeem(url.href);
    expect(location).toBe(expectedPath);

    const page = await fetch(`${portalUrl}${location}`, { headers: { cookie }, redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(testId(html, 'patient-nhs')).toBe(JOHN.nhsNumber);
    expect(testId(html, 'patient-id')).toBe(JOHN_ID);
    expect(testId(html, 'signed-in-user')).toBe(`${ALICE.name} (${ALICE.parchmentUserId})`);
    expect(testId(html, 'organization')).toBe(`${PARCHMENT.organizationName} (${PARCHMENT.organizationId})`);
    expect(testId(html, 'page-kind')).toBe('prescriptions');
    expect(testId(html, 'embed')).toBe('false');
  });

  it('sends every documented header and the JSON body { redirect_path }', async () => {
    await parchmentConnector.buildLaunch(launchInput());
    const requests = await ssoRequests();
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.status).toBe(200);
    expect(request?.fault).toBeUndefined();
    expect(request?.headers).toMatchObject({
      'x-partner-id': PARCHMENT.partnerId,
      'x-partner-secret': PARCHMENT.partnerSecret,
      'x-organization-id': PARCHMENT.organizationId,
      'x-organization-secret': PARCHMENT.organizationSecret,
      'x-user-id': ALICE.parchmentUserId,
    });
    expect(request?.headers['content-type']).toMatch(/^application\/json\b/);
    expect(request?.headers['cookie']).toBeUndefined();
    expect(JSON.parse(request?.body ?? 'null')).toEqual({ redirect_path: `/dashboard/patients/${JOHN_ID}/prescriptions` });
  });

  it('gives a single-use link: the second redemption is refused by the portal', async () => {
    const url = openUrl(await parchmentConnector.buildLaunch(launchInput()));
    await redeem(url.href);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    const html = await again.text();
    expect(testId(html, 'sso-error-code')).toBe('token-used');
    expect(again.headers.get('set-cookie')).toBeNull();
  });
});

describe('Parchment connector: targets', () => {
  const cases: ReadonlyArray<{ name: string; overrides: Record<string, unknown>; path: (id: string) => string; kind: string; embed: string }> = [
    { name: 'target patient', overrides: { target: 'patient' }, path: (id) => `/dashboard/patients/${id}`, kind: 'patient', embed: 'false' },
    { name: 'target dashboard', overrides: { target: 'dashboard' }, path: () => '/dashboard', kind: 'dashboard', embed: 'false' },
    { name: 'embed, prescriptions', overrides: { embed: true }, path: (id) => `/embed/patients/${id}/prescriptions`, kind: 'prescriptions', embed: 'true' },
    { name: 'embed, target patient', overrides: { embed: true, target: 'patient' }, path: (id) => `/embed/patients/${id}`, kind: 'patient', embed: 'true' },
    { name: 'embed, target dashboard', overrides: { embed: true, target: 'dashboard' }, path: () => '/embed/dashboard', kind: 'dashboard', embed: 'true' },
  ];

  it.each(cases)('$name lands on the documented page', async ({ overrides, path, kind, embed }) => {
    const output = await parchmentConnector.buildLaunch(launchInput({ config: config(overrides) }));
    expect(output.notice).toBeUndefined();
    const expected = path(JOHN_ID);

    const [request] = await ssoRequests();
    expect(JSON.parse(request?.body ?? 'null')).toEqual({ redirect_path: expected });

    const { location, cookie } = await redeem(openUrl(output).href);
    expect(location).toBe(expected);
    const html = await (await fetch(`${portalUrl}${location}`, { headers: { cookie } })).text();
    expect(testId(html, 'page-kind')).toBe(kind);
    expect(testId(html, 'embed')).toBe(embed);
  });

  it('sends a patient with no Parchment id to the dashboard, with a notice', async () => {
    const output = await parchmentConnector.buildLaunch(launchInput({ patient: patientFrom(EILIDH) }));
    expect(output.notice).toBeDefined();
    expectReadableMessage(output.notice ?? '');
    expect(output.notice).toMatch(/dashboard/i);

    const [request] = await ssoRequests();
    expect(JSON.parse(request?.body ?? 'null')).toEqual({ redirect_path: '/dashboard' });
    const { location, cookie } = await redeem(openUrl(output).href);
    expect(location).toBe('/dashboard');
    const html = await (await fetch(`${portalUrl}${location}`, { headers: { cookie } })).text();
    expect(testId(html, 'patient-nhs')).toBe('none');
    expect(testId(html, 'page-kind')).toBe('dashboard');
  });

  it('sends an unmapped patient to the embedded dashboard when embed is on', async () => {
    const output = await parchmentConnector.buildLaunch(launchInput({ config: config({ embed: true }), patient: patientFrom(EILIDH) }));
    expect(output.notice).toBeDefined();
    const [request] = await ssoRequests();
    expect(JSON.parse(request?.body ?? 'null')).toEqual({ redirect_path: '/embed/dashboard' });
  });
});

describe('Parchment connector: configuration schema', () => {
  it('accepts the sandbox configuration and fills the defaults', () => {
    const parsed = config();
    expect(parsed.apiBaseUrl).toBe(`${apiUrl}/external`);
    expect(parsed.portalOrigin).toBe(portalUrl);
    expect(parsed.target).toBe('prescriptions');
    expect(parsed.embed).toBe(false);
  });

  it.each(['../x', 'a/b', '..', '/x', 'a b', 'x?y', 'x#y', '%2e%2e', ''])('rejects the patient id %j', (id) => {
    const result = parchmentConnector.configSchema.safeParse(configInput({ patientIds: { [JOHN.nhsNumber]: id } }));
    expect(result.success).toBe(false);
  });

  it.each(['999 000 0018', '999000001', 'x'])('rejects the patientIds key %j (not a 10-digit NHS number)', (key) => {
    const result = parchmentConnector.configSchema.safeParse(configInput({ patientIds: { [key]: JOHN_ID } }));
    expect(result.success).toBe(false);
  });

  it.each(['http://example.org', 'http://example.org/external', 'ftp://example.org', 'https://user:pw@example.org/external'])(
    'rejects the apiBaseUrl %j',
    (apiBaseUrl) => {
      expect(parchmentConnector.configSchema.safeParse(configInput({ apiBaseUrl })).success).toBe(false);
    },
  );

  it.each(['/external/v1/sso', '/external/v1/sso/', '/external/V1/SSO', '/v1/sso'])('refuses an apiBaseUrl ending in %s: the connector adds /v1/sso itself', (path) => {
    const result = parchmentConnector.configSchema.safeParse(configInput({ apiBaseUrl: `${apiUrl}${path}` }));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/^ends in \/v1\/sso, which EHR Launchpad adds itself/)]);
  });

  it('names the field and the fix at import', () => {
    const result = parseConfig({ version: 1, partners: [configInput({ apiBaseUrl: 'https://api.parchmenthealth.io/external/v1/sso' })] });
    expect(result).toEqual({ ok: false, errors: [expect.stringMatching(/^partners\[0\]\.apiBaseUrl: ends in \/v1\/sso, .*without it \(like https:\/\/api\.parchmenthealth\.io\/external\)$/)] });
  });

  it('keeps an API base that only contains /v1/sso further up its path', () => {
    expect(config({ apiBaseUrl: `${apiUrl}/v1/sso-gateway/external` }).apiBaseUrl).toBe(`${apiUrl}/v1/sso-gateway/external`);
  });

  it('rejects a non-https portalOrigin and an origin with a path', () => {
    expect(parchmentConnector.configSchema.safeParse(configInput({ portalOrigin: 'http://example.org' })).success).toBe(false);
    expect(parchmentConnector.configSchema.safeParse(configInput({ portalOrigin: `${portalUrl}/auth` })).success).toBe(false);
  });
});

describe('Parchment connector: refusals', () => {
  it('wrong partner secret: parchment-401', async () => {
    await expectLaunchError(
      parchmentConnector.buildLaunch(launchInput({ secrets: { ...SECRETS, partnerSecret: WRONG_PARTNER_SECRET } })),
      'parchment-401',
    );
    const requests = await ssoRequests();
    expect(requests.map((r) => r.status)).toEqual([401]);
  });

  it('wrong organization secret: parchment-401', async () => {
    await expectLaunchError(
      parchmentConnector.buildLaunch(launchInput({ secrets: { ...SECRETS, organizationSecret: WRONG_ORGANIZATION_SECRET } })),
      'parchment-401',
    );
    expect((await ssoRequests()).map((r) => r.status)).toEqual([401]);
  });

  it('clinician without a Parchment user id: clinician-incomplete, and nothing is sent', async () => {
    const { parchmentUserId: _omitted, ...withoutId } = clinicianFrom(ALICE);
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput({ clinician: withoutId })), 'clinician-incomplete');
    await expectLaunchError(
      parchmentConnector.buildLaunch(launchInput({ clinician: { ...withoutId, parchmentUserId: '' } })),
      'clinician-incomplete',
    );
    expect(await ssoRequests()).toEqual([]);
  });

  it('inactive Parchment user (locum.gray): parchment-403', async () => {
    const error = await expectLaunchError(parchmentConnector.buildLaunch(launchInput({ clinician: clinicianFrom(GRAY) })), 'parchment-403');
    // Parchment's own text (here that the user is inactive) never reaches the clinician: our words for the status.
    expect(error.message).not.toMatch(/inactive/);
    expect(error.wording).toEqual(['launchParchmentUser']);
    expect((await ssoRequests()).map((r) => r.status)).toEqual([403]);
  });

  it('unknown Parchment user: parchment-403', async () => {
    await expectLaunchError(
      parchmentConnector.buildLaunch(launchInput({ clinician: { ...clinicianFrom(ALICE), parchmentUserId: 'usr_nobody' } })),
      'parchment-403',
    );
  });

  it('404 user-not-found (Parchment does not know x-user-id): the same advice as 403, check the Parchment user id', async () => {
    const body = JSON.stringify({ success: false, error: { type: 'https://parchment.health/errors/user-not-found', title: 'User not found', detail: 'No user usr_nobody' } });
    await addFaults({ path: SSO_PATH, status: 404, headers: { 'content-type': 'application/json' }, body });
    const error = await expectLaunchError(
      parchmentConnector.buildLaunch(launchInput({ clinician: { ...clinicianFrom(ALICE), parchmentUserId: 'usr_nobody' } })),
      'parchment-404',
    );
    expect(error.message).toMatch(/^Parchment refused to sign you in\. Check your Parchment user id in your clinician profile/);
    expect(error.message).not.toMatch(/User not found|usr_nobody/);
    expect(error.wording).toEqual(['launchParchmentUser']);
  });

  it('any other 404 (no SSO endpoint at the configured address): parchment-404 for the IT service desk, not the user id', async () => {
    const error = await expectLaunchError(parchmentConnector.buildLaunch(launchInput({ config: config({ apiBaseUrl: `${apiUrl}/internal` }) })), 'parchment-404');
    expect(error.message).toBe('Parchment has no sign-in service at the configured address. Tell your IT service desk.');
    expect(error.wording).toEqual(['launchParchmentNoService']);
    expect(error.message).not.toMatch(/user id/);
    const sent = await fetch(`${apiUrl}/__sandbox/requests?path=${encodeURIComponent('/internal/v1/sso')}`);
    expect(((await sent.json()) as RecordedRequest[]).map((r) => r.status)).toEqual([404]);
  });

  it('a configured patient id Parchment does not know: parchment-400 in our words, not the partner detail', async () => {
    const unknownId = '0000-0000-0000-0000';
    const error = await expectLaunchError(
      parchmentConnector.buildLaunch(launchInput({ config: config({ patientIds: { [JOHN.nhsNumber]: unknownId } }) })),
      'parchment-400',
    );
    expect(error.message).not.toContain(unknownId);
    expect(error.message).not.toContain(PARCHMENT.organizationId);
    expect(error.wording).toEqual(['launchParchmentRejected']);
    expect((await ssoRequests()).map((r) => r.status)).toEqual([400]);
  });
});

describe('Parchment connector: rate limits, outages and broken answers', () => {
  it('429 with Retry-After 1 once: waits, retries once and succeeds', async () => {
    await addFaults({ path: SSO_PATH, method: 'POST', status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const started = Date.now();
    const output = await parchmentConnector.buildLaunch(launchInput());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(openUrl(output).pathname).toBe('/auth/sso');

    const requests = await ssoRequests();
    expect(requests.map((r) => [r.status, r.fault])).toEqual([
      [429, 'status'],
      [200, undefined],
    ]);
    expect(requests[1]?.body).toBe(requests[0]?.body);
    const { location } = await redeem(openUrl(output).href);
    expect(location).toBe(`/dashboard/patients/${JOHN_ID}/prescriptions`);
  });

  it('429 with Retry-After 30: parchment-429 naming 30 seconds, without retrying', async () => {
    await addFaults({ path: SSO_PATH, status: 429, headers: { 'retry-after': '30' } });
    const started = Date.now();
    const error = await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-429');
    expect(Date.now() - started).toBeLessThan(900);
    expect(error.message).toMatch(/\b30 seconds\b/);
    expect(await ssoRequests()).toHaveLength(1);
  });

  it('503: parchment-503', async () => {
    await addFaults({ path: SSO_PATH, status: 503 });
    const error = await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-503');
    // The answer's problem text is the partner's (here the sandbox's "Injected fault: HTTP 503"): never shown.
    expect(error.message).toBe('Parchment is not available right now. Try again shortly.');
    expect(error.wording).toEqual(['launchPartnerUnavailable', 'Parchment']);
    expect(await ssoRequests()).toHaveLength(1);
  });

  it('a success answer cut off mid-body: partner-bad-answer or partner-unreachable', async () => {
    await addFaults({ path: SSO_PATH, truncate: true });
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), ['partner-bad-answer', 'partner-unreachable']);
    expect((await ssoRequests()).map((r) => r.fault)).toEqual(['truncate']);
  });

  // Known connector gap: buildLaunch reads the body as JSON before looking at the status, so an error answer whose
  // body is not JSON (a gateway's HTML 503, a rate limiter's plain-text 429) becomes partner-bad-answer and loses
  // the status and Retry-After. Turn these into plain `it` once the connector maps such answers by status.
  it('503 with a non-JSON body (a gateway page): still parchment-503', async () => {
    await addFaults({ path: SSO_PATH, status: 503, body: 'upstream connect error or disconnect/reset before headers' });
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-503');
  });

  it('429 with a non-JSON body and Retry-After 30: still parchment-429 naming 30 seconds', async () => {
    await addFaults({ path: SSO_PATH, status: 429, headers: { 'retry-after': '30' }, body: 'Too Many Requests' });
    const error = await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-429');
    expect(error.message).toMatch(/\b30 seconds\b/);
  });

  it('a 200 that is not the documented success shape: partner-bad-answer', async () => {
    await addFaults({ path: SSO_PATH, status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ success: true, data: {} }) });
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'partner-bad-answer');
  });

  it('an answer slower than the launch deadline: partner-timeout', async () => {
    const delayMs = 600;
    await addFaults({ path: SSO_PATH, delayMs, times: 1 });
    const started = Date.now();
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput({ signal: AbortSignal.timeout(200) })), 'partner-timeout');
    expect(Date.now() - started).toBeLessThan(delayMs);
    // Let the delayed request finish here, so it cannot land in a later test's request record.
    await expect.poll(async () => (await ssoRequests()).map((r) => r.fault), { timeout: 2_000, interval: 50 }).toEqual(['delay']);
  });
});

describe('Parchment connector: the redirect_url must lead to the portal sign-in page', () => {
  it('a redirect_url on a foreign origin: parchment-foreign-redirect', async () => {
    await addFaults({
      path: SSO_PATH,
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: forgedSuccess(`https://evil.example/auth/sso?token=${FORGED_TOKEN}&redirect=%2Fdashboard`),
    });
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-foreign-redirect');
  });

  it('a redirect_url on the portal host but another port: parchment-foreign-redirect', async () => {
    const other = new URL(portalUrl);
    other.port = String(Number(other.port) === 65535 ? 65534 : Number(other.port) + 1);
    await addFaults({
      path: SSO_PATH,
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: forgedSuccess(`${other.origin}/auth/sso?token=${FORGED_TOKEN}&redirect=%2Fdashboard`),
    });
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-foreign-redirect');
  });

  it('a redirect_url on the portal origin but not /auth/sso: parchment-foreign-redirect', async () => {
    await addFaults({
      path: SSO_PATH,
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: forgedSuccess(`${portalUrl}/auth/logout?token=${FORGED_TOKEN}`),
    });
    await expectLaunchError(parchmentConnector.buildLaunch(launchInput()), 'parchment-foreign-redirect');
  });
});
