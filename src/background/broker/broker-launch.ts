import type { LaunchOutput } from '../../connectors/connector';
import type { PartnerConfig } from '../../shared/config';
import { launchThroughBroker } from '../../shared/broker/broker-client';
import { isLaunchError, LaunchError } from '../../shared/launch-error';
import { brokerWording } from './broker-wording';
import type { PatientContext } from '../../shared/patient';
import { identityStore } from '../identity/identity-store';
import { publicJwks, signerFor } from '../vault/installation-keys';

/** Codes the broker client gives when there is no answer from the broker to word (it words those itself). */
const CLIENT_CODES = new Set(['broker-unreachable', 'broker-failed', 'broker-refused', 'broker-bad-answer']);

/**
 * A launch built by the organisation's launch broker: the clinician's verified sign-in (its access token)
 * proves who asks, this installation's key (DPoP) proves it is asked from here. The engine around it is
 * unchanged: the patient re-check before, the allow-list check and opening after.
 */
export async function brokerLaunch(brokerUrl: string, partner: PartnerConfig, patient: PatientContext, signal: AbortSignal): Promise<LaunchOutput> {
  const record = await identityStore.get();
  const now = Date.now();
  const token = record?.tokens.accessToken;
  const tokenLive = token && record.identity.expiresAt > now && (record.tokens.accessTokenExpiresAt ?? record.identity.expiresAt) > now;
  if (!tokenLive) {
    throw new LaunchError('identity-needed', `${partner.label} opens through your organisation's launch broker, which needs your sign-in: open the EHR Launchpad menu in the toolbar and sign in.`, ['launchBrokerSignIn', partner.label]);
  }
  const signer = await signerFor('ES256');
  const jwk = (await publicJwks()).keys.find((candidate) => candidate.kid === signer.kid);
  if (!jwk) throw new LaunchError('setup-needed', 'This computer has no key for the launch broker yet. Tell your IT service desk.', ['launchBrokerNoKey']);
  return launchThroughBroker({
    brokerUrl,
    partnerId: partner.id,
    patient,
    accessToken: token,
    dpop: { key: signer.key, jwk, alg: 'ES256' },
    fetch: (...args) => globalThis.fetch(...args),
    signal,
    now: Date.now,
  }).catch((error: unknown) => {
    // An answer from the broker carries a code (its own or the partner connector's): the extension words it.
    if (isLaunchError(error) && !CLIENT_CODES.has(error.code)) throw new LaunchError(error.code, error.message, brokerWording(error.code, partner.label));
    throw error;
  });
}
