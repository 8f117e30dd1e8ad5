import type { DpopKey } from '../../shared/broker/dpop-proof';
import type { IdentityRecord } from '../identity/identity-store';
import { identityStore } from '../identity/identity-store';
import { publicJwks, signerFor } from '../vault/installation-keys';

/** What every call to the broker carries: the clinician's live access token, and this installation's DPoP key. */
export type BrokerCredentials =
  | { ok: true; record: IdentityRecord; accessToken: string; dpop: DpopKey }
  | { ok: false; missing: 'sign-in' | 'key' };

export async function brokerCredentials(): Promise<BrokerCredentials> {
  const record = await identityStore.get();
  const now = Date.now();
  const token = record?.tokens.accessToken;
  const tokenLive = token && record.identity.expiresAt > now && (record.tokens.accessTokenExpiresAt ?? record.identity.expiresAt) > now;
  if (!tokenLive) return { ok: false, missing: 'sign-in' };
  const signer = await signerFor('ES256');
  const jwk = (await publicJwks()).keys.find((candidate) => candidate.kid === signer.kid);
  if (!jwk) return { ok: false, missing: 'key' };
  return { ok: true, record, accessToken: token, dpop: { key: signer.key, jwk, alg: 'ES256' } };
}
