import type { PartnerConfig } from '../../shared/config';
import { contextFingerprint, type PatientContext } from '../../shared/patient';
import { displayName } from '../../shared/person-name';
import { partnerTabs, type PartnerTabRecord } from './registry';

/** A patient as the strip and the popup name them, with the fingerprint that says exactly who. */
export function shownPatient(context: PatientContext) {
  return { name: displayName(context.name), nhsNumber: context.nhsNumber, fingerprint: contextFingerprint(context) };
}

/** The launch engine opened `tabId` for this patient from this EHR tab (or launched into it again). */
export async function rememberLaunchedTab(input: {
  tabId: number;
  partner: PartnerConfig;
  origins: readonly string[];
  patient: PatientContext;
  ehr: PartnerTabRecord['ehr'];
}): Promise<void> {
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
  // A strip the tab shows now is not taken away here: it warns on the previous patient's page, which stays
  // until the new one replaces it (and for good if the page refuses to be left), and it goes with that page.
}
