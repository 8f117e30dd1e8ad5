import { createPublicKey, randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { isIP } from 'node:net';
import {
  checkAddress,
  checkBirthdate,
  checkClientAssertion,
  checkPatient,
  checkSubjectClaims,
  LaunchError,
  readLaunchForm,
  ukDate,
  verifyToken,
} from './black-pear-checks';
import type { Claims, TokenPolicy } from './black-pear-checks';
import { renderApp, renderHome, renderLaunchError, renderMessage } from './black-pear-pages';
import type { AppView } from './black-pear-pages';
import { createJwksFetcher } from './black-pear-jwks-urls';
import { BLACK_PEAR } from './fixtures';
import type { BlackPearSettings } from './fixtures';
import { expiredCookie, headerValue, htmlReply, isPlainObject, jsonReply, prefersJson, redirectReply, sessionCookie } from './http-kit';
import { createSettingsStore } from './settings-store';
import type { SandboxLinks, SandboxModule, SandboxReply, SandboxRequest } from './types';

/**
 * Black Pear Core Auth launch (`POST /launch/v1`), and the Black Pear app it hands over to (`/app/launch`).
 * The check order is documented in black-pear-checks.ts and the sandbox README.
 */

export const BLACK_PEAR_COOKIE = 'blackpear_session';
export const APP_LAUNCH_PATH = '/app/launch';

/** What a verified launch request carries into the launch link and the app session. */
interface LaunchContext extends Omit<AppView, 'tokenAgeMs'> {
  /** The query parameters of the issued launch link other than access_token, to detect tampering. */
  linkParams: [string, string][];
}

interface LaunchGrant {
  context: LaunchContext;
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
}

interface AppSession {
  context: LaunchContext;
  tokenIssuedAt: number;
  redeemedAt: number;
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** An enrolled key must be a public EC P-256 or RSA (>= 2048 bits) signing key with a kid. */
function jwkProblem(jwk: unknown, index: number): string | undefined {
  const where = `jwks[${index}]`;
  if (!isPlainObject(jwk)) return `${where} must be a JWK object`;
  if (typeof jwk['kid'] !== 'string' || jwk['kid'] === '') return `${where} needs a non-empty kid`;
  if (jwk['kty'] !== 'EC' && jwk['kty'] !== 'RSA') return `${where}: kty must be EC (ES256) or RSA (RS256)`;
  const privateMember = PRIVATE_JWK_MEMBERS.find((member) => member in jwk);
  if (privateMember) return `${where} contains the private member "${privateMember}": enrol public keys only`;
  const expectedAlg = jwk['kty'] === 'EC' ? 'ES256' : 'RS256';
  if (jwk['alg'] !== undefined && jwk['alg'] !== expectedAlg) return `${where}: alg must be ${expectedAlg} for a ${String(jwk['kty'])} key`;
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') return `${where}: use must be "sig"`;
  const keyOps = jwk['key_ops'];
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return `${where}: key_ops must include "verify"`;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    const details = key.asymmetricKeyDetails ?? {};
    if (jwk['kty'] === 'EC' && details.namedCurve !== 'prime256v1') return `${where}: EC keys must use the P-256 curve`;
    if (jwk['kty'] === 'RSA' && (details.modulusLength ?? 0) < 2048) return `${where}: RSA keys must be at least 2048 bits`;
  } catch (error) {
    return `${where} is not a usable public key: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

function validateSettings(s: BlackPearSettings): string | undefined {
  if (!s.issuers.every((iss) => typeof iss === 'string' && iss !== '')) return 'issuers must be a list of non-empty strings';
  for (const [index, jwk] of s.jwks.entries()) {
    const problem = jwkProblem(jwk, index);
    if (problem) return problem;
  }
  if (!s.jwksUrls.every((url) => typeof url === 'string' && /^https?:\/\//.test(url))) return 'jwksUrls must be a list of http(s) URLs';
  const kids = s.jwks.map((jwk) => jwk['kid']);
  if (new Set(kids).size !== kids.length) return 'jwks: each kid must be unique';
  if (!s.allowedAddresses.every((address) => typeof address === 'string' && isIP(address) !== 0)) return 'allowedAddresses must be a list of IP addresses';
  if (!(s.maxLifetimeSeconds > 0) || !Number.isFinite(s.maxLifetimeSeconds)) return 'maxLifetimeSeconds must be > 0';
  if (!(s.clockSkewSeconds >= 0) || !Number.isFinite(s.clockSkewSeconds)) return 'clockSkewSeconds must be >= 0';
  if (!Number.isFinite(s.clockOffsetSeconds)) return 'clockOffsetSeconds must be a finite number';
  if (!(s.ssoTokenTtlSeconds >= 0) || !Number.isFinite(s.ssoTokenTtlSeconds)) return 'ssoTokenTtlSeconds must be >= 0';
  if (!Object.entries(s.serviceIds).every(([ods, id]) => /^[A-Z0-9]{3,10}$/.test(ods) && typeof id === 'string' && id !== '')) {
    return 'serviceIds must map upper-case ODS codes to non-empty serviceId strings';
  }
  return undefined;
}

/** The kid in a compact JWS's header, if it has one (read only to choose which published keys to fetch). */
function kidOf(token: string | undefined): string | undefined {
  try {
    const header = JSON.parse(Buffer.from((token ?? '').split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}

export function createBlackPear(links: SandboxLinks): SandboxModule {
  const grants = new Map<string, LaunchGrant>();
  const sessions = new Map<string, AppSession>();
  const seenJti = new Map<string, Set<string>>();
  const publishedKeys = createJwksFetcher(jwkProblem);
  const settings = createSettingsStore<BlackPearSettings>({
    defaults: () => structuredClone(BLACK_PEAR.settings) as BlackPearSettings,
    validate: validateSettings,
    onReset: () => {
      grants.clear();
      sessions.clear();
      seenJti.clear();
      publishedKeys.clear();
    },
  });

  const origin = () => links.urlOf('black-pear');
  /** Taken from the server's own URL, never from the request line or Host header. */
  const audience = () => `${origin()}${BLACK_PEAR.launchPath}`;

  function launchErrorReply(req: SandboxRequest, error: LaunchError): SandboxReply {
    if (prefersJson(headerValue(req.headers.accept))) {
      const body = { error: error.code, message: error.message, ...(error.claim === undefined ? {} : { claim: error.claim }) };
      return jsonReply(error.status, body, error.headers);
    }
    return htmlReply(error.status, renderLaunchError(error.status, error.code, error.message, error.claim), error.headers);
  }

  async function verifyLaunch(req: SandboxRequest): Promise<LaunchContext> {
    const s = settings.current;
    checkAddress(req.remoteAddress, s.allowedAddresses);
    const form = readLaunchForm(req);
    const nowMs = Date.now() + s.clockOffsetSeconds * 1000;
    const nhsNumber = checkPatient(form.patient);
    checkBirthdate(form.birthdate, ukDate(nowMs));
    // Keys enrolled by hand, then any the third party publishes (fetched again for a kid not seen yet).
    const published = s.jwksUrls.length > 0 ? await publishedKeys.keys(s.jwksUrls, [form.client_assertion, form.subject_token].map(kidOf).find((kid) => kid !== undefined && !s.jwks.some((jwk) => jwk['kid'] === kid))) : [];
    const policy: TokenPolicy = {
      jwks: [...s.jwks, ...published.filter((jwk) => !s.jwks.some((own) => own['kid'] === jwk['kid']))],
      issuers: s.issuers,
      audience: audience(),
      nowSeconds: nowMs / 1000,
      skewSeconds: s.clockSkewSeconds,
      maxLifetimeSeconds: s.maxLifetimeSeconds,
      seenJti,
    };
    const client = await verifyToken('client_assertion', form.client_assertion, policy);
    const subject: Claims = await verifyToken('subject_token', form.subject_token, policy);
    checkClientAssertion(client);
    const who = checkSubjectClaims(subject);
    const serviceId = s.serviceIds[who.odsCode] ?? 'unknown';
    const linkParams: [string, string][] = [
      ['patient', form.patient],
      ['birthdate', form.birthdate],
      ...(form.location === null ? [] : [['location', form.location] as [string, string]]),
      ['serviceId', serviceId],
    ];
    return {
      linkParams,
      patient: form.patient,
      nhsNumber,
      birthdate: form.birthdate,
      location: form.location,
      serviceId,
      odsCode: who.odsCode,
      requestingUser: who.requestingUser,
      userName: who.userName,
      userRole: who.userRole,
      system: who.system,
      clientId: String(client['iss']),
      subjectClaims: subject,
    };
  }

  async function handleLaunch(req: SandboxRequest): Promise<SandboxReply> {
    let context: LaunchContext;
    try {
      context = await verifyLaunch(req);
    } catch (error) {
      if (error instanceof LaunchError) return launchErrorReply(req, error);
      throw error;
    }
    const token = randomBytes(32).toString('base64url');
    const issuedAt = Date.now();
    grants.set(token, { context, issuedAt, expiresAt: issuedAt + settings.current.ssoTokenTtlSeconds * 1000, usedAt: null });
    const query = new URLSearchParams([...context.linkParams, ['access_token', token]]);
    return redirectReply(`${origin()}${APP_LAUNCH_PATH}?${query.toString()}`);
  }

  function ssoError(code: string, message: string): SandboxReply {
    return htmlReply(401, renderMessage('Launch link refused', 'sso-error', message, code));
  }

  /** Token present, known, unused, unexpired, then the link's context unchanged. A failed attempt does not consume it. */
  function redeem(req: SandboxRequest): SandboxReply {
    const token = req.query.get('access_token');
    if (!token) return ssoError('token-missing', 'The launch link has no access_token.');
    const grant = grants.get(token);
    if (!grant) return ssoError('token-unknown', 'The launch link is not valid.');
    if (grant.usedAt !== null) return ssoError('token-used', 'The launch link has already been used.');
    const now = Date.now();
    if (now >= grant.expiresAt) return ssoError('token-expired', `The launch link expired ${now - grant.expiresAt} ms ago.`);
    const sent = [...req.query].filter(([name]) => name !== 'access_token');
    const issued = grant.context.linkParams;
    if (sent.length !== issued.length || sent.some(([name, value], i) => issued[i]?.[0] !== name || issued[i]?.[1] !== value)) {
      return ssoError('context-mismatch', 'The launch link was altered: its parameters differ from the ones issued with the token.');
    }
    grant.usedAt = now;
    const id = randomBytes(24).toString('base64url');
    const session: AppSession = { context: grant.context, tokenIssuedAt: grant.issuedAt, redeemedAt: now };
    sessions.set(id, session);
    return htmlReply(200, renderApp(appView(session)), { 'set-cookie': sessionCookie(BLACK_PEAR_COOKIE, id) });
  }

  function appView(session: AppSession): AppView {
    const { linkParams: _linkParams, ...context } = session.context;
    return { ...context, tokenAgeMs: session.redeemedAt - session.tokenIssuedAt };
  }

  function handle(req: SandboxRequest): SandboxReply | Promise<SandboxReply> {
    if (req.path === BLACK_PEAR.launchPath) return handleLaunch(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return htmlReply(405, renderMessage('Method not allowed', 'app-error', `${req.method} is not allowed here.`), { allow: 'GET, HEAD' });
    }
    switch (req.path) {
      case '/':
        return htmlReply(200, renderHome(audience()));
      case APP_LAUNCH_PATH:
        // Only a real navigation may spend the single-use token; a HEAD probe must not burn it.
        return req.method === 'GET' ? redeem(req) : htmlReply(405, renderMessage('Method not allowed', 'app-error', 'Use GET.'), { allow: 'GET' });
      case '/app': {
        const session = sessions.get(req.cookies[BLACK_PEAR_COOKIE] ?? '');
        if (!session) return htmlReply(401, renderMessage('Sign in required', 'sign-in-required', 'Sign in required: launch from your clinical system.'));
        return htmlReply(200, renderApp(appView(session)));
      }
      case '/app/logout':
        sessions.delete(req.cookies[BLACK_PEAR_COOKIE] ?? '');
        return htmlReply(200, renderMessage('Signed out', 'signed-out', 'You have signed out of Black Pear.'), { 'set-cookie': expiredCookie(BLACK_PEAR_COOKIE) });
      default:
        return htmlReply(404, renderMessage('Not found', 'app-error', `No page at ${req.path}`));
    }
  }

  /** Every answer's Date header tells Black Pear's own (possibly offset) time, as a real server's would. */
  async function handleWithDate(req: SandboxRequest): Promise<SandboxReply> {
    const reply = await handle(req);
    const now = new Date(Date.now() + settings.current.clockOffsetSeconds * 1000);
    return { ...reply, headers: { ...reply.headers, date: now.toUTCString() } };
  }

  return {
    name: 'black-pear',
    handle: handleWithDate,
    errorReply: (status, message) => htmlReply(status, renderLaunchError(status, `http-${status}`, message)),
    settings,
  };
}
