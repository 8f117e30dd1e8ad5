import { describe, expect, it } from 'vitest';
import { PARCHMENT } from './fixtures';
import { control, cookiePair, testId, useSandbox } from './test-kit';

const sandbox = useSandbox();

const JOHN = '4821-7730-1956-0042';
const HILLTOP_PATIENT = '8842-1003-5521-7790';
const HILLTOP = PARCHMENT.organizations[1];
const UNLINKED = PARCHMENT.organizations[2];
const ALICE = 'usr_8f3k2j1m9q';

const goodHeaders = (): Record<string, string> => ({
  'x-partner-id': PARCHMENT.partnerId,
  'x-partner-secret': PARCHMENT.partnerSecret,
  'x-organization-id': PARCHMENT.organizationId,
  'x-organization-secret': PARCHMENT.organizationSecret,
  'x-user-id': ALICE,
  'content-type': 'application/json',
});

interface SsoCall {
  headers?: Record<string, string>;
  omit?: string[];
  body?: string;
  method?: string;
}

async function sso({ headers = {}, omit = [], body = JSON.stringify({ redirect_path: '/dashboard' }), method = 'POST' }: SsoCall = {}) {
  const all = { ...goodHeaders(), ...headers };
  for (const name of omit) delete all[name];
  const response = await fetch(`${sandbox.urls['parchment-api']}/external/v1/sso`, {
    method,
    headers: all,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  const json = (await response.json()) as { success: boolean; data?: { sso_token: string; redirect_url: string; expires_in: number }; error?: { type: string; title: string; detail: string } };
  return { status: response.status, json, response };
}

const withPath = (redirectPath: unknown) => JSON.stringify({ redirect_path: redirectPath });

async function expectProblem(call: Promise<Awaited<ReturnType<typeof sso>>>, status: number, kind: string, detail: string | RegExp) {
  const { status: actual, json, response } = await call;
  expect(actual).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(json.success).toBe(false);
  expect(json.error?.type).toBe(`https://parchment.health/errors/${kind}`);
  expect(typeof json.error?.title).toBe('string');
  if (typeof detail === 'string') expect(json.error?.detail).toBe(detail);
  else expect(json.error?.detail).toMatch(detail);
}

async function issue(redirectPath: string, headers: Record<string, string> = {}): Promise<{ token: string; url: URL }> {
  const { status, json } = await sso({ headers, body: withPath(redirectPath) });
  expect(status, JSON.stringify(json)).toBe(200);
  const data = json.data;
  if (!data) throw new Error('no data');
  return { token: data.sso_token, url: new URL(data.redirect_url) };
}

const portal = (pathAndQuery: string, cookie?: string) =>
  fetch(`${sandbox.urls['parchment-portal']}${pathAndQuery}`, { redirect: 'manual', ...(cookie ? { headers: { cookie } } : {}) });

async function signIn(redirectPath: string): Promise<{ cookie: string; location: string | null }> {
  const { url } = await issue(redirectPath);
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return { cookie: cookiePair(response), location: response.headers.get('location') };
}

describe('Parchment API: POST /external/v1/sso', () => {
  it('issues a token and a portal redirect_url on the portal origin', async () => {
    const { status, json } = await sso({ body: withPath(`/dashboard/patients/${JOHN}`) });
    expect(status).toBe(200);
    expect(json.success).toBe(true);
    const data = json.data;
    expect(data?.expires_in).toBe(300);
    expect(data?.sso_token).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(data?.redirect_url).toBe(
      `${sandbox.urls['parchment-portal']}/auth/sso?token=${data?.sso_token}&redirect=%2Fdashboard%2Fpatients%2F${JOHN}`,
    );
    expect(sandbox.urls['parchment-portal']).not.toBe(sandbox.urls['parchment-api']);
  });

  it('accepts every documented page shape', async () => {
    for (const path of ['/dashboard', `/dashboard/patients/${JOHN}`, `/dashboard/patients/${JOHN}/prescriptions`, '/embed/dashboard', `/embed/patients/${JOHN}`, `/embed/patients/${JOHN}/prescriptions`]) {
      expect((await sso({ body: withPath(path) })).status, path).toBe(200);
    }
    expect((await sso({ headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });

  it('rejects other methods with 405', async () => {
    await expectProblem(sso({ method: 'GET' }), 405, 'method-not-allowed', /use POST/);
    await expectProblem(sso({ method: 'PUT' }), 405, 'method-not-allowed', /use POST/);
  });

  it('lists every missing header, in the documented order', async () => {
    await expectProblem(sso({ omit: ['x-user-id'] }), 400, 'invalid-request', 'Missing required headers: x-user-id');
    await expectProblem(
      sso({ omit: ['x-partner-id', 'x-partner-secret', 'x-organization-id', 'x-organization-secret', 'x-user-id'] }),
      400,
      'invalid-request',
      'Missing required headers: x-partner-id, x-partner-secret, x-organization-id, x-organization-secret, x-user-id',
    );
    await expectProblem(sso({ omit: ['x-organization-secret'], headers: { 'x-partner-secret': '' } }), 400, 'invalid-request', 'Missing required headers: x-partner-secret, x-organization-secret');
  });

  it('requires a JSON object body with a string redirect_path', async () => {
    await expectProblem(sso({ headers: { 'content-type': 'text/plain' } }), 400, 'invalid-request', 'Content-Type must be application/json');
    await expectProblem(sso({ omit: ['content-type'] }), 400, 'invalid-request', 'Content-Type must be application/json');
    await expectProblem(sso({ body: '{not json' }), 400, 'invalid-request', 'Request body must be valid JSON');
    await expectProblem(sso({ body: '' }), 400, 'invalid-request', 'Request body must be valid JSON');
    await expectProblem(sso({ body: '["/dashboard"]' }), 400, 'invalid-request', 'Request body must be a JSON object');
    await expectProblem(sso({ body: '{}' }), 400, 'invalid-request', 'redirect_path is required');
    await expectProblem(sso({ body: withPath(42) }), 400, 'invalid-request', 'redirect_path must be a string');
  });

  it('rejects wrong partner credentials with 401', async () => {
    await expectProblem(sso({ headers: { 'x-partner-id': 'ptn_other' } }), 401, 'authentication-required', 'Invalid partner credentials');
    await expectProblem(sso({ headers: { 'x-partner-secret': 'wrong' } }), 401, 'authentication-required', 'Invalid partner credentials');
  });

  it('rejects wrong or unlinked organization credentials with 401', async () => {
    await expectProblem(sso({ headers: { 'x-organization-secret': 'wrong' } }), 401, 'authentication-required', 'Invalid organization credentials');
    await expectProblem(sso({ headers: { 'x-organization-id': 'org_unknown' } }), 401, 'authentication-required', 'Invalid organization credentials');
    // Another organization's secret must not work with this organization's id.
    await expectProblem(sso({ headers: { 'x-organization-secret': HILLTOP?.organizationSecret ?? '' } }), 401, 'authentication-required', 'Invalid organization credentials');
    await expectProblem(
      sso({ headers: { 'x-organization-id': UNLINKED?.organizationId ?? '', 'x-organization-secret': UNLINKED?.organizationSecret ?? '', 'x-user-id': 'usr_9z1x3c5v7b' } }),
      401,
      'authentication-required',
      'Invalid organization credentials',
    );
  });

  it('rejects unknown, inactive and other-organization users with 403', async () => {
    await expectProblem(sso({ headers: { 'x-user-id': 'usr_nobody' } }), 403, 'forbidden', 'User usr_nobody not found');
    await expectProblem(sso({ headers: { 'x-user-id': 'usr_6t1w3e9r0y' } }), 403, 'forbidden', 'User usr_6t1w3e9r0y is inactive');
    await expectProblem(sso({ headers: { 'x-user-id': 'usr_5h8j2k4l6p' } }), 403, 'forbidden', `User usr_5h8j2k4l6p does not belong to organization ${PARCHMENT.organizationId}`);
  });

  it('rejects redirect paths that are not portal pages', async () => {
    const cases: Array<[string, string]> = [
      ['dashboard', "redirect_path must be a relative path starting with a single '/'"],
      ['', "redirect_path must be a relative path starting with a single '/'"],
      ['//evil.example/dashboard', "redirect_path must be a relative path starting with a single '/'"],
      ['https://evil.example/dashboard', "redirect_path must be a relative path starting with a single '/'"],
      ['/\\evil.example', 'redirect_path must not contain backslashes'],
      ['/dashboard/../admin', "redirect_path must not contain '..'"],
      ['/dashboard/patients/..', "redirect_path must not contain '..'"],
      ['/javascript:alert(1)', 'redirect_path must not contain a URL scheme'],
      ['/admin', 'redirect_path is not a Parchment portal page: /admin'],
      ['/dashboard/', 'redirect_path is not a Parchment portal page: /dashboard/'],
      ['/dashboard?tab=1', 'redirect_path is not a Parchment portal page: /dashboard?tab=1'],
      ['/embed/patients', 'redirect_path is not a Parchment portal page: /embed/patients'],
      [`/dashboard/patients/${JOHN}/notes`, `redirect_path is not a Parchment portal page: /dashboard/patients/${JOHN}/notes`],
      ['/embed/dashboard/patients/' + JOHN, `redirect_path is not a Parchment portal page: /embed/dashboard/patients/${JOHN}`],
    ];
    for (const [path, detail] of cases) await expectProblem(sso({ body: withPath(path) }), 400, 'invalid-request', detail);
  });

  it('rejects patients that are not in the organization', async () => {
    await expectProblem(sso({ body: withPath('/dashboard/patients/0000-0000-0000-0000') }), 400, 'invalid-request', `Patient 0000-0000-0000-0000 not found in organization ${PARCHMENT.organizationId}`);
    await expectProblem(sso({ body: withPath(`/embed/patients/${HILLTOP_PATIENT}/prescriptions`) }), 400, 'invalid-request', /not found in organization/);
    const hilltop = { 'x-organization-id': HILLTOP?.organizationId ?? '', 'x-organization-secret': HILLTOP?.organizationSecret ?? '', 'x-user-id': 'usr_5h8j2k4l6p' };
    expect((await sso({ headers: hilltop, body: withPath(`/dashboard/patients/${HILLTOP_PATIENT}`) })).status).toBe(200);
    await expectProblem(sso({ headers: hilltop, body: withPath(`/dashboard/patients/${JOHN}`) }), 400, 'invalid-request', /not found in organization/);
  });

  it('checks credentials before the redirect path', async () => {
    await expectProblem(sso({ headers: { 'x-partner-secret': 'wrong' }, body: withPath('//evil') }), 401, 'authentication-required', 'Invalid partner credentials');
    await expectProblem(sso({ headers: { 'x-user-id': 'usr_nobody' }, body: withPath('/admin') }), 403, 'forbidden', /not found/);
  });

  it('answers unknown API routes with a 404 problem', async () => {
    const response = await fetch(`${sandbox.urls['parchment-api']}/v1/sso`, { method: 'POST', headers: goodHeaders(), body: withPath('/dashboard') });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('https://parchment.health/errors/not-found');
  });
});

describe('Parchment portal: /auth/sso and pages', () => {
  it('redeems a token into an HttpOnly SameSite=Lax session and redirects to the path', async () => {
    const { url } = await issue(`/dashboard/patients/${JOHN}`);
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/dashboard/patients/${JOHN}`);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^parchment_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    const page = await portal(`/dashboard/patients/${JOHN}`, cookiePair(response));
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(testId(html, 'signed-in-user')).toBe(`Dr Alice Jones (${ALICE})`);
    expect(testId(html, 'organization')).toBe(`Riverside Medical Centre (${PARCHMENT.organizationId})`);
    expect(testId(html, 'patient-name')).toBe('John Smith');
    expect(testId(html, 'patient-nhs')).toBe('9990000018');
    expect(testId(html, 'patient-id')).toBe(JOHN);
    expect(testId(html, 'page-kind')).toBe('patient');
    expect(testId(html, 'embed')).toBe('false');
    expect(Number(testId(html, 'token-age-ms'))).toBeGreaterThanOrEqual(0);
  });

  it('tokens are single use', async () => {
    const { url } = await issue('/dashboard');
    // A HEAD probe (link checker, prefetch) must not spend the token.
    expect((await fetch(url, { method: 'HEAD', redirect: 'manual' })).status).toBe(405);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).toBe(401);
    const html = await again.text();
    expect(testId(html, 'sso-error')).toBe('SSO token has already been used');
    expect(testId(html, 'sso-error-code')).toBe('token-used');
  });

  it('says exactly which check failed', async () => {
    const missing = await portal('/auth/sso?redirect=%2Fdashboard');
    expect(missing.status).toBe(401);
    expect(testId(await missing.text(), 'sso-error-code')).toBe('token-missing');
    expect(testId(await (await portal('/auth/sso?token=nope&redirect=%2Fdashboard')).text(), 'sso-error-code')).toBe('token-unknown');

    const { token } = await issue(`/dashboard/patients/${JOHN}`);
    const noRedirect = await portal(`/auth/sso?token=${token}`);
    expect(testId(await noRedirect.text(), 'sso-error-code')).toBe('redirect-missing');
    const mismatch = await portal(`/auth/sso?token=${token}&redirect=%2Fdashboard`);
    expect(mismatch.status).toBe(401);
    expect(testId(await mismatch.text(), 'sso-error-code')).toBe('redirect-mismatch');
    // A failed attempt does not burn the token.
    expect((await portal(`/auth/sso?token=${token}&redirect=${encodeURIComponent(`/dashboard/patients/${JOHN}`)}`)).status).toBe(302);
  });

  it('expires tokens after the TTL set through settings', async () => {
    const settings = await control(sandbox.urls['parchment-api'], 'settings', 'POST', { tokenTtlSeconds: 0.05 });
    expect(settings.status).toBe(200);
    const { status, json } = await sso();
    expect(status).toBe(200);
    expect(json.data?.expires_in).toBe(0.05);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const response = await fetch(json.data?.redirect_url ?? '', { redirect: 'manual' });
    expect(response.status).toBe(401);
    const html = await response.text();
    expect(testId(html, 'sso-error-code')).toBe('token-expired');
  });

  it('forgets issued tokens when settings are reset', async () => {
    const { url } = await issue('/dashboard');
    await control(sandbox.urls['parchment-portal'], 'settings', 'DELETE');
    expect(testId(await (await fetch(url, { redirect: 'manual' })).text(), 'sso-error-code')).toBe('token-unknown');
  });

  it('rejects invalid settings', async () => {
    expect((await control(sandbox.urls['parchment-api'], 'settings', 'POST', { tokenTtlSeconds: -1 })).status).toBe(400);
    expect((await control(sandbox.urls['parchment-api'], 'settings', 'POST', { tokenTtlSeconds: '300' })).status).toBe(400);
    expect((await control(sandbox.urls['parchment-api'], 'settings', 'POST', { nope: 1 })).status).toBe(400);
  });

  it('serves embed pages without chrome and without X-Frame-Options', async () => {
    const path = `/embed/patients/${JOHN}/prescriptions`;
    const { cookie, location } = await signIn(path);
    expect(location).toBe(path);
    const page = await portal(path, cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBeNull();
    const html = await page.text();
    expect(testId(html, 'embed')).toBe('true');
    expect(testId(html, 'page-kind')).toBe('prescriptions');
    expect(html).not.toContain('class="portal-nav"');
    expect(html).toContain('data-testid="prescription"');
  });

  it('shows the dashboard without a patient', async () => {
    const { cookie } = await signIn('/dashboard');
    const html = await (await portal('/dashboard', cookie)).text();
    expect(testId(html, 'page-kind')).toBe('dashboard');
    expect(testId(html, 'patient-id')).toBe('none');
    expect(html).toContain('class="portal-nav"');
  });

  it('requires a session for every portal page', async () => {
    for (const path of ['/dashboard', `/dashboard/patients/${JOHN}`, `/embed/patients/${JOHN}/prescriptions`]) {
      const response = await portal(path);
      expect(response.status, path).toBe(401);
      expect(testId(await response.text(), 'sign-in-required')).toBe('Sign in required');
    }
    expect((await portal('/dashboard', 'parchment_session=forged')).status).toBe(401);
  });

  it('does not show patients of other organizations', async () => {
    const { cookie } = await signIn('/dashboard');
    expect((await portal(`/dashboard/patients/${HILLTOP_PATIENT}`, cookie)).status).toBe(404);
  });
});
