import { connectorFor } from '../connectors/registry';
import { goesViaBroker, type Config } from '../shared/config';
import type { PatientContext } from '../shared/patient';
import type { BarState, PartnerButton } from '../shared/protocol';
import { partnerClinician, type ClinicianState } from './identity/clinician-source';
import { pairingStates } from './pairings';
import { partnerSessions } from './partner-sessions';
import { cachedHint } from './patient-hints';
import { vault } from './vault';

/**
 * What the launch bar should offer: one button per configured partner, with whether it can launch yet and,
 * for the patient shown, any note already known (hints still being asked for arrive later as a bar update).
 */
export async function barStateFor(config: Config, who: ClinicianState, patient?: PatientContext | null): Promise<BarState> {
  const clinician = who.profile;
  const [{ set: secretsSet }, pairings] = await Promise.all([vault.secretStatus(), pairingStates(config.partners, clinician?.username ?? null)]);
  const partners = await Promise.all(
    config.partners.map(async (partner): Promise<PartnerButton> => {
      const base = { id: partner.id, label: partner.label };
      const connector = connectorFor(partner.kind);
      const set = secretsSet[partner.id] ?? [];
      // Through the broker, the partner's secrets are the broker's: none are needed here.
      const viaBroker = goesViaBroker(config, partner);
      if (!connector || (!viaBroker && connector.secretNames.some((name) => !set.includes(name)))) {
        return { ...base, state: 'setup-needed', message: 'Not set up on this computer yet: tell your IT service desk.' };
      }
      if (connector.signInStep && !(await partnerSessions.get(partner.id))) {
        return { ...base, state: 'setup-needed', message: `Sign in to ${partner.label} first: open the EHR Launchpad menu in the toolbar.` };
      }
      // Who the partner would be told the clinician is: a verified identity where policy asks for one.
      const identity = partnerClinician(who, partner, connector);
      if (!identity.ok) {
        return { ...base, state: identity.problem.code === 'identity-needed' ? 'sign-in-needed' : 'setup-needed', message: identity.problem.message };
      }
      if (!clinician) {
        return { ...base, state: 'setup-needed', message: 'Set up your clinician profile in the EHR Launchpad toolbar menu.' };
      }
      const pairing = pairings[partner.id];
      if (pairing === 'not-paired') {
        return { ...base, state: 'pairing-needed', message: `Pair with ${partner.label} first: open the EHR Launchpad menu in the toolbar and choose Pair.` };
      }
      if (pairing === 're-pair-needed') {
        return { ...base, state: 'pairing-needed', message: `Your ${partner.label} pairing has ended. Pair again from the EHR Launchpad menu in the toolbar.` };
      }
      const hint = patient && connector.patientHint ? cachedHint(partner.id, clinician.username, patient.nhsNumber)?.hint : undefined;
      return { ...base, state: 'ready', ...(hint ? { hint } : {}), ...(partner.prefetch === 'hover' ? { prefetchOnHover: true } : {}) };
    }),
  );
  return { partners };
}
