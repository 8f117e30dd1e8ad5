import type { Connector } from '../../connectors/connector';
import type { ClinicianProfile } from '../../shared/clinician';
import { goesViaBroker, type Config, type PartnerConfig } from '../../shared/config';
import { resolveProvider, type IdentityConfig, type ResolvedProvider } from '../../shared/identity/idp-config';
import { clinicianForPartner, lockedFields, mergedProfile, type PartnerClinician } from '../../shared/identity/partner-identity';
import { isLive, type VerifiedIdentity } from '../../shared/identity/verified-identity';
import { LaunchError } from '../../shared/launch-error';
import { identityProblemWording } from '../page/partner-readiness';
import { clinicianItem, configItem } from '../settings/settings';
import { identityStore } from './identity-store';

/**
 * The one place that says who the clinician is: the typed profile, the live verified identity (which wins for
 * every field its provider's mapping covers), and what the organisation's identity settings require.
 */
export interface ClinicianState {
  typed: ClinicianProfile | null;
  /** The verified identity while it is live, else null. */
  identity: VerifiedIdentity | null;
  settings: IdentityConfig;
  provider: ResolvedProvider | undefined;
  /** The profile for partners that need nothing verified (and for the popup): typed fields under locked ones. */
  profile: ClinicianProfile | null;
  /** The launch broker, if any: it acts only for a verified clinician. */
  broker: Config['broker'];
}

export async function clinicianState(config?: Config): Promise<ClinicianState> {
  const [current, typed, record] = await Promise.all([config ?? configItem.get(), clinicianItem.get(), identityStore.get()]);
  const settings = current.identity;
  const provider = settings.provider ? resolveProvider(settings.provider) : undefined;
  const identity = isLive(record?.identity, Date.now()) ? record!.identity : null;
  // The profile shown and saved carries the Parchment user id the sign-in maps, when it maps one.
  const parchment = current.partners.find((p) => p.kind === 'parchment' && provider?.partnerUserIds[p.id]);
  return { typed, identity, settings, provider, profile: mergedProfile(typed, identity, provider, parchment), broker: current.broker };
}

/** The profile fields a live identity decides (none without one): the form shows them read-only, saving keeps them. */
export function verifiedProfileFields(state: ClinicianState, config: Config): (keyof ClinicianProfile)[] {
  if (!state.identity) return [];
  const fields: (keyof ClinicianProfile)[] = lockedFields(state.provider);
  if (config.partners.some((p) => p.kind === 'parchment' && state.provider?.partnerUserIds[p.id])) fields.push('parchmentUserId');
  return fields;
}

export function partnerClinician(state: ClinicianState, partner: PartnerConfig, connector: Connector<unknown>): PartnerClinician {
  return clinicianForPartner({
    partner,
    sends: connector.identityFields?.(partner) ?? [],
    typed: state.typed,
    identity: state.identity,
    // The broker trusts only a verified clinician: going through it needs the sign-in, whatever `required` says.
    settings: goesViaBroker(state, partner) ? { ...state.settings, required: true } : state.settings,
    provider: state.provider,
  });
}

/** The clinician one launch speaks for at this partner; refuses with the reason when identity is missing. */
export async function clinicianFor(partner: PartnerConfig, connector: Connector<unknown>): Promise<{ profile: ClinicianProfile; state: ClinicianState }> {
  const state = await clinicianState();
  const result = partnerClinician(state, partner, connector);
  if (!result.ok) throw new LaunchError(result.problem.code, result.problem.message, identityProblemWording(result.problem, partner.label));
  return { profile: result.profile, state };
}
