import type { Connector } from '../connectors/connector';
import { connectorFor } from '../connectors/registry';
import type { PartnerConfig } from '../shared/config';
import { LaunchError, isLaunchError } from '../shared/launch-error';
import { contextFingerprint } from '../shared/patient';
import type { LaunchResult } from '../shared/protocol';
import { recordAudit, type AuditEntry } from './audit';
import { signerFor } from './installation-keys';
import { openInstruction } from './open-instruction';
import { partnerClock } from './partner-clock';
import { partnerSessions } from './partner-sessions';
import { readTabContext } from './read-tab-context';
import type { VerifiedSender } from './sender';
import { clinicianItem, configItem } from './settings';
import { vault } from './vault';

/** A launch as a whole ends well inside 30 s, whatever the partner does. */
const LAUNCH_TIMEOUT_MS = 25_000;

type ContentSender = Extract<VerifiedSender, { kind: 'content' }>;

export const PATIENT_CHANGED =
  'The patient on the page is not the one this button was drawn for, so nothing was opened. Check the patient and click again.';

async function findPartner(partnerId: string): Promise<{ partner: PartnerConfig; connector: Connector<unknown> }> {
  const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
  const connector = partner && connectorFor(partner.kind);
  if (!partner || !connector) throw new LaunchError('unknown-partner', 'This launch button is no longer configured. Reload the page.');
  return { partner, connector };
}

/**
 * One click, one launch: re-read the patient from the tab, check it is the one the button showed, let the
 * partner's connector build the instruction, open it, and write the audit entry.
 */
export async function launchFromTab(partnerId: string, fingerprint: string, sender: ContentSender): Promise<LaunchResult> {
  const started = performance.now();
  let clinician: string | null = null;
  let nhsNumber: string | null = null;
  const audit = (outcome: AuditEntry['outcome'], code?: string) =>
    recordAudit({ time: new Date().toISOString(), event: 'launch', clinician, partnerId, nhsNumber, outcome, ...(code ? { code } : {}), ms: Math.round(performance.now() - started) });
  try {
    const fresh = await readTabContext(sender);
    if (!fresh.context || fresh.fingerprint !== fingerprint || contextFingerprint(fresh.context) !== fingerprint) {
      throw new LaunchError('patient-changed', PATIENT_CHANGED);
    }
    nhsNumber = fresh.context.nhsNumber;
    const { partner, connector } = await findPartner(partnerId);
    const profile = await clinicianItem.get();
    if (!profile) {
      throw new LaunchError('clinician-missing', 'Set up your clinician profile first: open the EHR Launchpad menu in the toolbar.');
    }
    clinician = profile.username;
    const secrets = await vault.secretsFor(partner.id, connector.secretNames);
    if (connector.secretNames.some((name) => !secrets[name])) {
      throw new LaunchError('setup-needed', `${partner.label} is not fully set up on this computer. Tell your IT service desk.`);
    }
    const signer = connector.signingAlg ? await signerFor(connector.signingAlg(partner)) : undefined;
    const partnerSession = await partnerSessions.get(partner.id);
    const output = await connector.buildLaunch({
      ...(partnerSession === undefined ? {} : { partnerSession }),
      ...(signer ? { signer } : {}),
      config: partner,
      secrets,
      clinician: profile,
      patient: fresh.context,
      fetch: globalThis.fetch.bind(globalThis),
      signal: AbortSignal.timeout(LAUNCH_TIMEOUT_MS),
      now: connector.clockProbeUrl ? await partnerClock(connector.clockProbeUrl(partner)) : Date.now,
    });
    await openInstruction(output.instruction, connector.launchOrigins(partner), sender);
    await audit('ok');
    return output.notice ? { notice: output.notice } : {};
  } catch (error) {
    const code = isLaunchError(error) ? error.code : 'internal';
    await audit(code === 'patient-changed' || code === 'page-gone' ? 'refused' : 'error', code);
    throw error;
  }
}
