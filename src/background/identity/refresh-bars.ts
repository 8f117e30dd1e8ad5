import { browser } from '../../shared/browser-api';
import { contextFingerprint } from '../../shared/patient';
import type { ContentPayloadOf } from '../../shared/protocol';
import { barStateFor } from '../page/bar-state';
import { configItem } from '../settings/settings';
import { tabContexts } from '../page/tab-contexts';
import { clinicianState } from './clinician-source';

/**
 * After the clinician signs in or out, every EHR tab's bar shows its buttons' new states at once ("Sign in to
 * launch" becomes the partner's button), without waiting for the page to report again.
 */
export async function refreshBars(): Promise<void> {
  const config = await configItem.get();
  const who = await clinicianState(config);
  for (const tab of await tabContexts.recent(100)) {
    if (!tab.context) continue;
    const payload: ContentPayloadOf<'bar.update'> = { fingerprint: contextFingerprint(tab.context), state: await barStateFor(config, who, tab.context) };
    const target = { frameId: tab.frameId, ...(tab.documentId ? { documentId: tab.documentId } : {}) };
    await browser.tabs.sendMessage(tab.tabId, { type: 'bar.update', payload }, target as { frameId: number }).catch(() => undefined);
  }
}
