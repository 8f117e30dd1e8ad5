import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PHPKB } from './fixtures';
import { control, cookiePair, testId, useSandbox } from './test-kit';

const sandbox = useSandbox();

const SECRET = PHPKB.settings.secretToken;
const now = () => Math.floor(Date.now() / 1000);

/** Builds the signed query independently of the simulator: form-encode, base64, sha256(q + secret). */
function sign(fields: Record<string, string>, secret = SECRET): { query: string; hash: string } {
  const plain = Object.entries(fields)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  const query = Buffer.from(plain, 'utf8').toString('base64');
  return { query, hash: createHash('sha256').update(query + secret).digest('hex') };
}

const hashOf = (query: string, secret = SECRET) => createHash('sha256').update(query + secret).digest('hex');

const jones = (extra: Record<string, string> = {}) => ({
  username: 'dr.jones',
  name: 'Dr Alice Jones',
  email: 'alice.jones@riverside.example.nhs.uk',
  t: String(now()),
  ...extra,
});

interface KbCall {
  params: Record<string, string>;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Appended to the URL as-is (for deliberately wrong encodings). */
  rawSearch?: string;
}

async function kb({ params, method = 'GET', headers = {}, rawSearch }: KbCall) {
  const search = rawSearch ?? new URLSearchParams(params).toString();
  const response = await fetch(`${sandbox.urls.phpkb}/sso.php?${search}`, { method, headers, redirect: 'manual' });
  return { status: response.status, response, text: await response.text() };
}

const login = (fields: Record<string, string>, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  kb({ params: { mode: 'login', ...sign(fields), ...extra }, headers });

/** Checks an SSO error in either format: the HTML page, or JSON (POST requests, Accept: application/json). */
async function expectCode(call: Promise<Awaited<ReturnType<typeof kb>>>, code: string, detail?: RegExp) {
  const { status, text, response } = await call;
  expect(status, text.slice(0, 2000)).toBe(Number(code.slice(0, 3)));
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    const json = JSON.parse(text) as { success: boolean; code: string; message: string; detail: string };
    expect(json).toMatchObject({ success: false, code, message: MESSAGES[code] });
    if (detail) expect(json.detail).toMatch(detail);
    return;
  }
  expect(testId(text, 'phpkb-error-code')).toBe(code);
  expect(testId(text, 'phpkb-error-message')).toBe(MESSAGES[code]);
  if (detail) expect(testId(text, 'phpkb-error-detail')).toMatch(detail);
}

const MESSAGES: Record<string, string> = {
  '400E1': 'Missing required URL parameter.',
  '400E2': 'Invalid URL parameter received.',
  '400E3': 'Timestamp parameter too old.',
  '400E4': 'User account can not be created because duplicate usernames are not allowed.',
  '401E1': 'Authentication failed; could not authenticate user because of invalid hash.',
  '401E2': 'Could not authenticate request because of invalid domain referrer.',
  '404E1': 'The requested user account is inactive.',
  '404E2': 'The requested user account not found in database.',
  '500E1': 'Database Error.',
  '503E1': 'SSO is not available. SSO is currently disabled.',
};

const settings = (patch: Record<string, unknown>) => control(sandbox.urls.phpkb, 'settings', 'POST', patch);
const page = async (path: string, cookie: string) => (await fetch(`${sandbox.urls.phpkb}${path}`, { headers: { cookie } })).text();

describe('PHPKB sso.php mode=login: success', () => {
  it('auto-creates a user with awkward characters and shows exactly what was signed', async () => {
    const fields = {
      username: 'zoe.obrien',
      name: `Zoë O'Brien-Smith & "Co" = +/`,
      email: "zoe.o'brien+kb/x=1&y@example.org",
      t: String(now()),
      groups: '3,4,99',
    };
    const { status, response } = await login(fields);
    expect(status).toBe(302);
    expect(response.headers.get('location')).toBe('/');
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^phpkb_session=.*HttpOnly.*SameSite=Lax/);

    const html = await page('/', cookiePair(response));
    expect(testId(html, 'signed-in-username')).toBe('zoe.obrien');
    expect(testId(html, 'signed-in-name')).toBe(fields.name);
    expect(testId(html, 'signed-in-email')).toBe(fields.email);
    // Default group 2 plus the passed ones; 99 does not exist and is dropped.
    expect(testId(html, 'signed-in-groups')).toBe('2,3,4');
    expect(testId(html, 'hash-verified')).toBe('true');
    expect(Number(testId(html, 'timestamp-age-s'))).toBeLessThanOrEqual(2);

    const stored = (await (await control(sandbox.urls.phpkb, 'settings')).json()) as { users: Array<{ username: string; groups: number[] }> };
    expect(stored.users.find((u) => u.username === 'zoe.obrien')?.groups).toEqual([2, 3, 4]);
  });

  it('signs in an existing user with the stored profile', async () => {
    const { status, response } = await login(jones({ name: 'Someone Else' }));
    expect(status).toBe(302);
    const html = await page('/', cookiePair(response));
    expect(testId(html, 'signed-in-name')).toBe('Dr Alice Jones');
    expect(testId(html, 'signed-in-groups')).toBe('2,3');
  });

  it('deep links to an article or a category', async () => {
    const article = await login(jones(), { redirecttype: 'article', redirectid: '180' });
    expect(article.response.headers.get('location')).toBe('/article.php?id=180');
    const html = await page('/article.php?id=180', cookiePair(article.response));
    expect(testId(html, 'article-title')).toBe('Repeat prescribing workflow');
    expect(testId(html, 'signed-in-username')).toBe('dr.jones');

    const category = await login(jones(), { redirecttype: 'category', redirectid: '11' });
    expect(category.response.headers.get('location')).toBe('/category.php?id=11');
  });

  it('accepts a query without t when verifyTimestamp is off', async () => {
    await settings({ verifyTimestamp: false });
    const { username, name, email } = jones();
    const { status, response } = await login({ username, name, email });
    expect(status).toBe(302);
    expect(testId(await page('/', cookiePair(response)), 'timestamp-age-s')).toBe('none');
  });

  it('honours the Referer allow-list', async () => {
    await settings({ domainsAllowed: ['ehr.example.nhs.uk'] });
    expect((await login(jones(), {}, { referer: 'https://EHR.example.nhs.uk/patients/1' })).status).toBe(302);
  });
});

describe('PHPKB sso.php mode=login: every error code', () => {
  it('503E1 when SSO is disabled (checked first)', async () => {
    await settings({ enabled: false });
    await expectCode(login(jones()), '503E1');
    await expectCode(kb({ params: {} }), '503E1');
  });

  it('400E1 for each missing parameter', async () => {
    const signed = sign(jones());
    await expectCode(kb({ params: { ...signed } }), '400E1', /mode/);
    await expectCode(kb({ params: { mode: 'login', hash: signed.hash } }), '400E1', /query/);
    await expectCode(kb({ params: { mode: 'login', query: signed.query } }), '400E1', /hash/);
    const { username, name, email, t } = jones();
    await expectCode(login({ name, email, t }), '400E1', /username/);
    await expectCode(login({ username, email, t }), '400E1', /name/);
    await expectCode(login({ username, name, t }), '400E1', /email/);
    await expectCode(login({ username, name, email: '', t }), '400E1', /email/);
    await expectCode(login({ username, name, email }), '400E1', /\bt\b/);
    await expectCode(login(jones(), { redirecttype: 'article' }), '400E1', /redirectid/);
  });

  it('400E2 for each invalid parameter', async () => {
    const signed = sign(jones());
    await expectCode(kb({ params: { mode: 'signin', ...signed } }), '400E2', /mode/);
    await expectCode(kb({ params: { mode: 'login', ...signed }, method: 'POST' }), '400E2', /GET/);
    await expectCode(login(jones(), { redirecttype: 'faq', redirectid: '1' }), '400E2', /redirecttype/);
    await expectCode(login(jones(), { redirecttype: 'article', redirectid: 'abc' }), '400E2', /redirectid/);
    await expectCode(login(jones(), { redirectid: '180' }), '400E2', /redirectid/);
    await expectCode(login(jones({ email: 'not-an-email' })), '400E2', /email/);
    await expectCode(login(jones({ groups: '1;2' })), '400E2', /groups/);
    await expectCode(login(jones({ groups: '1,two' })), '400E2', /groups/);
    await expectCode(login(jones({ t: '1700000000.5' })), '400E2', /\bt\b/);
    await expectCode(login(jones({ dl: 'English!' })), '400E2', /dl/);
  });

  it('400E2 when the (correctly hashed) query is not strict base64 or not well formed', async () => {
    const plain = `username=dr.jones&name=Dr%20Alice%20Jones&email=alice.jones%40riverside.example.nhs.uk&t=${now()}`;
    const standard = Buffer.from(plain).toString('base64');
    const variants = [
      'not base64!',
      standard.replace(/=+$/, '') + (standard.endsWith('=') ? '' : 'A'), // unpadded or wrong length
      Buffer.from(plain).toString('base64url') + '-_', // URL-safe alphabet
    ];
    for (const query of variants) await expectCode(kb({ params: { mode: 'login', query, hash: hashOf(query) } }), '400E2', /base64/);

    const signedRaw = (text: string) => {
      const query = Buffer.from(text, 'utf8').toString('base64');
      return kb({ params: { mode: 'login', query, hash: hashOf(query) } });
    };
    await expectCode(signedRaw(`${plain}&username=other`), '400E2', /more than once/);
    await expectCode(signedRaw(`${plain}&groups=%zz`), '400E2', /%-escape/);
    await expectCode(signedRaw(`${plain.replace('Alice', '%FF')}`), '400E2', /UTF-8/);
  });

  it('400E3 for old, future or millisecond timestamps', async () => {
    await expectCode(login(jones({ t: String(now() - 6 * 60) })), '400E3', /old/);
    await expectCode(login(jones({ t: String(now() + 10 * 60) })), '400E3', /future/);
    await expectCode(login(jones({ t: String(Date.now()) })), '400E3', /milliseconds/);
    expect((await login(jones({ t: String(now() - 4 * 60) }))).status).toBe(302);
    await settings({ expiryMinutes: 10 });
    expect((await login(jones({ t: String(now() - 6 * 60) }))).status).toBe(302);
  });

  it('400E4 when auto-create would duplicate a username by letter case', async () => {
    await expectCode(login(jones({ username: 'n.okafor', name: 'N Okafor', email: 'n@example.org' })), '400E4', /N\.Okafor/);
  });

  it('401E1 for a wrong hash, however it went wrong', async () => {
    const signed = sign(jones());
    await expectCode(kb({ params: { mode: 'login', query: signed.query, hash: 'a'.repeat(64) } }), '401E1');
    await expectCode(kb({ params: { mode: 'login', query: signed.query, hash: signed.hash.toUpperCase() } }), '401E1');
    await expectCode(kb({ params: { mode: 'login', ...sign(jones(), 'WRONG-SECRET') } }), '401E1');
    await expectCode(kb({ params: { mode: 'login', query: signed.query, hash: hashOf(Buffer.from('x').toString('base64')) } }), '401E1');
  });

  it('401E1 when the base64 query is not URL-encoded and its "+" turns into a space', async () => {
    let fields = jones();
    for (let i = 0; i < 64 && !sign(fields).query.includes('+'); i++) fields = jones({ name: `Dr Alice Jones ${'~'.repeat(i)}?>` });
    const { query, hash } = sign(fields);
    expect(query).toContain('+');
    await expectCode(kb({ params: {}, rawSearch: `mode=login&query=${query}&hash=${hash}` }), '401E1');
    expect((await kb({ params: {}, rawSearch: `mode=login&query=${encodeURIComponent(query)}&hash=${hash}` })).status).toBe(302);
  });

  it('401E2 when the Referer is missing or not allowed', async () => {
    await settings({ domainsAllowed: ['ehr.example.nhs.uk'] });
    await expectCode(login(jones()), '401E2', /missing/);
    await expectCode(login(jones(), {}, { referer: 'https://evil.example/ehr.example.nhs.uk' }), '401E2', /evil\.example/);
    await expectCode(login(jones(), {}, { referer: 'https://ehr.example.nhs.uk.evil.example/' }), '401E2');
  });

  it('404E1 for an inactive user', async () => {
    await expectCode(login(jones({ username: 'locum.gray', name: 'Dr Morgan Gray', email: 'morgan.gray@riverside.example.nhs.uk' })), '404E1');
  });

  it('404E2 for an unknown user when autoCreate is off', async () => {
    await settings({ autoCreate: false });
    await expectCode(login(jones({ username: 'new.person' })), '404E2');
    // Without auto-create there is nothing to duplicate, so a case variant is simply not found.
    await expectCode(login(jones({ username: 'n.okafor' })), '404E2');
  });

  it('500E1 when the database is down', async () => {
    await settings({ databaseDown: true });
    await expectCode(login(jones()), '500E1');
  });

  it('answers JSON when the client prefers it', async () => {
    const { query } = sign(jones());
    const response = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=login&query=${encodeURIComponent(query)}&hash=bad`, {
      headers: { accept: 'application/json, text/html;q=0.5' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ success: false, code: '401E1', message: MESSAGES['401E1'] });
  });

  it('applies the documented check order', async () => {
    await settings({ enabled: false, domainsAllowed: ['ehr.example.nhs.uk'] });
    await expectCode(kb({ params: { mode: 'login' } }), '503E1');
    await settings({ enabled: true });
    await expectCode(kb({ params: { mode: 'login' } }), '401E2');
    await settings({ domainsAllowed: [] });
    const { query } = sign(jones({ email: 'bad' }));
    await expectCode(kb({ params: { mode: 'login', query, hash: 'wrong' } }), '401E1');
    await settings({ databaseDown: true });
    await expectCode(login(jones({ t: String(now() - 3600) })), '400E3');
  });
});

describe('PHPKB sso.php mode=logout', () => {
  it('GET ends the cookie session and redirects home', async () => {
    const { response } = await login(jones());
    const cookie = cookiePair(response);
    const logout = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=logout`, { headers: { cookie }, redirect: 'manual' });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('/');
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect(testId(await page('/', cookie), 'not-signed-in')).toBe('Not signed in');
  });

  it('POST with a signed username ends that user\'s sessions without a KB cookie', async () => {
    const { response } = await login(jones());
    const cookie = cookiePair(response);
    const { query, hash } = sign({ username: 'dr.jones', t: String(now()) });
    const logout = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=logout&query=${encodeURIComponent(query)}&hash=${hash}`, { method: 'POST' });
    expect(logout.status).toBe(200);
    expect(await logout.json()).toMatchObject({ success: true, status: 200, username: 'dr.jones', sessionsEnded: 1 });
    expect(testId(await page('/', cookie), 'not-signed-in')).toBe('Not signed in');
  });

  it('POST accepts form-encoded fields and a plain cookie session', async () => {
    const { response } = await login(jones());
    const cookie = cookiePair(response);
    const logout = await fetch(`${sandbox.urls.phpkb}/sso.php`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'mode=logout',
    });
    expect(logout.status).toBe(200);
    expect(await logout.json()).toMatchObject({ success: true, status: 200, sessionsEnded: 1 });
  });

  it('POST errors are JSON with the documented codes', async () => {
    const { query } = sign({ username: 'dr.jones', t: String(now()) });
    const bad = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=logout&query=${encodeURIComponent(query)}&hash=nope`, { method: 'POST' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ success: false, code: '401E1' });
    const half = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=logout&query=${encodeURIComponent(query)}`, { method: 'POST' });
    expect(await half.json()).toMatchObject({ success: false, code: '400E1' });
    const old = sign({ username: 'dr.jones', t: String(now() - 3600) });
    const stale = await fetch(`${sandbox.urls.phpkb}/sso.php?mode=logout&query=${encodeURIComponent(old.query)}&hash=${old.hash}`, { method: 'POST' });
    expect(await stale.json()).toMatchObject({ success: false, code: '400E3' });
  });
});

describe('PHPKB pages', () => {
  it('shows "Not signed in" and the return URL when set', async () => {
    expect(testId(await page('/', ''), 'not-signed-in')).toBe('Not signed in');
    await settings({ returnUrl: 'https://ehr.example.nhs.uk/login?next=kb&x="1"' });
    const html = await page('/', '');
    expect(html).toContain('href="https://ehr.example.nhs.uk/login?next=kb&amp;x=&quot;1&quot;"');
    const loginPage = await fetch(`${sandbox.urls.phpkb}/login.php`, { redirect: 'manual' });
    expect(loginPage.status).toBe(302);
    expect(loginPage.headers.get('location')).toBe('https://ehr.example.nhs.uk/login?next=kb&x="1"');
  });

  it('keeps private articles for members of their groups', async () => {
    expect((await fetch(`${sandbox.urls.phpkb}/article.php?id=180`)).status).toBe(403);
    expect((await fetch(`${sandbox.urls.phpkb}/article.php?id=101`)).status).toBe(200);
    expect((await fetch(`${sandbox.urls.phpkb}/article.php?id=999`)).status).toBe(404);
  });

  it('rejects invalid settings', async () => {
    expect((await settings({ secretToken: ' ' })).status).toBe(400);
    expect((await settings({ defaultGroups: ['2'] })).status).toBe(400);
    expect((await settings({ users: [{ username: 'x' }] })).status).toBe(400);
  });
});
