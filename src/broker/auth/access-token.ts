import { createHash } from 'node:crypto';
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import * as oauth from 'oauth4webapi';
import type { ClinicianProfile } from '../../shared/clinician';
import { mapClaims, type VerifiedRole } from '../../shared/identity/claim-mapping';
import { resolveProvider, type OrgIdpConfig, type ResolvedProvider, type VerifiableField } from '../../shared/identity/idp-config';
import { mergedProfile, type PartnerRef } from '../../shared/identity/partner-identity';
import type { VerifiedIdentity } from '../../shared/identity/verified-identity';
import { isSecureUrl, LOOPBACK_HTTP_ALLOWED } from '../../shared/url-policy';
import { BrokerAuthError, idpUnreachable, invalidToken } from './errors';

/**
 * The clinician behind a request's access token, as the organisation's identity provider vouches for them.
 * A JWT issued for the broker's own audience is verified locally against the provider's published keys;
 * any other token (opaque, or a JWT for another audience) is shown to the provider's userinfo endpoint, and a
 * successful answer is kept briefly under the token's SHA-256 (never the token itself).
 */

export interface TokenVerifierOptions {
  provider: OrgIdpConfig;
  /** The broker's audience: a JWT access token whose `aud` includes it is verified with the provider's JWKS. */
  audience?: string;
  fetch: typeof fetch;
  /** Epoch milliseconds. */
  now: () => number;
  /** How long a userinfo answer is reused for the same token (0: not at all). */
  cacheSeconds?: number;
  /** Most userinfo answers kept at once; the least recently used go first. */
  cacheSize?: number;
  /** JWT access token algorithms accepted. */
  algorithms?: string[];
  /** Per request to the provider. */
  timeoutMs?: number;
  /** http://127.0.0.1 providers (the sandbox); otherwise https only. */
  allowLoopbackHttp?: boolean;
}

export interface VerifiedToken {
  /** The provider's issuer, exactly as configured. */
  issuer: string;
  subject: string;
  /** The JWT's claims, or userinfo's. */
  claims: Record<string, unknown>;
  via: 'jwt' | 'userinfo';
  /** Epoch ms: the JWT's exp when known. */
  expiresAt?: number;
}

export interface TokenVerifier {
  verify(accessToken: string): Promise<VerifiedToken>;
  /**
   * The token's verification when this instance holds a recent one in memory (an earlier verify within the cache
   * time, never past the token's expiry); undefined otherwise. Never asks the provider anything.
   */
  known?(accessToken: string): VerifiedToken | undefined;
}

const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256'];
/** RFC 6750 b64token, bounded. */
const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 16_384;
/** JWT typ values an access token may carry (RFC 9068 or the common plain JWT). */
const ACCESS_TOKEN_TYPES = new Set(['jwt', 'at+jwt', 'application/at+jwt']);
const CLOCK_TOLERANCE_SECONDS = 30;

interface CacheEntry {
  result: VerifiedToken;
  until: number;
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const provider = resolveProvider(options.provider);
  const { label } = provider;
  const cacheMs = Math.max(0, options.cacheSeconds ?? 60) * 1000;
  const cacheSize = Math.max(1, options.cacheSize ?? 10_000);
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const timeoutMs = options.timeoutMs ?? 5000;
  const issuerUrl = new URL(provider.issuer);
  const allowHttp = (options.allowLoopbackHttp ?? LOOPBACK_HTTP_ALLOWED) && issuerUrl.protocol === 'http:' && issuerUrl.hostname === '127.0.0.1';
  const http = {
    [oauth.customFetch]: options.fetch,
    signal: () => AbortSignal.timeout(timeoutMs),
    ...(allowHttp ? { [oauth.allowInsecureRequests]: true } : {}),
  };
  const client: oauth.Client = { client_id: provider.clientId };
  const cache = new Map<string, CacheEntry>();
  const pending = new Map<string, Promise<VerifiedToken>>();
  let discovery: Promise<oauth.AuthorizationServer> | undefined;
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  /** Read once; a failure is not kept, so the next request tries again. */
  function server(): Promise<oauth.AuthorizationServer> {
    discovery ??= discover().catch((error: unknown) => {
      discovery = undefined;
      throw error;
    });
    return discovery;
  }

  async function discover(): Promise<oauth.AuthorizationServer> {
    let response: Response;
    try {
      response = await oauth.discoveryRequest(issuerUrl, http);
    } catch {
      throw idpUnreachable(`${label} could not be reached to check the sign-in.`);
    }
    if (response.status !== 200) throw idpUnreachable(`${label} did not answer its discovery request (HTTP ${response.status}).`);
    try {
      return await oauth.processDiscoveryResponse(issuerUrl, response);
    } catch {
      throw idpUnreachable(`${label}'s discovery document does not match the configured issuer.`);
    }
  }

  function endpoint(value: string | undefined, what: string): string {
    if (!value || !isSecureUrl(value, allowHttp)) throw idpUnreachable(`${label} publishes no usable ${what}.`);
    return value;
  }

  async function viaJwt(accessToken: string, audience: string): Promise<VerifiedToken> {
    const as = await server();
    jwks ??= createRemoteJWKSet(new URL(endpoint(as.jwks_uri, 'key set (jwks_uri)')), { [customFetch]: options.fetch, timeoutDuration: timeoutMs });
    let payload: JWTPayload;
    let typ: string | undefined;
    try {
      ({ payload, protectedHeader: { typ } } = await jwtVerify(accessToken, jwks, {
        issuer: provider.issuer,
        audience,
        algorithms,
        currentDate: new Date(options.now()),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (cause) {
      throw jwtRefusal(cause, label);
    }
    if (typ !== undefined && !ACCESS_TOKEN_TYPES.has(typ.toLowerCase())) throw invalidToken('The access token is not an access token (its typ says otherwise).');
    if (typeof payload.sub !== 'string' || payload.sub === '') throw invalidToken('The access token names no subject.');
    return { issuer: provider.issuer, subject: payload.sub, claims: payload as Record<string, unknown>, via: 'jwt', expiresAt: payload.exp! * 1000 };
  }

  async function viaUserinfo(accessToken: string): Promise<VerifiedToken> {
    const as = await server();
    const userinfo = { ...as, userinfo_endpoint: endpoint(as.userinfo_endpoint, 'userinfo endpoint') };
    let response: Response;
    try {
      response = await oauth.userInfoRequest(userinfo, client, accessToken, http);
    } catch {
      throw idpUnreachable(`${label} could not be reached to check the sign-in.`);
    }
    if (response.status === 401 || response.status === 403 || response.status === 400) {
      await response.body?.cancel();
      throw invalidToken(`${label} did not accept the access token (it may have expired or the session ended): sign in again.`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw idpUnreachable(`${label} could not check the sign-in just now (HTTP ${response.status}).`);
    }
    let claims: Record<string, unknown>;
    try {
      claims = (await oauth.processUserInfoResponse(userinfo, client, oauth.skipSubjectCheck, response)) as Record<string, unknown>;
    } catch {
      throw idpUnreachable(`${label}'s user information could not be read.`);
    }
    const subject = claims['sub'];
    if (typeof subject !== 'string' || subject === '') throw idpUnreachable(`${label}'s user information names no subject.`);
    return { issuer: provider.issuer, subject, claims, via: 'userinfo' };
  }

  function cached(key: string, now: number): VerifiedToken | undefined {
    const entry = cache.get(key);
    if (!entry) return undefined;
    cache.delete(key);
    if (entry.until <= now) return undefined;
    cache.set(key, entry); // most recently used last
    return entry.result;
  }

  function remember(key: string, result: VerifiedToken, expiresAt: number | undefined): void {
    const now = options.now();
    const until = Math.min(now + cacheMs, expiresAt ?? Number.POSITIVE_INFINITY);
    if (until <= now) return;
    cache.delete(key);
    cache.set(key, { result, until });
    while (cache.size > cacheSize) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  async function checkedByUserinfo(accessToken: string, unverifiedExp: number | undefined): Promise<VerifiedToken> {
    const key = tokenKey(accessToken);
    const hit = cached(key, options.now());
    if (hit) return hit;
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const request = viaUserinfo(accessToken)
      .then((result) => {
        if (cacheMs > 0) remember(key, result, unverifiedExp);
        return result;
      })
      .finally(() => pending.delete(key));
    pending.set(key, request);
    return request;
  }

  return {
    async verify(accessToken: string): Promise<VerifiedToken> {
      if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > MAX_TOKEN_LENGTH || !TOKEN_SYNTAX.test(accessToken)) {
        throw invalidToken('The access token is missing or not well formed.');
      }
      const jwt = readJwt(accessToken);
      if (jwt && options.audience !== undefined && audiences(jwt.aud).includes(options.audience)) {
        const key = tokenKey(accessToken);
        const hit = cached(key, options.now());
        if (hit) return hit;
        // A verified JWT is kept like a userinfo answer (never past its exp): its signature is checked once a minute, not per request.
        const result = await viaJwt(accessToken, options.audience);
        if (cacheMs > 0) remember(key, result, result.expiresAt);
        return result;
      }
      // The unverified exp only shortens how long the provider's answer is reused.
      return checkedByUserinfo(accessToken, typeof jwt?.exp === 'number' ? jwt.exp * 1000 : undefined);
    },

    known(accessToken: string): VerifiedToken | undefined {
      if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > MAX_TOKEN_LENGTH) return undefined;
      return cached(tokenKey(accessToken), options.now());
    },
  };
}

function readJwt(token: string): JWTPayload | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    decodeProtectedHeader(token);
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function audiences(aud: JWTPayload['aud']): string[] {
  return typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((value): value is string => typeof value === 'string') : [];
}

function tokenKey(accessToken: string): string {
  // node:crypto in the request's own turn: WebCrypto's digest is a thread-pool job, costlier than the hash itself.
  return createHash('sha256').update(accessToken, 'utf8').digest('base64url');
}

/** jose's refusal in words; only a failure to fetch the keys means the provider is unreachable. */
function jwtRefusal(cause: unknown, label: string): BrokerAuthError {
  if (cause instanceof BrokerAuthError) return cause;
  if (cause instanceof errors.JWTExpired) return invalidToken('The access token has expired: sign in again.');
  if (cause instanceof errors.JWTClaimValidationFailed) {
    if (cause.claim === 'iss') return invalidToken(`The access token was not issued by ${label}.`);
    if (cause.claim === 'aud') return invalidToken('The access token is not for the broker.');
    if (cause.claim === 'nbf' || cause.claim === 'iat') return invalidToken('The access token is not valid yet.');
    return invalidToken(`The access token lacks a required claim ("${cause.claim}").`);
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) return invalidToken(`The access token's signature does not verify with ${label}'s keys.`);
  if (cause instanceof errors.JWKSNoMatchingKey || cause instanceof errors.JWKSMultipleMatchingKeys) return invalidToken(`The access token is not signed with a key ${label} publishes.`);
  if (cause instanceof errors.JOSEAlgNotAllowed) return invalidToken('The access token is signed with an algorithm the broker does not accept.');
  if (cause instanceof errors.JWKSTimeout) return idpUnreachable(`${label}'s keys could not be fetched in time.`);
  if (cause instanceof errors.JWTInvalid || cause instanceof errors.JWSInvalid || cause instanceof errors.JOSENotSupported) return invalidToken('The access token is not a valid JWT.');
  // A generic JOSEError here is the key set's HTTP answer; anything else is the network.
  return idpUnreachable(`${label}'s keys could not be fetched.`);
}

/** The clinician a verified token speaks for: what the provider verified, mapped as the extension maps it. */
export interface BrokerClinician {
  issuer: string;
  subject: string;
  fields: Partial<Record<VerifiableField, string>>;
  /** Per partner id, that partner's own user id for the clinician. */
  partnerUserIds: Record<string, string>;
  roles: VerifiedRole[];
  role?: VerifiedRole;
  /** Mapped fields the claims did not fill, in words for IT. */
  problems: string[];
  /** The same as the extension's verified identity, for the shared partner rules (clinicianForPartner). */
  identity: VerifiedIdentity;
  /** The profile connectors take, without any partner's own user id (see profileForPartner). */
  profile: ClinicianProfile;
}

export function clinicianFromClaims(provider: OrgIdpConfig | ResolvedProvider, claims: Record<string, unknown>, options: { now?: number; expiresAt?: number } = {}): BrokerClinician {
  const resolved = resolveProvider(provider);
  const subject = claims['sub'];
  if (typeof subject !== 'string' || subject === '') throw invalidToken('The sign-in names no subject.');
  const now = options.now ?? Date.now();
  const mapped = mapClaims(resolved, claims);
  const authTime = typeof claims['auth_time'] === 'number' ? claims['auth_time'] * 1000 : now;
  const identity: VerifiedIdentity = {
    issuer: resolved.issuer,
    subject,
    providerLabel: resolved.label,
    fields: mapped.fields,
    partnerUserIds: mapped.partnerUserIds,
    roles: mapped.roles,
    ...(mapped.role ? { role: mapped.role } : {}),
    problems: mapped.problems,
    signedInAt: authTime,
    checkedAt: now,
    // Good for this request: the token was checked just now.
    expiresAt: options.expiresAt ?? now + 60_000,
  };
  return {
    issuer: resolved.issuer,
    subject,
    fields: mapped.fields,
    partnerUserIds: mapped.partnerUserIds,
    roles: mapped.roles,
    ...(mapped.role ? { role: mapped.role } : {}),
    problems: mapped.problems,
    identity,
    profile: mergedProfile(null, identity, resolved)!,
  };
}

/** The profile for one partner: with that partner's own user id (Parchment's) when the organisation maps it. */
export function profileForPartner(clinician: BrokerClinician, provider: OrgIdpConfig | ResolvedProvider, partner: PartnerRef): ClinicianProfile {
  return mergedProfile(null, clinician.identity, resolveProvider(provider), partner)!;
}
