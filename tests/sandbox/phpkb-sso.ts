import { createHash } from 'node:crypto';
import type { PhpkbSettings, PhpkbUser } from './fixtures';
import { secretsEqual } from './http-kit';
import { fail } from './phpkb-errors';

/**
 * The checks behind PHPKB's sso.php, as pure functions. Order (first failure wins):
 *
 *  1. 503E1 SSO disabled
 *  2. 401E2 Referer host not in domainsAllowed (only when the list is non-empty)
 *  3. 400E1 mode missing; 400E2 mode not login/logout; 400E2 login not sent by GET
 *  4. 400E1 query or hash missing (login always; logout only when one of them is given)
 *  5. 400E2/400E1 deep link: redirecttype not article|category, redirectid missing or not a positive integer
 *  6. 401E1 hash != lowercase hex sha256(query + secretToken)  (authenticate before parsing)
 *  7. 400E2 query not strict, padded, standard base64 of UTF-8; malformed %-escapes; a repeated key
 *  8. 400E1 username / name / email missing (logout: username only); t missing while verifyTimestamp is on
 *  9. 400E2 email malformed, groups not comma-separated integers, t not an integer, dl malformed
 * 10. 400E3 t older than expiryMinutes, or more than 5 minutes in the future (verifyTimestamp on)
 * then, for login only, the database part (resolveLoginUser):
 * 11. 500E1 database down
 * 12. 404E1 user exists but is inactive
 * 13. 404E2 user not found and autoCreate off
 * 14. 400E4 autoCreate would add a username equal to an existing one except for letter case
 */

export interface DeepLink {
  type: 'article' | 'category';
  id: number;
}

export interface SignedIdentity {
  username: string;
  name: string;
  email: string;
  /** Unix seconds, when sent. */
  t: number | null;
  groups: number[];
  dl: string | null;
}

export type SsoCall =
  | { mode: 'login'; identity: SignedIdentity; deepLink: DeepLink | null }
  | { mode: 'logout'; identity: Pick<SignedIdentity, 'username' | 't'> | null };

export interface SsoInput {
  method: string;
  /** A request parameter, from the URL query string (POST: or a form body). */
  param(name: string): string | null;
  referer: string | undefined;
}

const FUTURE_TOLERANCE_S = 5 * 60;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function expectedHash(query: string, secretToken: string): string {
  return createHash('sha256').update(query + secretToken, 'utf8').digest('hex');
}

function checkReferer(referer: string | undefined, allowed: readonly string[]): void {
  if (allowed.length === 0) return;
  if (!referer) fail('401E2', 'Referer header missing; domainsAllowed is set');
  let host: string;
  try {
    host = new URL(referer).hostname.toLowerCase();
  } catch {
    return fail('401E2', 'Referer header is not a URL');
  }
  if (!allowed.some((domain) => domain.toLowerCase() === host)) fail('401E2', `Referer host ${host} is not in domainsAllowed`);
}

function checkDeepLink(input: SsoInput): DeepLink | null {
  const type = input.param('redirecttype');
  const id = input.param('redirectid');
  if (type === null || type === '') {
    if (id !== null && id !== '') fail('400E2', 'redirectid given without redirecttype');
    return null;
  }
  if (type !== 'article' && type !== 'category') fail('400E2', `redirecttype must be article or category, got ${type}`);
  if (id === null || id === '') fail('400E1', 'redirectid is required with redirecttype');
  if (!/^[1-9]\d*$/.test(id)) fail('400E2', 'redirectid must be a positive integer');
  return { type, id: Number(id) };
}

/** Decodes the query exactly: strict base64, valid UTF-8, well-formed form encoding, no repeated keys. */
function decodeQuery(query: string): Map<string, string> {
  if (!BASE64.test(query)) fail('400E2', 'query is not standard padded base64 (was it URL-encoded in the SSO URL?)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(query, 'base64'));
  } catch {
    return fail('400E2', 'query does not decode to UTF-8 text');
  }
  const params = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    if (/%(?![0-9A-Fa-f]{2})/.test(pair)) fail('400E2', `malformed %-escape in query parameter ${rawKey}`);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return fail('400E2', `query parameter ${rawKey} is not valid UTF-8 after URL decoding`);
    }
    if (params.has(key)) fail('400E2', `query parameter ${key} appears more than once`);
    params.set(key, value);
  }
  return params;
}

function readTimestamp(params: Map<string, string>, settings: PhpkbSettings, nowSeconds: number): number | null {
  const raw = params.get('t');
  if (raw === undefined || raw === '') {
    if (settings.verifyTimestamp) fail('400E1', 't is required because verifyTimestamp is on');
    return null;
  }
  if (!/^\d+$/.test(raw)) fail('400E2', 't must be an integer (Unix seconds)');
  const t = Number(raw);
  if (settings.verifyTimestamp) {
    const age = nowSeconds - t;
    if (t > 1e11) fail('400E3', 't is far in the future: it looks like milliseconds; send Unix seconds');
    if (-age > FUTURE_TOLERANCE_S) fail('400E3', `t is ${-age} s in the future (tolerance ${FUTURE_TOLERANCE_S} s)`);
    if (age > settings.expiryMinutes * 60) fail('400E3', `t is ${age} s old; expiry is ${settings.expiryMinutes} min`);
  }
  return t;
}

function required(params: Map<string, string>, name: string): string {
  const value = params.get(name);
  if (value === undefined || value.trim() === '') return fail('400E1', `${name} is missing from query`);
  return value;
}

function readSigned(input: SsoInput, settings: PhpkbSettings, mode: 'login' | 'logout', nowSeconds: number) {
  const query = input.param('query') ?? '';
  const hash = input.param('hash') ?? '';
  if (query === '') fail('400E1', 'query parameter is missing');
  if (hash === '') fail('400E1', 'hash parameter is missing');
  const deepLink = mode === 'login' ? checkDeepLink(input) : null;
  if (!secretsEqual(hash, expectedHash(query, settings.secretToken))) {
    fail('401E1', 'hash must be lowercase hex sha256(query + secretToken), computed over the base64 query exactly as sent');
  }
  const params = decodeQuery(query);
  const username = required(params, 'username');
  if (mode === 'logout') {
    return { deepLink, identity: { username, name: '', email: '', t: readTimestamp(params, settings, nowSeconds), groups: [], dl: null } };
  }
  const name = required(params, 'name');
  const email = required(params, 'email');
  // Presence of t is a "missing parameter" problem, so check it before format problems.
  if (settings.verifyTimestamp && !params.get('t')) fail('400E1', 't is required because verifyTimestamp is on');
  if (!EMAIL.test(email)) fail('400E2', 'email is not a valid address');
  const groupsRaw = params.get('groups') ?? '';
  if (groupsRaw !== '' && !/^\d+(,\d+)*$/.test(groupsRaw)) fail('400E2', 'groups must be comma-separated integers');
  const groups = groupsRaw === '' ? [] : groupsRaw.split(',').map(Number);
  const dl = params.get('dl') ?? null;
  if (dl !== null && !/^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$/.test(dl)) fail('400E2', 'dl must be a language code such as en');
  const t = readTimestamp(params, settings, nowSeconds);
  return { deepLink, identity: { username, name, email, t, groups, dl } };
}

/** Request-level checks 1-10. */
export function checkSsoRequest(input: SsoInput, settings: PhpkbSettings, nowSeconds: number): SsoCall {
  if (!settings.enabled) fail('503E1', 'SSO is disabled in the KB settings');
  checkReferer(input.referer, settings.domainsAllowed);
  const mode = input.param('mode');
  if (mode === null || mode === '') fail('400E1', 'mode parameter is missing');
  if (mode !== 'login' && mode !== 'logout') fail('400E2', `mode must be login or logout, got ${mode}`);
  if (mode === 'login') {
    if (input.method !== 'GET') fail('400E2', 'mode=login must be sent with GET');
    const { identity, deepLink } = readSigned(input, settings, 'login', nowSeconds);
    return { mode, identity, deepLink };
  }
  const signed = (input.param('query') ?? '') !== '' || (input.param('hash') ?? '') !== '';
  if (!signed) return { mode, identity: null };
  const { identity } = readSigned(input, settings, 'logout', nowSeconds);
  return { mode, identity: { username: identity.username, t: identity.t } };
}

/** Database checks 11-14. Returns the user to sign in, creating it when allowed. */
export function resolveLoginUser(identity: SignedIdentity, settings: PhpkbSettings, knownGroupIds: readonly number[]): { user: PhpkbUser; created: boolean } {
  if (settings.databaseDown) fail('500E1', 'the knowledge base database is unavailable (databaseDown)');
  const existing = settings.users.find((u) => u.username === identity.username);
  if (existing) {
    if (!existing.active) fail('404E1', `user ${identity.username} is inactive`);
    return { user: existing, created: false };
  }
  if (!settings.autoCreate) fail('404E2', `user ${identity.username} not found and autoCreate is off`);
  const clash = settings.users.find((u) => u.username.toLowerCase() === identity.username.toLowerCase());
  if (clash) fail('400E4', `username ${identity.username} differs only by letter case from existing ${clash.username}`);
  // Unknown group ids are dropped, as a group that does not exist cannot be assigned.
  const groups = [...new Set([...settings.defaultGroups, ...identity.groups])].filter((id) => knownGroupIds.includes(id)).sort((a, b) => a - b);
  const user: PhpkbUser = { username: identity.username, name: identity.name, email: identity.email, groups, active: true };
  return { user, created: true };
}
