import type { FastifyRequest } from 'fastify';
import type { OrgIdpConfig } from '../shared/identity/idp-config';
import { clinicianFromClaims, type BrokerClinician, type TokenVerifier } from './auth/access-token';
import { assertTokenBoundTo, verifyDpopProof } from './auth/dpop';
import { BrokerAuthError } from './auth/errors';
import { BrokerProblem } from './problem';
import type { BrokerStore } from './store/store';

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
  now: () => number;
}

/** The database cannot answer: a clear 503 (and nothing opened), not an internal error. */
export async function storeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch {
    throw new BrokerProblem(503, 'store_unavailable', 'The launch broker cannot reach its database just now, so nothing was opened. Try again shortly; if it keeps happening, tell your IT service desk.');
  }
}

/**
 * `Authorization: DPoP <access token>` with a DPoP proof for exactly this request. The proof is checked first
 * (local, and its jti is spent), so a replayed or forged request never reaches the identity provider.
 */
export async function authenticate(request: FastifyRequest, check: CallerCheck): Promise<Caller> {
  const match = /^DPoP\s+([^\s]+)$/i.exec(request.headers.authorization ?? '');
  if (!match) throw new BrokerAuthError(401, 'invalid_token', 'A DPoP-bound access token from your organisation sign-in is needed.');
  const accessToken = match[1]!;
  const path = request.url.split('?', 1)[0]!;
  const { jkt } = await verifyDpopProof({
    proof: request.headers.dpop,
    method: request.method,
    url: `${check.publicUrl}${path}`,
    accessToken,
    now: check.now,
    useJti: (jti, expiresAt) => storeCall(() => check.store.useJti(jti, expiresAt)),
  });
  assertTokenBoundTo(accessToken, jkt);
  if (check.enrolment === 'required' && !(await storeCall(() => check.store.isEnrolled(jkt)))) {
    throw new BrokerAuthError(403, 'installation_not_enrolled', 'This computer is not enrolled with the launch broker. Tell your IT service desk.');
  }
  const token = await check.verifier.verify(accessToken);
  const clinician = clinicianFromClaims(check.provider, token.claims, { now: check.now(), ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}) });
  return { clinician, installation: jkt };
}
