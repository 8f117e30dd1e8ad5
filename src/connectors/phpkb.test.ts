import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLINICIANS, PATIENTS, PHPKB } from '../../tests/sandbox/fixtures';
import type { PhpkbSettings, PhpkbUser } from '../../tests/sandbox/fixtures';
import type { FaultRule } from '../../tests/sandbox/faults';
import type { RecordedRequest } from '../../tests/sandbox/request-log';
import { control, cookiePair, fixture, testId, useSandbox } from '../../tests/sandbox/test-kit';
import type { ClinicianProfile } from '../shared/clinician';
import { LaunchError } from '../shared/launch-error';
import type { PatientContext } from '../shared/patient';
import type { LaunchInput, LaunchOutput, SignOutInput } from './connector';
import { phpkbConnector, phpkbError, phpkbLoginFields, phpkbLoginUrl, phpkbLogoutUrl, phpkbSignedQuery } from './phpkb';
import type { PhpkbConfig } from './phpkb';
import { PHPKB_ERROR_SENTENCES, phpkbErrorCode } from './phpkb-errors';

/**
 * Conformance of the PHPKB connector against the sandbox's PHPKB simulator, which follows the PHPKB SSO
 * reference guide strictly (signed base64 query, sha256 hash, the documented error codes).
 */

const SSO_PATH = '/sso.php';

const sandbox = useSandbox();
let kbUrl: string;
beforeAll(() => {
  kbUrl = sandbox.urls.phpkb;
});


// ---------------------------------------------------------------------------------------------------------------
// Fixtures


const ALICE = fixture(CLINICIANS[0], 'dr.jones');
const GRAY = fixture(CLINICIANS[2], 'locum.gray');
const JOHN = fixture(PATIENTS[0], 'first demo patient');
const PRIVATE_ARTICLE = fixture(
  PHPKB.articles.find((a) => a.id === 180),
  'article 180',
);

const SECRET = PHPKB.settings.secretToken;
const SECRETS = { secretToken: SECRET };
const WRONG_SECRET = 'WRONGSECRET0000X';

/** A clinician whose name and email need every kind of encoding: non-ASCII, quotes, &, =, +, / and spaces. */
const ZOE: ClinicianProfile = {
  displayName: `Zoë O'Brien-Smith & "Co" = A+B / Ward`,
  username: "zoe.o'brien-smith",
  email: "zoe.o'brien+kb@example.org",
};

/** 2023-11-14T22:13:20.789Z: the fraction of a second must not reach `t`. */
const FIXED_NOW_MS = 1_700_000_000_789;
const FIXED_T = '1700000000';

/** Strings that must never appear in a clinician-facing message. */
const NEVER_SHOWN = [SECRET, WRONG_SECRET];

function configInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { kind: 'phpkb', id: 'kb', label: 'Knowledge base', kbUrl, ...overrides };
}

function config(overrides: Record<string, unknown> = {}): PhpkbConfig {
  return phpkbConnector.configSchema.parse(configInput(overrides));
}

function clinicianFrom(c: (typeof CLINICIANS)[number]): ClinicianProfile {
  return { displayName: c.name, username: c.id, email: c.email };
}

function patientFrom(p: (typeof PATIENTS)[number]): PatientContext {
  return { nhsNumber: p.nhsNumber, birthDate: p.birthDate, name: { family: p.family, given: p.given } };
}

function launchInput(overrides: Partial<LaunchInput<PhpkbConfig>> = {}): LaunchInput<PhpkbConfig> {
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

function signOutInput(overrides: Partial<SignOutInput<PhpkbConfig>> = {}): SignOutInput<PhpkbConfig> {
  const { patient: _unused, ...input } = launchInput();
  return { ...input, ...overrides };
}

// ---------------------------------------------------------------------------------------------------------------
// Independent decoding (node:crypto and Buffer, not the connector's WebCrypto and btoa)

const STANDARD_PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The plain query string inside a base64 `query` parameter. */
function decodeQuery(query: string): string {
  expect(query).toMatch(STANDARD_PADDED_BASE64);
  const text = Buffer.from(query, 'base64').toString('utf8');
  // Re-encoding gives the same string back only for canonical, valid base64 of valid UTF-8.
  expect(Buffer.from(text, 'utf8').toString('base64')).toBe(query);
  return text;
}

/** Reads `a=1&b=2` as PHP's parse_str does: '+' is a space, then %-decoding. Keeps order. */
function phpParse(text: string): Array<[string, string]> {
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
  return text.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    expect(eq, pair).toBeGreaterThan(0);
    return [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
  });
}

/** The raw URL parameters, read as a PHP server reads $_GET, in order. */
function rawUrlParams(href: string): Array<[string, string]> {
  return phpParse(new URL(href).search.slice(1));
}

function urlParam(href: string, name: string): string {
  const value = new Map(rawUrlParams(href)).get(name);
  if (value === undefined) throw new Error(`no ${name} in the URL`);
  return value;
}

/** Checks `query` and `hash` of a URL against the secret; answers the decoded fields. */
function verifySigned(href: string, secret = SECRET): Array<[string, string]> {
  const query = urlParam(href, 'query');
  const hash = urlParam(href, 'hash');
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(hash).toBe(sha256Hex(query + secret));
  return phpParse(decodeQuery(query));
}

// ---------------------------------------------------------------------------------------------------------------
// Sandbox helpers

async function setSettings(settings: Partial<PhpkbSettings>): Promise<void> {
  const response = await control(kbUrl, 'settings', 'POST', settings);
  expect(response.status, await response.clone().text()).toBe(200);
}

async function kbUsers(): Promise<PhpkbUser[]> {
  const response = await control(kbUrl, 'settings');
  expect(response.status).toBe(200);
  return ((await response.json()) as PhpkbSettings).users;
}

async function addFaults(rules: FaultRule | FaultRule[]): Promise<void> {
  const response = await control(kbUrl, 'faults', 'POST', rules);
  expect(response.status, await response.clone().text()).toBe(200);
}

async function ssoRequests(): Promise<RecordedRequest[]> {
  const response = await fetch(`${kbUrl}/__sandbox/requests?path=${encodeURIComponent(SSO_PATH)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RecordedRequest[];
}

function queryValue(request: RecordedRequest | undefined, name: string): string | undefined {
  const value = request?.query[name];
  return Array.isArray(value) ? value.join(',') : value;
}

interface Followed {
  location: string;
  cookie: string;
}

/** Opens a sign-in URL as the browser tab would, without following the KB's redirect. */
async function follow(url: string): Promise<Followed> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status, await response.clone().text()).toBe(302);
  const location = response.headers.get('location');
  if (location === null) throw new Error('the KB sent no Location');
  const cookie = cookiePair(response);
  expect(cookie).toMatch(/^phpkb_session=.+/);
  return { location, cookie };
}

async function page(path: string, cookie: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${kbUrl}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

function openUrl(output: LaunchOutput): URL {
  const { instruction } = output;
  if (!('open' in instruction)) throw new Error(`expected an { open } instruction, got ${JSON.stringify(instruction)}`);
  return new URL(instruction.open);
}

/** Runs the call, expects it to fail with `code`, and checks the message is fit to show a clinician. */
async function expectLaunchError(run: Promise<unknown>, code: string, neverShown: readonly string[] = []): Promise<LaunchError> {
  const error: unknown = await run.then(
    (output) => new Error(`expected a LaunchError, got ${JSON.stringify(output)}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(LaunchError);
  const launchError = error as LaunchError;
  expect(launchError.code).toBe(code);
  expectReadableMessage(launchError.message, neverShown);
  const documented = /^phpkb-(\d{3}E\d)$/.exec(code)?.[1];
  if (documented !== undefined) {
    // The code stays in the sentence, so the service desk can look it up.
    expect(launchError.message).toBe(PHPKB_ERROR_SENTENCES[documented]);
    expect(launchError.message).toContain(documented);
  }
  return launchError;
}

function expectReadableMessage(message: string, neverShown: readonly string[] = []): void {
  expect(message).toMatch(/^[A-Z][^\n\r]{10,}[.!?]$/);
  expect(message.length).toBeLessThan(300);
  // No URLs, addresses or SSO parameters.
  expect(message).not.toMatch(/[a-z][a-z0-9+.-]*:\/\//i);
  expect(message).not.toContain('127.0.0.1');
  expect(message).not.toContain('sso.php');
  expect(message).not.toMatch(/\b(?:query|hash|mode)=/i);
  // No hash (64 hex digits) and no long base64 run (a signed query).
  expect(message).not.toMatch(/[0-9a-f]{64}/i);
  expect(message).not.toMatch(/[A-Za-z0-9+/]{32,}/);
  for (const secret of [...NEVER_SHOWN, ...neverShown]) expect(message).not.toContain(secret);
}

/** A loopback port that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// ---------------------------------------------------------------------------------------------------------------

describe('PHPKB connector: signed query and URLs', () => {
  it('phpkbSignedQuery: standard padded base64 of the form-encoded fields, hash = lowercase hex sha256(query + secret)', async () => {
    const fields = { username: 'dr.jones', name: 'Dr Alice Jones', email: 'alice.jones@riverside.example.nhs.uk', t: FIXED_T };
    const { query, hash } = await phpkbSignedQuery(fields, SECRET);
    expect(decodeQuery(query)).toBe('username=dr.jones&name=Dr+Alice+Jones&email=alice.jones%40riverside.example.nhs.uk&t=1700000000');
    expect(query.endsWith('=')).toBe(true);
    expect(hash).toBe(sha256Hex(query + SECRET));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    // The secret is appended as is: no separator, and it changes the hash.
    expect(hash).not.toBe(sha256Hex(`${query}+${SECRET}`));
    expect((await phpkbSignedQuery(fields, WRONG_SECRET)).hash).toBe(sha256Hex(query + WRONG_SECRET));
  });

  it('phpkbLoginUrl: <kb>/sso.php?mode=login&query=..&hash=.. with username, name, email and t in that order', async () => {
    const href = await phpkbLoginUrl(config(), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS);
    const url = new URL(href);
    expect(url.origin).toBe(kbUrl);
    expect(url.pathname).toBe('/sso.php');
    expect(url.hash).toBe('');
    expect(rawUrlParams(href).map(([key]) => key)).toEqual(['mode', 'query', 'hash']);
    expect(urlParam(href, 'mode')).toBe('login');
    expect(verifySigned(href)).toEqual([
      ['username', ALICE.id],
      ['name', ALICE.name],
      ['email', ALICE.email],
      ['t', FIXED_T],
    ]);
    // A kbUrl with a trailing slash gives the same address.
    expect(await phpkbLoginUrl(config({ kbUrl: `${kbUrl}/` }), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS)).toBe(href);
  });

  it('encodes a name and email full of special characters exactly, and the URL carries the query unchanged', async () => {
    const href = await phpkbLoginUrl(config(), SECRET, ZOE, FIXED_NOW_MS);
    const query = urlParam(href, 'query');
    expect(decodeQuery(query)).toBe(
      'username=zoe.o%27brien-smith' +
        '&name=Zo%C3%AB+O%27Brien-Smith+%26+%22Co%22+%3D+A%2BB+%2F+Ward' +
        '&email=zoe.o%27brien%2Bkb%40example.org' +
        '&t=1700000000',
    );
    expect(verifySigned(href)).toEqual([
      ['username', ZOE.username],
      ['name', ZOE.displayName],
      ['email', ZOE.email],
      ['t', FIXED_T],
    ]);
    // Every base64 character that a URL would change ('+', '/', '=') is %-encoded in the URL, so a PHP
    // server reads back exactly the string that was hashed.
    const rawQuery = /[?&]query=([^&]*)/.exec(new URL(href).search)?.[1] ?? '';
    expect(rawQuery).not.toMatch(/[+/=]/);
    expect(new URL(href).searchParams.get('query')).toBe(query);
  });

  it.each([
    ['spaces and symbols', `Zoë O'Brien-Smith & "Co" = A+B / Ward`],
    ['symbols and Latin-1 letters', '>>>???~~~\u00fe\u00ff\u00fb\u00ef\u00bf'],
    ['emoji and CJK', '\u{1F9D1}\u200D\u2695\uFE0F \u738B\u533B\u751F'],
    ['percent signs', '100% sure %41 %zz'],
  ])('any name (%s) round-trips through base64, the URL and the hash', async (_label, name) => {
    const clinician: ClinicianProfile = { displayName: name, username: 'x.y', email: 'x.y+tag@example.org' };
    const href = await phpkbLoginUrl(config({ sendTimestamp: false }), SECRET, clinician, FIXED_NOW_MS);
    expect(verifySigned(href)).toEqual([
      ['username', 'x.y'],
      ['name', name],
      ['email', 'x.y+tag@example.org'],
    ]);
  });

  it('the signed query never holds + or / (its text is ASCII form encoding); its = padding is %-encoded in the URL', async () => {
    // PHP reads an unencoded '+' in a URL as a space, which would break the hash. Form encoding leaves only
    // A-Z a-z 0-9 * - . _ % + = & in the text, and no 3-byte group of those base64-encodes to '+' or '/'.
    let printable = '';
    for (let code = 0x20; code < 0x7f; code++) printable += String.fromCharCode(code);
    for (const name of [printable, `${printable}\u00e9\u00fe\u00ff\u{1F9D1}`, ZOE.displayName]) {
      for (const shift of ['', 'a', 'ab']) {
        const { query } = await phpkbSignedQuery({ username: `${shift}x`, name, email: ZOE.email }, SECRET);
        expect(query).not.toMatch(/[+/]/);
      }
    }
    const href = await phpkbLoginUrl(config(), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS);
    const query = urlParam(href, 'query');
    expect(query).toMatch(/=$/);
    const rawQuery = /[?&]query=([^&]*)/.exec(new URL(href).search)?.[1];
    expect(rawQuery).toBe(query.replace(/=/g, '%3D'));
  });

  it('sendTimestamp: false omits t; t is whole Unix seconds, rounded down', async () => {
    const withT = verifySigned(await phpkbLoginUrl(config(), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS));
    expect(new Map(withT).get('t')).toBe(FIXED_T);
    const withoutT = verifySigned(await phpkbLoginUrl(config({ sendTimestamp: false }), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS));
    expect(withoutT.map(([key]) => key)).toEqual(['username', 'name', 'email']);
    expect(phpkbLoginFields(config({ sendTimestamp: false }), clinicianFrom(ALICE), FIXED_NOW_MS)).toEqual({
      username: ALICE.id,
      name: ALICE.name,
      email: ALICE.email,
    });
  });

  it('groups (comma-separated) and language (dl) follow t in the signed query', async () => {
    const href = await phpkbLoginUrl(config({ groups: [3, 4], language: 'en-GB' }), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS);
    expect(verifySigned(href)).toEqual([
      ['username', ALICE.id],
      ['name', ALICE.name],
      ['email', ALICE.email],
      ['t', FIXED_T],
      ['groups', '3,4'],
      ['dl', 'en-GB'],
    ]);
    expect(rawUrlParams(href).map(([key]) => key)).toEqual(['mode', 'query', 'hash']);
  });

  it('deepLink adds redirecttype and redirectid outside the signed query', async () => {
    const plain = await phpkbLoginUrl(config(), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS);
    const linked = await phpkbLoginUrl(config({ deepLink: { type: 'article', id: 180 } }), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS);
    expect(rawUrlParams(linked)).toEqual([...rawUrlParams(plain), ['redirecttype', 'article'], ['redirectid', '180']]);
    const category = await phpkbLoginUrl(config({ deepLink: { type: 'category', id: 11 } }), SECRET, clinicianFrom(ALICE), FIXED_NOW_MS);
    expect(rawUrlParams(category).slice(3)).toEqual([
      ['redirecttype', 'category'],
      ['redirectid', '11'],
    ]);
  });

  it('phpkbLogoutUrl: mode=logout signed over username (and t) only', async () => {
    const href = await phpkbLogoutUrl(config({ groups: [3], language: 'en', deepLink: { type: 'article', id: 180 } }), SECRET, ZOE, FIXED_NOW_MS);
    expect(new URL(href).pathname).toBe('/sso.php');
    expect(rawUrlParams(href).map(([key]) => key)).toEqual(['mode', 'query', 'hash']);
    expect(urlParam(href, 'mode')).toBe('logout');
    expect(verifySigned(href)).toEqual([
      ['username', ZOE.username],
      ['t', FIXED_T],
    ]);
    const untimed = await phpkbLogoutUrl(config({ sendTimestamp: false }), SECRET, ZOE, FIXED_NOW_MS);
    expect(verifySigned(untimed)).toEqual([['username', ZOE.username]]);
  });
});

describe('PHPKB connector: configuration schema', () => {
  it('fills the defaults and strips a trailing slash', () => {
    const parsed = config({ kbUrl: `${kbUrl}/` });
    expect(parsed).toMatchObject({ kbUrl, sendTimestamp: true, groups: [], preflight: true, timeoutMs: 10_000, prefetch: 'click' });
    expect(parsed.language).toBeUndefined();
    expect(parsed.deepLink).toBeUndefined();
    expect(phpkbConnector.launchOrigins(config({ kbUrl: `${kbUrl}/kb` }))).toEqual([kbUrl]);
    expect(phpkbConnector.secretNames).toEqual(['secretToken']);
  });

  it.each([
    ['a plain http address', { kbUrl: 'http://kb.example.org' }],
    ['a query in kbUrl', { kbUrl: `${kbUrl}/?x=1` }],
    ['a language that is not a code', { language: 'English' }],
    ['a deep link id of 0', { deepLink: { type: 'article', id: 0 } }],
    ['a deep link of another type', { deepLink: { type: 'faq', id: 1 } }],
    ['a group id of 0', { groups: [0] }],
    ['a time limit under a second', { timeoutMs: 999 }],
    ['an unknown key', { secretToken: SECRET }],
  ])('rejects %s', (_label, overrides) => {
    expect(phpkbConnector.configSchema.safeParse(configInput(overrides)).success).toBe(false);
  });
});

describe('PHPKB connector: sign-in', () => {
  it('answers { open } on the KB, after a JSON preflight without cookies; the link signs dr.jones in', async () => {
    const output = await phpkbConnector.buildLaunch(launchInput());
    expect(Object.keys(output.instruction)).toEqual(['open']);
    expect(output.notice).toBeUndefined();
    const url = openUrl(output);
    expect(url.origin).toBe(kbUrl);
    expect(phpkbConnector.launchOrigins(config())).toContain(url.origin);
    expect(url.pathname).toBe('/sso.php');
    verifySigned(url.href);

    const requests = await ssoRequests();
    expect(requests).toHaveLength(1);
    const [preflight] = requests;
    expect(preflight?.method).toBe('GET');
    expect(preflight?.status).toBe(302);
    expect(preflight?.fault).toBeUndefined();
    expect(preflight?.headers['accept']).toBe('application/json');
    expect(preflight?.headers['cookie']).toBeUndefined();
    expect(preflight?.headers['referer']).toBeUndefined();
    // The preflight asked for exactly the URL the tab will open.
    expect(queryValue(preflight, 'query')).toBe(url.searchParams.get('query'));
    expect(queryValue(preflight, 'hash')).toBe(url.searchParams.get('hash'));

    const { location, cookie } = await follow(url.href);
    expect(location).toBe('/');
    const { status, html } = await page(location, cookie);
    expect(status).toBe(200);
    expect(testId(html, 'signed-in-username')).toBe(ALICE.id);
    expect(testId(html, 'signed-in-name')).toBe(ALICE.name);
    expect(testId(html, 'hash-verified')).toBe('true');
    expect(Number(testId(html, 'timestamp-age-s'))).toBeLessThanOrEqual(5);
    expect(testId(html, 'not-signed-in')).toBeUndefined();
  });

  it('deepLink article 180 lands on the private article, which dr.jones (group 3) may read', async () => {
    const url = openUrl(await phpkbConnector.buildLaunch(launchInput({ config: config({ deepLink: { type: 'article', id: 180 } }) })));
    expect(url.searchParams.get('redirecttype')).toBe('article');
    expect(url.searchParams.get('redirectid')).toBe('180');
    expect((await ssoRequests()).map((r) => r.status)).toEqual([302]);

    const { location, cookie } = await follow(url.href);
    expect(location).toBe('/article.php?id=180');
    const { status, html } = await page(location, cookie);
    expect(status).toBe(200);
    expect(testId(html, 'article-title')).toBe(PRIVATE_ARTICLE.title);
    expect(testId(html, 'signed-in-username')).toBe(ALICE.id);
    expect(testId(html, 'signed-in-groups')).toBe('2,3');
  });

  it('deepLink category 11 lands on the category page', async () => {
    const url = openUrl(await phpkbConnector.buildLaunch(launchInput({ config: config({ deepLink: { type: 'category', id: 11 } }) })));
    const { location, cookie } = await follow(url.href);
    expect(location).toBe('/category.php?id=11');
    const { status, html } = await page(location, cookie);
    expect(status).toBe(200);
    expect(testId(html, 'category-title')).toBe('Prescribing');
  });

  it('auto-creates a new user with a special-character name, exactly as sent, with the configured groups', async () => {
    const output = await phpkbConnector.buildLaunch(launchInput({ clinician: ZOE, config: config({ groups: [3, 99], language: 'en' }) }));
    expect((await ssoRequests()).map((r) => r.status)).toEqual([302]);
    // The preflight itself created the account (default group 2, plus 3; the unknown 99 is dropped).
    expect((await kbUsers()).find((u) => u.username === ZOE.username)).toEqual({
      username: ZOE.username,
      name: ZOE.displayName,
      email: ZOE.email,
      groups: [2, 3],
      active: true,
    });

    const { location, cookie } = await follow(openUrl(output).href);
    expect(location).toBe('/');
    const { html } = await page(location, cookie);
    expect(testId(html, 'signed-in-username')).toBe(ZOE.username);
    expect(testId(html, 'signed-in-name')).toBe(ZOE.displayName);
    expect(testId(html, 'signed-in-email')).toBe(ZOE.email);
    expect(testId(html, 'signed-in-groups')).toBe('2,3');
    expect(testId(html, 'hash-verified')).toBe('true');
  });

  it('sendTimestamp: false works when the KB does not verify timestamps', async () => {
    await setSettings({ verifyTimestamp: false });
    const output = await phpkbConnector.buildLaunch(launchInput({ config: config({ sendTimestamp: false }) }));
    const { cookie } = await follow(openUrl(output).href);
    const { html } = await page('/', cookie);
    expect(testId(html, 'signed-in-username')).toBe(ALICE.id);
    expect(testId(html, 'timestamp-age-s')).toBe('none');
  });

  it('preflight: false makes no request at all, even when the KB would refuse', async () => {
    await setSettings({ enabled: false });
    const output = await phpkbConnector.buildLaunch(launchInput({ config: config({ preflight: false }), fetch: () => Promise.reject(new Error('no request expected')) }));
    expect(openUrl(output).pathname).toBe('/sso.php');
    expect(await ssoRequests()).toEqual([]);
  });

  it('no secret on this computer: setup-needed, and nothing is sent', async () => {
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput({ secrets: {} })), 'setup-needed');
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput({ secrets: { secretToken: '' } })), 'setup-needed');
    await expectLaunchError(phpkbConnector.signOut!(signOutInput({ secrets: {} })), 'setup-needed');
    expect(await ssoRequests()).toEqual([]);
  });
});

interface ErrorCase {
  code: string;
  why: string;
  settings?: Partial<PhpkbSettings>;
  config?: Record<string, unknown>;
  clinician?: ClinicianProfile;
  secret?: string;
}

const ERROR_CASES: readonly ErrorCase[] = [
  { code: '503E1', why: 'SSO switched off', settings: { enabled: false } },
  { code: '401E2', why: 'Domains Allowed set (no Referer from the background)', settings: { domainsAllowed: ['ehr.example.nhs.uk'] } },
  { code: '401E1', why: 'wrong secret token', secret: WRONG_SECRET },
  { code: '400E3', why: 'desktop clock 10 minutes behind the KB', settings: { clockOffsetSeconds: 600 } },
  { code: '404E1', why: 'inactive user locum.gray', clinician: clinicianFrom(GRAY) },
  {
    code: '404E2',
    why: 'unknown user with auto-create off',
    settings: { autoCreate: false },
    clinician: { displayName: 'Dr New Starter', username: 'new.starter', email: 'new.starter@riverside.example.nhs.uk' },
  },
  {
    code: '400E4',
    why: 'a username differing only by case from dr.jones',
    clinician: { displayName: ALICE.name, username: ALICE.id.toUpperCase(), email: ALICE.email },
  },
  { code: '500E1', why: 'database down', settings: { databaseDown: true } },
  { code: '400E1', why: 'Verify Timestamp on but t not sent', config: { sendTimestamp: false } },
  { code: '400E1', why: 'a blank name', clinician: { displayName: '   ', username: ALICE.id, email: ALICE.email } },
  { code: '400E2', why: 'a malformed email in the clinician profile', clinician: { displayName: ALICE.name, username: ALICE.id, email: 'alice.jones' } },
];

describe('PHPKB connector: every documented error code through buildLaunch', () => {
  it.each(ERROR_CASES)('$code: $why', async (c) => {
    if (c.settings) await setSettings(c.settings);
    const now = Date.now();
    const input = launchInput({
      now: () => now,
      ...(c.config ? { config: config(c.config) } : {}),
      ...(c.clinician ? { clinician: c.clinician } : {}),
      ...(c.secret ? { secrets: { secretToken: c.secret } } : {}),
    });
    const launchUrl = await phpkbLoginUrl(input.config, input.secrets.secretToken ?? '', input.clinician, now);
    const url = new URL(launchUrl);
    const neverShown = [launchUrl, url.search, url.searchParams.get('query') ?? '', url.searchParams.get('hash') ?? ''];

    await expectLaunchError(phpkbConnector.buildLaunch(input), `phpkb-${c.code}`, neverShown);

    const requests = await ssoRequests();
    expect(requests.map((r) => [r.method, r.status, r.fault])).toEqual([['GET', Number(c.code.slice(0, 3)), undefined]]);
    expect(requests[0]?.headers['accept']).toBe('application/json');
    expect(queryValue(requests[0], 'hash')).toBe(url.searchParams.get('hash'));
  });

  it('400E4 creates no account and 404E2 creates none either', async () => {
    await expectLaunchError(
      phpkbConnector.buildLaunch(launchInput({ clinician: { ...clinicianFrom(ALICE), username: 'Dr.Jones' } })),
      'phpkb-400E4',
    );
    await setSettings({ autoCreate: false });
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput({ clinician: ZOE })), 'phpkb-404E2');
    expect((await kbUsers()).map((u) => u.username)).toEqual(PHPKB.settings.users.map((u) => u.username));
  });

  it('every documented code has a sentence that contains it, and the sentences are distinct', () => {
    const codes = ['400E1', '400E2', '400E3', '400E4', '401E1', '401E2', '404E1', '404E2', '500E1', '503E1'];
    expect(Object.keys(PHPKB_ERROR_SENTENCES).sort()).toEqual(codes);
    for (const code of codes) {
      const sentence = PHPKB_ERROR_SENTENCES[code] ?? '';
      expect(sentence).toContain(code);
      expectReadableMessage(sentence);
    }
    expect(new Set(Object.values(PHPKB_ERROR_SENTENCES)).size).toBe(codes.length);
  });
});

describe('PHPKB connector: reading error answers (phpkbError, phpkbErrorCode)', () => {
  it('400E2 from the JSON answer the KB gives a bad deep link', async () => {
    // An invalid redirecttype is 400E2 at the KB; the config schema cannot produce one, so ask the KB directly.
    const href = new URL(await phpkbLoginUrl(config(), SECRET, clinicianFrom(ALICE), Date.now()));
    href.searchParams.set('redirecttype', 'faq');
    href.searchParams.set('redirectid', '1');
    const response = await fetch(href, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ success: false, code: '400E2' });
    expect(phpkbErrorCode(body)).toBe('400E2');
    const error = phpkbError(response.status, body);
    expect(error.code).toBe('phpkb-400E2');
    expect(error.message).toBe(PHPKB_ERROR_SENTENCES['400E2']);
  });

  it('400E2 from the KB HTML error page', async () => {
    const href = new URL(await phpkbLoginUrl(config(), SECRET, clinicianFrom(ALICE), Date.now()));
    href.searchParams.set('redirectid', 'x');
    const response = await fetch(href, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(testId(html, 'phpkb-error-code')).toBe('400E2');
    expect(phpkbErrorCode(html)).toBe('400E2');
    const error = phpkbError(400, html);
    expect(error.code).toBe('phpkb-400E2');
    expectReadableMessage(error.message);
  });

  it.each([
    ['JSON', JSON.stringify({ success: false, status: 400, code: '400E2', message: 'Invalid URL parameter received.' }), '400E2'],
    ['HTML', '<html><body><p>Error code: <strong>400E2</strong></p></body></html>', '400E2'],
    ['plain text', 'SSO error 401E1: Authentication failed', '401E1'],
    ['JSON without a documented code', JSON.stringify({ success: false, code: 'E999' }), null],
    ['a code-like word that is not documented', 'Error 404E3', null],
    ['a code inside a longer word', 'ref X400E2Y', null],
    ['an empty body', '', null],
  ])('phpkbErrorCode reads %s', (_label, body, code) => {
    expect(phpkbErrorCode(body)).toBe(code);
  });

  it('a JSON code wins over a different code in the text', () => {
    expect(phpkbErrorCode(JSON.stringify({ code: '503E1', message: 'see 401E1' }))).toBe('503E1');
  });

  it('an answer without a code maps by status: phpkb-http-<status>', () => {
    const error = phpkbError(418, '<html>teapot</html>');
    expect(error.code).toBe('phpkb-http-418');
    expect(error.message).toContain('HTTP 418');
    expectReadableMessage(error.message);
  });
});

describe('PHPKB connector: outages and broken answers', () => {
  it('an error page served with status 200 is still a refusal, by its code', async () => {
    await addFaults({ path: SSO_PATH, status: 200, body: '<html><p>Error 401E1: Authentication failed</p></html>' });
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput()), 'phpkb-401E1');
  });

  it('a page with status 200 and no code is taken as signed in', async () => {
    await addFaults({ path: SSO_PATH, status: 200, body: '<html>Welcome</html>' });
    const output = await phpkbConnector.buildLaunch(launchInput());
    expect('open' in output.instruction).toBe(true);
  });

  it('502 with a plain body and no code: phpkb-http-502', async () => {
    await addFaults({ path: SSO_PATH, status: 502, body: 'Bad Gateway' });
    const error = await expectLaunchError(phpkbConnector.buildLaunch(launchInput()), 'phpkb-http-502');
    expect(error.message).toContain('HTTP 502');
    expect((await ssoRequests()).map((r) => [r.status, r.fault])).toEqual([[502, 'status']]);
  });

  it('a proxy page that quotes a documented code still maps to the code', async () => {
    await addFaults({ path: SSO_PATH, status: 503, body: 'Upstream said: 503E1 SSO is not available.' });
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput()), 'phpkb-503E1');
  });

  it('an error body cut off before its code: still mapped by status', async () => {
    const body = `${'x'.repeat(400)} code 500E1`;
    await addFaults({ path: SSO_PATH, status: 500, body, truncate: true });
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput()), 'phpkb-http-500');
    expect((await ssoRequests()).map((r) => r.fault)).toEqual(['status,truncate']);
  });

  it("the KB's own JSON error answer cut off mid-body: phpkb-http-503 (the body is unreadable, the status is kept)", async () => {
    await setSettings({ enabled: false });
    await addFaults({ path: SSO_PATH, truncate: true });
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput()), 'phpkb-http-503');
    expect((await ssoRequests()).map((r) => [r.status, r.fault])).toEqual([[503, 'truncate']]);
  });

  it('an answer slower than timeoutMs: partner-timeout, without waiting for it', async () => {
    const delayMs = 1_400;
    await addFaults({ path: SSO_PATH, delayMs, times: 1 });
    const started = Date.now();
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput({ config: config({ timeoutMs: 1_000 }) })), 'partner-timeout');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(delayMs);
    // Let the delayed request finish here, so it cannot land in a later test's request record.
    await expect.poll(async () => (await ssoRequests()).map((r) => r.fault), { timeout: 2_000, interval: 50 }).toEqual(['delay']);
  });

  it('the launch deadline comes first: partner-timeout', async () => {
    await addFaults({ path: SSO_PATH, delayMs: 400, times: 1 });
    const started = Date.now();
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput({ signal: AbortSignal.timeout(150) })), 'partner-timeout');
    expect(Date.now() - started).toBeLessThan(400);
    await expect.poll(async () => (await ssoRequests()).map((r) => r.fault), { timeout: 2_000, interval: 50 }).toEqual(['delay']);
  });

  it('nothing listening: partner-unreachable', async () => {
    const deadUrl = `http://127.0.0.1:${await closedPort()}`;
    await expectLaunchError(phpkbConnector.buildLaunch(launchInput({ config: config({ kbUrl: deadUrl }) })), 'partner-unreachable');
  });
});

describe('PHPKB connector: sign-out', () => {
  async function signedInCookie(clinician: ClinicianProfile = clinicianFrom(ALICE)): Promise<string> {
    const output = await phpkbConnector.buildLaunch(launchInput({ clinician, config: config({ preflight: false }) }));
    const { location, cookie } = await follow(openUrl(output).href);
    expect(testId((await page(location, cookie)).html, 'signed-in-username')).toBe(clinician.username);
    return cookie;
  }

  it('POSTs a signed logout that ends the session (the background has no KB cookie)', async () => {
    const cookie = await signedInCookie();
    const other = await signedInCookie();
    const patel = await signedInCookie(clinicianFrom(fixture(CLINICIANS[1], 'dr.patel')));
    expect((await control(kbUrl, 'requests', 'DELETE')).status).toBe(200);

    await phpkbConnector.signOut!(signOutInput());

    const requests = await ssoRequests();
    expect(requests.map((r) => [r.method, r.status, r.fault])).toEqual([['POST', 200, undefined]]);
    const [logout] = requests;
    expect(queryValue(logout, 'mode')).toBe('logout');
    expect(logout?.headers['accept']).toBe('application/json');
    expect(logout?.headers['cookie']).toBeUndefined();
    const query = queryValue(logout, 'query') ?? '';
    expect(queryValue(logout, 'hash')).toBe(sha256Hex(query + SECRET));
    expect(phpParse(decodeQuery(query)).map(([key]) => key)).toEqual(['username', 't']);

    for (const session of [cookie, other]) {
      const { html } = await page('/', session);
      expect(testId(html, 'not-signed-in')).toBe('Not signed in');
      expect(testId(html, 'signed-in-username')).toBeUndefined();
    }
    // Another clinician's session is untouched.
    expect(testId((await page('/', patel)).html, 'signed-in-username')).toBe('dr.patel');
  });

  it('signing out with no session is still a success', async () => {
    await expect(phpkbConnector.signOut!(signOutInput())).resolves.toBeUndefined();
    expect((await ssoRequests()).map((r) => [r.method, r.status])).toEqual([['POST', 200]]);
  });

  it('wrong secret on sign-out: phpkb-401E1, and the session stays', async () => {
    const cookie = await signedInCookie();
    const error = await expectLaunchError(phpkbConnector.signOut!(signOutInput({ secrets: { secretToken: WRONG_SECRET } })), 'phpkb-401E1');
    expect(error.message).toContain('401E1');
    const posts = (await ssoRequests()).filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.status)).toEqual([401]);
    expect(testId((await page('/', cookie)).html, 'signed-in-username')).toBe(ALICE.id);
  });

  it('sign-out refusals keep their documented codes (503E1, 400E1 without t)', async () => {
    await expectLaunchError(phpkbConnector.signOut!(signOutInput({ config: config({ sendTimestamp: false }) })), 'phpkb-400E1');
    await setSettings({ enabled: false });
    await expectLaunchError(phpkbConnector.signOut!(signOutInput()), 'phpkb-503E1');
  });

  it('phpkbLogoutUrl by GET also works: 302 to / and the session is over', async () => {
    const cookie = await signedInCookie();
    const href = await phpkbLogoutUrl(config(), SECRET, clinicianFrom(ALICE), Date.now());
    const response = await fetch(href, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.get('set-cookie')).toMatch(/^phpkb_session=/);
    const { html } = await page('/', cookie);
    expect(testId(html, 'not-signed-in')).toBe('Not signed in');
  });
});
