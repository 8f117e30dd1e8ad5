import { staleTabAction, type ShownPatient, type StaleTabSettings, type StaleTabTrigger, type StripContent } from '../../shared/partner-tabs';
import type { PartnerTabRecord } from './registry';

/** What happened to an EHR tab (or to the clinician) that partner tabs opened from it may have to follow. */
export type EhrEvent =
  /** The EHR tab shows a patient (maybe the one its partner tabs were opened for). `complete`: NHS number, birth date and name all read. */
  | { kind: 'patient-shown'; ehrTabId: number; now: ShownPatient & { fingerprint: string }; complete: boolean }
  | { kind: 'ehr-closed'; ehrTabId: number }
  | { kind: 'ehr-left'; ehrTabId: number }
  | { kind: 'signed-out' };

export type TabStep =
  | { action: 'mark'; trigger: StaleTabTrigger; strip: StripContent }
  | { action: 'unmark' }
  | { action: 'close'; trigger: StaleTabTrigger }
  | { action: 'follow'; trigger: 'patient-changed'; fingerprint: string };

export interface Decision {
  record: PartnerTabRecord;
  step: TabStep;
}

/**
 * For one event, what each partner tab must do, by its partner's setting (`settingsFor` answers undefined
 * for a partner no longer configured, which is then marked). Pure: the caller carries the steps out.
 * - A tab is acted on only for events of the EHR tab it came from (two EHR tabs keep their partner tabs apart).
 * - The EHR showing the tab's own patient again takes a strip away (not one for a sign-out); showing another
 *   patient acts on it.
 * - `follow` needs the new patient read in full; otherwise the tab is marked.
 */
export function decide(records: readonly PartnerTabRecord[], event: EhrEvent, settingsFor: (partnerId: string) => StaleTabSettings | undefined): Decision[] {
  const decisions: Decision[] = [];
  for (const record of records) {
    if (event.kind !== 'signed-out' && record.ehr.tabId !== event.ehrTabId) continue;
    // Marked after a sign-out: the tab is still signed in to the partner as the clinician who left, so the EHR
    // showing its patient again does not make it right, and the strip keeps saying why until the clinician acts.
    const signedOut = record.state !== 'current' && record.strip?.trigger === 'signed-out';
    if (event.kind === 'patient-shown' && event.now.fingerprint === record.patient.fingerprint) {
      if (record.state !== 'current' && !signedOut) decisions.push({ record, step: { action: 'unmark' } });
      continue;
    }
    const trigger: StaleTabTrigger = event.kind === 'patient-shown' ? 'patient-changed' : event.kind;
    const shownTrigger: StaleTabTrigger = signedOut ? 'signed-out' : trigger;
    const now = event.kind === 'patient-shown' ? event.now : null;
    // Already marked (or kept after marking) for this very situation, as on a repeated report: nothing new to say.
    if (record.state !== 'current' && record.strip?.trigger === shownTrigger && (record.strip.now?.fingerprint ?? null) === (now?.fingerprint ?? null)) continue;
    const settings = settingsFor(record.partnerId) ?? { staleTab: 'mark' };
    let action = staleTabAction(settings, trigger);
    if (action === 'follow' && !(event.kind === 'patient-shown' && event.complete)) action = 'mark';
    // Kept by the clinician (or marked for a sign-out): a later move of the EHR is news again, but it is only
    // said, never acted on harder.
    if ((record.state === 'kept' || signedOut) && (action === 'close' || action === 'follow')) action = 'mark';
    if (action === 'none') continue;
    if (action === 'close') decisions.push({ record, step: { action: 'close', trigger } });
    else if (action === 'follow' && now) decisions.push({ record, step: { action: 'follow', trigger: 'patient-changed', fingerprint: now.fingerprint } });
    else decisions.push({ record, step: { action: 'mark', trigger, strip: { partnerLabel: record.partnerLabel, was: { name: record.patient.name, nhsNumber: record.patient.nhsNumber }, trigger: shownTrigger, now } } });
  }
  return decisions;
}
