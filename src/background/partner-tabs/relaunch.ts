import { browser } from '../../shared/browser-api';
import { LaunchError } from '../../shared/launch-error';
import { launchFromTab } from '../launch/launch';
import { tabContexts } from '../page/tab-contexts';
import type { PartnerTabRecord } from './registry';

/**
 * Launches the partner again, into the partner tab itself, for the patient the EHR tab shows now: the same
 * engine and checks as a click on the bar (a fresh reading of the EHR tab must match `fingerprint`).
 */
export async function relaunchInto(record: PartnerTabRecord, fingerprint: string, options: { activate?: boolean } = {}): Promise<{ outcome: 'ok' | 'sent'; code?: string }> {
  const ehr = await tabContexts.get(record.ehr.tabId);
  if (record.ehr.tabId < 0 || !ehr?.context) throw new LaunchError('no-patient', 'The EHR tab this was opened from shows no patient now, so nothing was opened.', ['launchEhrTabNoPatient']);
  const info = await browser.tabs.get(record.ehr.tabId);
  // What the launch saw of the tab's landing: the follow or relaunch is audited as honestly as the launch.
  let landed: { outcome: 'ok' | 'sent'; code?: string } = { outcome: 'sent', code: 'outcome-not-visible' };
  await launchFromTab(
    record.partnerId,
    fingerprint,
    {
      kind: 'content',
      url: ehr.url,
      origin: ehr.origin,
      tabId: record.ehr.tabId,
      tabIndex: info.index,
      windowId: info.windowId ?? -1,
      frameId: ehr.frameId,
      ...(ehr.documentId ? { documentId: ehr.documentId } : {}),
    },
    { intoTab: record.tabId, activate: options.activate !== false, landed: (outcome, code) => (landed = { outcome, ...(code ? { code } : {}) }) },
  );
  return landed;
}
