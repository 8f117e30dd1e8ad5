import { connectorFor } from '../connectors/registry';
import type { ClinicianProfile } from '../shared/clinician';
import type { Config } from '../shared/config';
import type { BarState } from '../shared/protocol';
import { partnerSessions } from './partner-sessions';
import { vault } from './vault';

/** What the launch bar should offer: one button per configured partner, with whether it can launch yet. */
export async function barStateFor(config: Config, clinician: ClinicianProfile | null): Promise<BarState> {
  const { set: secretsSet } = await vault.secretStatus();
  const partners = await Promise.all(
    config.partners.map(async (partner) => {
      const connector = connectorFor(partner.kind);
      const set = secretsSet[partner.id] ?? [];
      if (!connector || connector.secretNames.some((name) => !set.includes(name))) {
        return { id: partner.id, label: partner.label, state: 'setup-needed' as const, message: 'Not set up on this computer yet: tell your IT service desk.' };
      }
      if (connector.signInStep && !(await partnerSessions.get(partner.id))) {
        return { id: partner.id, label: partner.label, state: 'setup-needed' as const, message: `Sign in to ${partner.label} first: open the EHR Launchpad menu in the toolbar.` };
      }
      if (!clinician) {
        return { id: partner.id, label: partner.label, state: 'setup-needed' as const, message: 'Set up your clinician profile in the EHR Launchpad toolbar menu.' };
      }
      return { id: partner.id, label: partner.label, state: 'ready' as const };
    }),
  );
  return { partners };
}
