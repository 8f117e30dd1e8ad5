import { browser } from '../../shared/browser-api';
import { connectorFor } from '../../connectors/registry';
import type { Config } from '../../shared/config';
import { contextFingerprint, type PatientContext } from '../../shared/patient';
import type { BarState, ContentPayloadOf } from '../../shared/protocol';
import { barStateFor } from '../page/bar-state';
import { partnerClinician, type ClinicianState } from '../identity/clinician-source';
import { lookUpHint } from './patient-hints';
import { startPrefetch } from './prefetches';
import type { VerifiedSender } from '../messages/sender';
import { tabContexts } from '../page/tab-contexts';

type ContentSender = Extract<VerifiedSender, { kind: 'content' }>;

/**
 * Work a patient report starts but does not wait for: eager prefetches, and notes for the buttons that only
 * the partner can give (sent to the bar when they arrive, if the tab still shows that patient).
 */
export function afterReport(config: Config, who: ClinicianState, patient: PatientContext, sender: ContentSender, state: BarState): void {
  const fingerprint = contextFingerprint(patient);
  const ready = new Set(state.partners.filter((p) => p.state === 'ready').map((p) => p.id));
  const lookups: Promise<unknown>[] = [];
  for (const partner of config.partners) {
    const connector = connectorFor(partner.kind);
    if (!connector || !ready.has(partner.id)) continue;
    const identity = partnerClinician(who, partner, connector);
    if (!identity.ok) continue;
    const clinician = identity.profile;
    if (partner.prefetch === 'eager') {
      const binding = { tabId: sender.tabId, frameId: sender.frameId, ...(sender.documentId ? { documentId: sender.documentId } : {}), partnerId: partner.id, fingerprint, clinician: clinician.username };
      startPrefetch(binding, partner, connector, clinician, patient);
    }
    const known = state.partners.find((p) => p.id === partner.id)?.hint !== undefined;
    if (connector.patientHint && !known) lookups.push(lookUpHint(partner, connector, clinician.username, patient));
  }
  if (lookups.length === 0) return;
  void Promise.all(lookups).then(async (hints) => {
    if (!hints.some(Boolean)) return;
    const tab = await tabContexts.get(sender.tabId);
    if (!tab?.context || contextFingerprint(tab.context) !== fingerprint || tab.documentId !== sender.documentId) return;
    const payload: ContentPayloadOf<'bar.update'> = { fingerprint, state: await barStateFor(config, who, patient) };
    const target: { frameId: number; documentId?: string } = { frameId: sender.frameId, ...(sender.documentId ? { documentId: sender.documentId } : {}) };
    await browser.tabs.sendMessage(sender.tabId, { type: 'bar.update', payload }, target as { frameId: number }).catch(() => undefined);
  });
}
