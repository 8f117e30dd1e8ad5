import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { OrgIdpConfig } from '../shared/identity/idp-config';
import { clinicianFromClaims, type BrokerClinician, type TokenVerifier, type VerifiedToken } from './auth/access-token';
import { assertTokenBoundTo, checkDpopProof, replayedProof } from './auth/dpop';
import { BrokerAuthError, invalidToken } from './auth/errors';
import type { FailedChecks } from './auth/failed-checks';
import { BrokerProblem } from './problem';
import type { Admission, BrokerStore } from './store/store';

/** Who is asking: the verified clinician, and the installation (its DPoP key's thumbprint) asking for them. */
export interface Caller {
  clinician: BrokerClinician;
  installation: string;
}

export interface CallerCheck {
  store: BrokerStore;
  verifier: TokenVerifier;
  provider: OrgIdpConfig;
  publicUrl: string;
  enrolment: 'open' | 'required';
  limits: { perClinicianPerMinute: number; perInstallationPerMinute: number; failedChecksPerAddressPerMinute: number };
  /** This instance's memory of addresses over their failed-check limit. */
  failedChecks: FailedChecks;
  now: () => number;
}

/** Rate limits count in fixed one-minute windows, in the database: every instance counts against the same limits. */
const WINDOW_MS = 60_000;

/** The database cannot answer: a clear 503 (and nothing opened), not an internal error. */
export async function storeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch {
    throw new BrokerProblem(503, 'store_unavailable', 'The launch broker cannot reach its database just now, so nothing was opened. Try again shortly; if it keeps happening, tell your IT service desk.');
  }
}

/**
 * `Authorization: DPoP <access token>` with a DPoP proof for exactly this request, then the shared rate limits.
 * The proof is checked first. Its jti is spent, and the enrolment checked, before the identity provider is asked
 * anything, so a replayed, forged or unenrolled request never reaches the provider; nor does a new token from an
 * address whose tokens failed too often this minute (a made-up token with a valid proof would otherwise cost one
 * call to the provider each). When this instance already
 * knows the token (verified within the last minute), nothing needs the provider: the jti, the enrolment and both
 * rate counters are then one statement, one round trip to the database.
 */
export async function authenticate(request: FastifyRequest, check: CallerCheck): Promise<Caller> {
  const match = /^DPoP\s+([^\s]+)$/i.exec(request.headers.authorization ?? '');
  if (!match) throw new BrokerAuthError(401, 'invalid_token', 'A DPoP-bound access token from your organisation sign-in is needed.');
  const accessToken = match[1]!;
  const path = request.url.split('?', 1)[0]!;
  const proof = await checkDpopProof({ proof: request.headers.dpop, method: request.method, url: `${check.publicUrl}${path}`, accessToken, now: check.now });
  assertTokenBoundTo(accessToken, proof.jkt);
  const window = Math.floor(check.now() / WINDOW_MS) * WINDOW_MS;
  const admit = (keys: readonly string[]) =>
    storeCall(() => check.store.admit({ jti: proof.jti, jtiExpiresAt: proof.jtiExpiresAt, installation: proof.jkt, requireEnrolment: check.enrolment === 'required', keys, windowStartMs: window, windowMs: WINDOW_MS }));

  const clinicianOf = (token: VerifiedToken) => clinicianFromClaims(check.provider, token.claims, { now: check.now(), ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}) });
  const known = check.verifier.known?.(accessToken);
  let clinician: BrokerClinician;
  let counts: number[];
  if (known) {
    clinician = clinicianOf(known);
    const admission = await admit(rateKeys(clinician, proof.jkt));
    admitted(check, admission);
    counts = admission.counts;
  } else {
    admitted(check, await admit([]));
    const address = request.ip;
    const tokenHash = createHash('sha256').update(accessToken).digest('base64url');
    if (check.failedChecks.failedLately(tokenHash, check.now())) throw invalidToken('The access token was not accepted by the identity provider.');
    if (check.failedChecks.isBlocked(address, check.now())) {
      throw new BrokerProblem(429, 'rate_limited', 'Too many sign-ins that could not be verified came from this address in the last minute. Wait a moment and try again.', { 'retry-after': retryAfter(window, check.now()) });
    }
    let verified: VerifiedToken;
    try {
      verified = await check.verifier.verify(accessToken);
    } catch (error) {
      if (error instanceof BrokerAuthError && error.code === 'invalid_token') {
        check.failedChecks.tokenFailed(tokenHash, check.now());
        // Counting is a defence, not the answer: a database that fails here leaves the refusal as it was.
        await failedCheck(check, address, window).catch(() => undefined);
      }
      throw error;
    }
    clinician = clinicianOf(verified);
    counts = await storeCall(() => check.store.hitMany(rateKeys(clinician, proof.jkt), window, WINDOW_MS));
  }
  const [byClinician = 0, byInstallation = 0] = counts;
  if (byClinician > check.limits.perClinicianPerMinute || byInstallation > check.limits.perInstallationPerMinute) {
    throw new BrokerProblem(429, 'rate_limited', 'Too many launches in the last minute. Wait a moment and try again.', { 'retry-after': retryAfter(window, check.now()) });
  }
  return { clinician, installation: proof.jkt };
}

/** Seconds until the rate window ends, for Retry-After. */
function retryAfter(window: number, now: number): string {
  return String(Math.max(1, Math.ceil((window + WINDOW_MS - now) / 1000)));
}

/** Counts a token that failed its check against its address (shared by all instances); at the limit, holds the address here. */
async function failedCheck(check: CallerCheck, address: string, window: number): Promise<void> {
  const [failures = 0] = await storeCall(() => check.store.hitMany([`failed-check:${address}`], window, WINDOW_MS));
  if (failures >= check.limits.failedChecksPerAddressPerMinute) check.failedChecks.block(address, window + WINDOW_MS, check.now());
}

/** The clinician's counter (issuer and subject, as the provider vouches for them) and the installation's, in this order. */
function rateKeys(clinician: BrokerClinician, installation: string): [string, string] {
  return [`clinician:${clinician.issuer}|${clinician.subject}`, `installation:${installation}`];
}

function admitted(check: CallerCheck, admission: Admission): void {
  if (!admission.fresh) throw replayedProof();
  if (check.enrolment === 'required' && !admission.enrolled) {
    throw new BrokerAuthError(403, 'installation_not_enrolled', 'This computer is not enrolled with the launch broker. Tell your IT service desk.');
  }
}
