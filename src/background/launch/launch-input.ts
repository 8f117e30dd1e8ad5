import type { Connector, LaunchInput } from '../../connectors/connector';
import { connectorFor } from '../../connectors/registry';
import type { ClinicianProfile } from '../../shared/clinician';
import type { PartnerConfig } from '../../shared/config';
import { LaunchError } from '../../shared/launch-error';
import type { PatientContext } from '../../shared/patient';
import { signerFor } from '../vault/installation-keys';
import { accessTokenSource } from '../pairing/pairings';
import { partnerClock } from './partner-clock';
import { partnerSessions } from '../pairing/partner-sessions';
import { configItem } from '../settings/settings';
import { vault } from '../vault/vault';

/** A launch as a whole ends well inside 30 s, whatever the partner does. */
export const LAUNCH_TIMEOUT_MS = 25_000;

export async function findPartner(partnerId: string): Promise<{ partner: PartnerConfig; connector: Connector<unknown> }> {
  const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
  const connector = partner && connectorFor(partner.kind);
  if (!partner || !connector) throw new LaunchError('unknown-partner', 'This launch button is no longer configured. Reload the page.', ['launchUnknownPartner']);
  return { partner, connector };
}

/** Everything a connector needs for one launch for this patient; refuses when the partner is not set up here. */
export async function launchInputFor(partner: PartnerConfig, connector: Connector<unknown>, clinician: ClinicianProfile, patient: PatientContext, signal: AbortSignal): Promise<LaunchInput<unknown>> {
  // Partners without secrets (PKB, NHS login) skip the vault and policy reads on the click's path.
  const secrets = connector.secretNames.length > 0 ? await vault.secretsFor(partner.id, connector.secretNames) : {};
  if (connector.secretNames.some((name) => !secrets[name])) {
    throw new LaunchError('setup-needed', `${partner.label} is not fully set up on this computer. Tell your IT service desk.`, ['launchSetupNeeded', partner.label]);
  }
  const [signer, partnerSession] = await Promise.all([
    connector.signingAlg ? signerFor(connector.signingAlg(partner)) : undefined,
    connector.signInStep ? partnerSessions.get(partner.id) : undefined,
  ]);
  const accessToken = accessTokenSource(partner, connector, clinician.username, signal);
  return {
    ...(partnerSession === undefined ? {} : { partnerSession }),
    ...(signer ? { signer } : {}),
    ...(accessToken ? { accessToken } : {}),
    config: partner,
    secrets,
    clinician,
    patient,
    fetch: (...args) => globalThis.fetch(...args),
    signal,
    now: connector.clockProbeUrl ? await partnerClock(connector.clockProbeUrl(partner), partner.label) : Date.now,
  };
}
