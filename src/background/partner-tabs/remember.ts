import type { Connector } from '../../connectors/connector';
import type { PartnerConfig } from '../../shared/config';
import { contextFingerprint, type PatientContext } from '../../shared/patient';
import { displayName } from '../../shared/person-name';
import { partnerTabs, type PartnerTabRecord } from './registry';

/** A patient as the strip and the popup name them, with the fingerprint that says exactly who. */
export function shownPatient(context: PatientContext) {
  return { name: displayName(context.name), nhsNumber: context.nhsNumber, fingerprint: contextFingerprint(context) };
}

/** Where a partner's tabs may be while they stay followed: where its launches open, and the origins its configuration adds. */
export function partnerTabOrigins(partner: PartnerConfig, connector: Pick<Connector<unknown>, 'launchOrigins'>): string[] {
  return [...new Set([...connector.launchOrigins(partner), ...(partner.tabOrigins ?? [])])];
}

/**
 * The launch engine opened `tabId` for this patient from this EHR tab. A relaunch into a tab the extension
 * already follows is remembered as pending, before the tab is sent anywhere: it becomes the tab's patient when
 * the tab starts loading it (`tabStartedLoading`).
 */
export async function rememberLaunchedTab(input: {
  tabId: number;
  partner: PartnerConfig;
  origins: readonly string[];
  patient: PatientContext;
  ehr: PartnerTabRecord['ehr'];
  relaunch?: boolean;
}): Promise<void> {
  const existing = input.relaunch ? await partnerTabs.get(input.tabId) : undefined;
  if (existing) {
    await partnerTabs.set({ ...existing, pending: { patient: shownPatient(input.patient), ehr: input.ehr, origins: [...input.origins], at: Date.now() } });
    return;
  }
  await partnerTabs.set({
    tabId: input.tabId,
    partnerId: input.partner.id,
    partnerLabel: input.partner.label,
    origins: [...input.origins],
    patient: shownPatient(input.patient),
    ehr: input.ehr,
    openedAt: Date.now(),
    state: 'current',
    strip: null,
    tampered: 0,
  });
}

/** A relaunch into `tabId` that failed before the tab was sent anywhere: it is not what the tab will show. */
export async function dropPendingRelaunch(tabId: number): Promise<void> {
  const record = await partnerTabs.get(tabId);
  if (!record?.pending) return;
  const { pending: _dropped, ...rest } = record;
  await partnerTabs.set(rest);
}
