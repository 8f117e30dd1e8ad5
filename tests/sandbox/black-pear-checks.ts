import { compactVerify, createLocalJWKSet, errors } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { headerValue, isPlainObject } from './http-kit';
import type { SandboxRequest } from './types';

/**
 * The checks behind Black Pear's `POST /launch/v1`, in the order the simulator applies them (first failure wins):
 *
 *  1. 403 address                 socket peer address not in allowedAddresses
 *  2. 405 method                  not POST
 *     415 content-type            not application/x-www-form-urlencoded (charset, if any, utf-8)
 *     400 missing-field           client_assertion, subject_token, patient or birthdate missing or empty; any field
 *                                 (location too) sent more than once; location sent empty
 *  3. 400 patient                 not https://fhir.nhs.uk/Id/nhs-number|<10 digits, valid Modulus 11 check digit>
 *     400 birthdate               not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD), not a real date, or in the future
 *  4. for client_assertion, then subject_token (codes prefixed `client_assertion.` / `subject_token.`):
 *     400 malformed               not a compact JWS with JSON-object header and payload
 *     401 alg                     header alg not ES256 or RS256 (none, HS256 and everything else refused)
 *     401 kid                     header kid missing, not enrolled, or its key cannot verify that alg
 *     401 signature               signature does not verify with the enrolled key
 *     401 iss                     iss not in issuers
 *     401 aud                     aud (string, or array) does not contain <origin>/launch/v1
 *     401 iat / nbf / exp         claim missing or not a number
 *     401 nbf                     nbf > now + skew
 *     401 exp                     exp <= now - skew
 *     401 iat                     iat > now + skew
 *     401 lifetime                exp - iat > maxLifetimeSeconds, or exp <= iat
 *     401 jti                     jti missing or empty
 *     401 jti-replay              jti already seen for this issuer (one namespace per issuer, both token kinds)
 *  5. 401 client_assertion.sub    client_assertion sub !== iss
 *  6. 403 subject_token.claims    a claim of the NHS SSP access-token shape is missing or wrong (the message and
 *                                 `claim` name it): requesting_organization, requesting_user, requesting_user_name,
 *                                 requesting_user_role, requesting_system, reason_for_request, requested_scope, sub
 *                                 (sub must equal requesting_user: the NHS Spine security-token convention)
 */

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const SDS_ROLE_PROFILE_SYSTEM = 'https://fhir.nhs.uk/Id/sds-role-profile-id';
export const SDS_USER_SYSTEM = 'https://fhir.nhs.uk/Id/sds-user-id';
export const ACCREDITED_SYSTEM = 'https://fhir.nhs.uk/Id/accredited-system';
export const REASON_FOR_REQUEST = 'directcare';
export const REQUESTED_SCOPE = 'patient/*.read';
export const ALLOWED_ALGS = ['ES256', 'RS256'] as const;

const FORM_TYPE = 'application/x-www-form-urlencoded';
const REQUIRED_FIELDS = ['client_assertion', 'subject_token', 'patient', 'birthdate'] as const;
const KNOWN_FIELDS = [...REQUIRED_FIELDS, 'location'] as const;
const MAX_TOKEN_LENGTH = 16 * 1024;
/** NumericDate values above this are milliseconds by mistake (year 5138 in seconds). */
const MILLISECONDS_HINT = 1e11;

export type TokenRole = 'client_assertion' | 'subject_token';

/** A refused launch: HTTP status, the documented code, a readable sentence, and for claim failures the claim. */
export class LaunchError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly claim?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function fail(status: number, code: string, message: string, claim?: string): never {
  throw new LaunchError(status, code, message, claim);
}

// ---- 1. address -------------------------------------------------------------------------------------------

export function checkAddress(remoteAddress: string, allowed: readonly string[]): void {
  const address = remoteAddress.toLowerCase();
  if (!allowed.some((entry) => entry.toLowerCase() === address)) {
    fail(403, 'address', `Requests from ${remoteAddress || 'an unknown address'} are not accepted: the address is not a recognised NHS network address.`);
  }
}

// ---- 2. method, content type, fields ----------------------------------------------------------------------

export interface LaunchForm {
  client_assertion: string;
  subject_token: string;
  patient: string;
  birthdate: string;
  location: string | null;
}

export function readLaunchForm(req: SandboxRequest): LaunchForm {
  if (req.method !== 'POST') throw new LaunchError(405, 'method', `Method ${req.method} is not allowed; use POST.`, undefined, { allow: 'POST' });
  const [mediaType = '', ...params] = (headerValue(req.headers['content-type']) ?? '').split(';');
  if (mediaType.trim().toLowerCase() !== FORM_TYPE) {
    fail(415, 'content-type', `The launch request must be sent as ${FORM_TYPE}, not ${mediaType.trim() || 'without a Content-Type'}.`);
  }
  for (const param of params) {
    const [name = '', value = ''] = param.split('=').map((part) => part.trim().toLowerCase());
    if (name === 'charset' && value.replace(/"/g, '') !== 'utf-8') fail(415, 'content-type', `The form must be UTF-8 encoded, not ${value}.`);
  }
  const form = new URLSearchParams(req.body);
  const repeated = KNOWN_FIELDS.filter((name) => form.getAll(name).length > 1);
  if (repeated.length > 0) fail(400, 'missing-field', `Each field must be sent once; sent more than once: ${repeated.join(', ')}.`);
  const missing = REQUIRED_FIELDS.filter((name) => (form.get(name) ?? '') === '');
  if (missing.length > 0) fail(400, 'missing-field', `Required fields are missing or empty: ${missing.join(', ')}.`);
  const location = form.get('location');
  if (location === '') fail(400, 'missing-field', 'location is optional, but when sent it must not be empty.');
  return {
    client_assertion: form.get('client_assertion') ?? '',
    subject_token: form.get('subject_token') ?? '',
    patient: form.get('patient') ?? '',
    birthdate: form.get('birthdate') ?? '',
    location,
  };
}

// ---- 3. patient and birthdate -----------------------------------------------------------------------------

export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const sum = [...digits.slice(0, 9)].reduce((acc, digit, i) => acc + Number(digit) * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Returns the 10-digit NHS number. */
export function checkPatient(patient: string): string {
  const prefix = `${NHS_NUMBER_SYSTEM}|`;
  if (!patient.startsWith(prefix)) fail(400, 'patient', `patient must be an NHS number identifier, ${prefix}<NHS number>.`);
  const digits = patient.slice(prefix.length);
  if (!/^\d{10}$/.test(digits)) fail(400, 'patient', 'The NHS number must be exactly 10 digits, without spaces.');
  if (!isValidNhsNumber(digits)) fail(400, 'patient', `${digits} is not a valid NHS number (Modulus 11 check digit).`);
  return digits;
}

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `today` is YYYY-MM-DD (the UK date at Black Pear's clock). */
export function checkBirthdate(birthdate: string, today: string): void {
  const match = FHIR_DATE.exec(birthdate);
  if (!match) fail(400, 'birthdate', 'birthdate must be a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD.');
  const [, y = '', m, d] = match;
  const year = Number(y);
  if (year < 1) fail(400, 'birthdate', `${birthdate} is not a real date.`);
  if (m !== undefined) {
    const month = Number(m);
    if (month < 1 || month > 12) fail(400, 'birthdate', `${birthdate} is not a real date.`);
    if (d !== undefined && (Number(d) < 1 || Number(d) > daysInMonth(year, month))) fail(400, 'birthdate', `${birthdate} is not a real date.`);
  }
  if (birthdate > today.slice(0, birthdate.length)) fail(400, 'birthdate', `birthdate ${birthdate} is in the future.`);
}

/** YYYY-MM-DD in the UK at the given instant. */
export function ukDate(epochMs: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(epochMs);
}

// ---- 4. the two JWTs --------------------------------------------------------------------------------------

export interface TokenPolicy {
  jwks: readonly Record<string, unknown>[];
  issuers: readonly string[];
  audience: string;
  /** Unix seconds at Black Pear's clock. */
  nowSeconds: number;
  skewSeconds: number;
  maxLifetimeSeconds: number;
  /** jti values seen so far, per issuer; a verified token's jti is added. */
  seenJti: Map<string, Set<string>>;
}

export type Claims = Record<string, unknown>;

function decodeSegment(segment: string): unknown {
  if (segment.length % 4 === 1) throw new Error('bad base64url length');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url'));
  return JSON.parse(text) as unknown;
}

function decodeCompact(role: TokenRole, token: string): { header: Claims; payload: Claims } {
  const malformed = (why: string): never => fail(400, `${role}.malformed`, `${role} is not a compact JWS (header.payload.signature): ${why}.`);
  if (token.length > MAX_TOKEN_LENGTH) malformed(`longer than ${MAX_TOKEN_LENGTH} characters`);
  const parts = token.split('.');
  if (parts.length !== 3) malformed(`it has ${parts.length} dot-separated parts, not 3`);
  const [h = '', p = '', s = ''] = parts;
  if (![h, p, s].every((part) => /^[A-Za-z0-9_-]*$/.test(part)) || h === '' || p === '') malformed('the parts must be non-empty, unpadded base64url');
  let header: unknown;
  let payload: unknown;
  try {
    header = decodeSegment(h);
    payload = decodeSegment(p);
  } catch {
    return malformed('the header and payload must be base64url-encoded UTF-8 JSON');
  }
  if (!isPlainObject(header)) malformed('the header is not a JSON object');
  if (!isPlainObject(payload)) malformed('the payload is not a JSON object of claims');
  return { header: header as Claims, payload: payload as Claims };
}

function checkAlg(role: TokenRole, alg: unknown): void {
  if ((ALLOWED_ALGS as readonly unknown[]).includes(alg)) return;
  const code = `${role}.alg`;
  if (typeof alg !== 'string' || alg === '') fail(401, code, `${role} has no alg in its header; sign with ES256 or RS256.`);
  if (alg.toLowerCase() === 'none') fail(401, code, `${role} is unsigned (alg none); sign with ES256 or RS256.`);
  if (/^HS/i.test(alg)) fail(401, code, `${role} uses ${alg}: shared-secret signatures are not accepted; sign with ES256 or RS256.`);
  fail(401, code, `${role} uses ${alg}; only ES256 and RS256 are accepted.`);
}

async function checkSignature(role: TokenRole, token: string, jwks: readonly Record<string, unknown>[]): Promise<Claims> {
  try {
    const keySet = createLocalJWKSet({ keys: jwks as unknown as JSONWebKeySet['keys'] });
    const { payload } = await compactVerify(token, keySet, { algorithms: [...ALLOWED_ALGS] });
    return JSON.parse(new TextDecoder().decode(payload)) as Claims;
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) fail(401, `${role}.signature`, `The signature of ${role} does not verify with the enrolled key.`);
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
      fail(401, `${role}.kid`, `The key enrolled under this kid cannot verify ${role}'s algorithm.`);
    }
    if (error instanceof errors.JOSEError) fail(400, `${role}.malformed`, `${role} could not be processed: ${error.message}.`);
    throw error;
  }
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const msHint = (value: number) => (value > MILLISECONDS_HINT ? ' (it looks like milliseconds; NumericDate is seconds)' : '');

function checkTimes(role: TokenRole, claims: Claims, policy: TokenPolicy): void {
  const { iat, nbf, exp } = claims;
  for (const [name, value] of [['iat', iat], ['nbf', nbf], ['exp', exp]] as const) {
    if (!isNumericDate(value)) fail(401, `${role}.${name}`, `${role} must carry ${name} as a number of seconds since 1970.`);
  }
  const now = policy.nowSeconds;
  const skew = policy.skewSeconds;
  const [issued, notBefore, expires] = [iat as number, nbf as number, exp as number];
  if (notBefore > now + skew) {
    fail(401, `${role}.nbf`, `${role} is not valid yet: nbf is ${Math.round(notBefore - now)} s ahead of Black Pear's clock (tolerance ${skew} s)${msHint(notBefore)}.`);
  }
  if (expires <= now - skew) fail(401, `${role}.exp`, `${role} has expired: exp was ${Math.round(now - expires)} s ago by Black Pear's clock (tolerance ${skew} s).`);
  if (issued > now + skew) fail(401, `${role}.iat`, `${role} was issued in the future: iat is ${Math.round(issued - now)} s ahead of Black Pear's clock${msHint(issued)}.`);
  const lifetime = expires - issued;
  if (lifetime <= 0 || lifetime > policy.maxLifetimeSeconds) {
    fail(401, `${role}.lifetime`, `${role} lives ${lifetime} s (exp - iat); it must be more than 0 and at most ${policy.maxLifetimeSeconds} s${msHint(expires)}.`);
  }
}

/** All of check 4 for one token; returns its verified claims and records its jti. */
export async function verifyToken(role: TokenRole, token: string, policy: TokenPolicy): Promise<Claims> {
  const { header } = decodeCompact(role, token);
  checkAlg(role, header['alg']);
  const kid = header['kid'];
  if (typeof kid !== 'string' || kid === '') fail(401, `${role}.kid`, `${role} has no kid in its header; it must name an enrolled key.`);
  if (!policy.jwks.some((jwk) => jwk['kid'] === kid)) fail(401, `${role}.kid`, `No key is enrolled under kid ${kid}.`);
  const claims = await checkSignature(role, token, policy.jwks.filter((jwk) => jwk['kid'] === kid));

  const iss = claims['iss'];
  if (typeof iss !== 'string' || !policy.issuers.includes(iss)) {
    fail(401, `${role}.iss`, typeof iss === 'string' ? `Issuer ${iss} is not trusted by Black Pear.` : `${role} must carry iss (the trusted issuer).`);
  }
  const aud = claims['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(policy.audience)) fail(401, `${role}.aud`, `${role} must be addressed to ${policy.audience} (aud).`);
  checkTimes(role, claims, policy);
  const jti = claims['jti'];
  if (typeof jti !== 'string' || jti === '') fail(401, `${role}.jti`, `${role} must carry a unique jti.`);
  const seen = policy.seenJti.get(iss) ?? new Set<string>();
  if (seen.has(jti)) fail(401, `${role}.jti-replay`, `jti ${jti} has already been used by ${iss}: tokens cannot be replayed.`);
  seen.add(jti);
  policy.seenJti.set(iss, seen);
  return claims;
}

// ---- 5. client_assertion ----------------------------------------------------------------------------------

export function checkClientAssertion(claims: Claims): void {
  if (claims['sub'] !== claims['iss']) fail(401, 'client_assertion.sub', 'client_assertion sub must equal its iss (the client identifies itself).');
}

// ---- 6. subject_token claims ------------------------------------------------------------------------------

export interface SubjectContext {
  odsCode: string;
  requestingUser: string;
  userName: string;
  userRole: string;
  system: string;
  sub: string;
}

function claimFail(claim: string, rule: string): never {
  return fail(403, 'subject_token.claims', `subject_token claim ${claim} ${rule}.`, claim);
}

function nonEmptyString(claims: Claims, claim: string): string {
  const value = claims[claim];
  if (typeof value !== 'string' || value.trim() === '') claimFail(claim, 'must be a non-empty string');
  return value;
}

export function checkSubjectClaims(claims: Claims): SubjectContext {
  const organization = claims['requesting_organization'];
  const ods = typeof organization === 'string' && organization.startsWith(`${ODS_SYSTEM}|`) ? organization.slice(ODS_SYSTEM.length + 1) : null;
  if (ods === null || !/^[A-Z0-9]{3,10}$/.test(ods)) claimFail('requesting_organization', `must be ${ODS_SYSTEM}|<ODS code> (3-10 upper-case letters and digits)`);

  const user = claims['requesting_user'];
  const userSystem = [SDS_ROLE_PROFILE_SYSTEM, SDS_USER_SYSTEM].find((system) => typeof user === 'string' && user.startsWith(`${system}|`));
  if (userSystem === undefined || !/^\d{12}$/.test((user as string).slice(userSystem.length + 1))) {
    claimFail('requesting_user', `must be ${SDS_ROLE_PROFILE_SYSTEM}|<12 digits> or ${SDS_USER_SYSTEM}|<12 digits>`);
  }
  const userName = nonEmptyString(claims, 'requesting_user_name');
  const userRole = nonEmptyString(claims, 'requesting_user_role');
  const system = claims['requesting_system'];
  const asid = typeof system === 'string' && system.startsWith(`${ACCREDITED_SYSTEM}|`) ? system.slice(ACCREDITED_SYSTEM.length + 1) : null;
  if (asid === null || !/^\d{12}$/.test(asid)) claimFail('requesting_system', `must be ${ACCREDITED_SYSTEM}|<ASID> (12 digits)`);
  if (claims['reason_for_request'] !== REASON_FOR_REQUEST) claimFail('reason_for_request', `must be "${REASON_FOR_REQUEST}"`);
  if (claims['requested_scope'] !== REQUESTED_SCOPE) claimFail('requested_scope', `must be "${REQUESTED_SCOPE}"`);
  const sub = nonEmptyString(claims, 'sub');
  // NHS Spine security tokens name the user on whose behalf the request is made in sub, matching requesting_user.
  if (sub !== user) claimFail('sub', 'must equal requesting_user');
  return { odsCode: ods, requestingUser: user as string, userName, userRole, system: system as string, sub };
}
