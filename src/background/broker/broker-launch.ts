import type { LaunchOutput } from '../../connectors/connector';
import type { PartnerConfig } from '../../shared/config';
import { launchThroughBroker } from '../../shared/broker/broker-client';
import { isLaunchError, LaunchError } from '../../shared/launch-error';
import { brokerWording } from './broker-wording';
import type { PatientContext } from '../../shared/patient';
import { brokerCredentials } from './broker-credentials';
import { listedPartners } from './broker-partners';
import { refuseUnlisted } from './unlisted-partner';

/** Codes the broker client gives when there is no answer from the broker to word (it words those itself). */
const CLIENT_CODES = new Set(['broker-unreachable', 'broker-timeout', 'broker-failed', 'broker-refused', 'broker-bad-answer']);

/**
 * A launch built by the organisation's launch broker: the clinician's verified sign-in (its access token)
 * proves who asks, this installation's key (DPoP) proves it is asked from here. The engine around it is
 * unchanged: the patient re-check before, the allow-list check and opening after.
 */
export async function brokerLaunch(brokerUrl: string, partner: PartnerConfig, patient: PatientContext, signal: AbortSignal): Promise<LaunchOutput> {
  const credentials = await brokerCredentials();
  if (!credentials.ok && credentials.missing === 'sign-in') {
    throw new LaunchError('identity-needed', `${partner.label} opens through your organisation's launch broker, which needs your sign-in: open the EHR Launchpad menu in the toolbar and sign in.`, ['launchBrokerSignIn', partner.label]);
  }
  if (!credentials.ok) throw new LaunchError('setup-needed', 'This computer has no key for the launch broker yet. Tell your IT service desk.', ['launchBrokerNoKey']);
  // A partner the broker has said this clinician may not launch is refused here, with its own sentence.
  refuseUnlisted(await listedPartners(brokerUrl, signal), partner);
  return launchThroughBroker({
    brokerUrl,
    partnerId: partner.id,
    patient,
    accessToken: credentials.accessToken,
    dpop: credentials.dpop,
    fetch: (...args) => globalThis.fetch(...args),
    signal,
    now: Date.now,
  }).catch((error: unknown) => {
    // An answer from the broker carries a code (its own or the partner connector's): the extension words it.
    if (isLaunchError(error) && !CLIENT_CODES.has(error.code)) throw new LaunchError(error.code, error.message, brokerWording(error.code, partner.label));
    throw error;
  });
}
