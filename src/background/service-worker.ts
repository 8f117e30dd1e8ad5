import { browser } from '../shared/browser-api';
import { onMessage } from '../shared/runtime';
import { AUDIT_ALARM, auditForwarder, flushAuditOutbox } from './audit/audit';
import { syncContentScripts } from './settings/content-scripts';
import { frameReadings } from './page/frame-readings';
import { handlers } from './messages/handlers';
import { IDENTITY_ALARM } from './identity/identity-alarm';
import { recheckIdentity } from './identity/silent-check';
import { launchRefusals } from './launch/launch-refusals';
import { scheduleBadgeUpdate, updateBadge } from './health/health';
import { sessionChangeMovesBadge } from './health/health-issues';
import { tokenVault } from './pairing/pairings';
import { prefetches } from './prefetch/prefetches';
import { restoreMarks, tabRemoved, tabUpdated } from './partner-tabs/follow-ehr';
import { partnerTabs } from './partner-tabs/registry';
import { createRouter } from './messages/router';
import { configItem } from './settings/settings';
import { closeStorageToContentScripts } from './storage/storage-trust';
import { migrateUnboundSecrets } from './vault/vault';
import { namesBannerFrame } from '../shared/site-profile';
import { tabContexts } from './page/tab-contexts';
import { applyIdleSettings, onIdleStateChanged } from './identity/workstation';
import { openGetStartedIfUnconfigured } from './settings/first-run';

/**
 * The service worker. Every listener is registered synchronously at the top level: the worker is stopped
 * after about 30 s idle and woken by the next event, which must find its listener already there.
 */

// First, before anything is read: storage is for the worker and the extension's pages only.
const storageTrust = closeStorageToContentScripts();

const isEhrOrigin = async (origin: string) => (await configItem.get()).ehrSites.some((site) => site.origin === origin);

const route = createRouter(
  handlers,
  {
    runtimeId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('').replace(/\/$/, ''),
    isEhrOrigin,
    isBannerFrame: async (topOrigin, frameOrigin) => namesBannerFrame(await configItem.get(), topOrigin, frameOrigin),
    isPartnerTab: async (tabId, origin) => (await partnerTabs.get(tabId))?.origins.includes(origin) === true,
  },
  // Only the error's kind: its message could quote partner data.
  (error) => console.error('EHR Launchpad: unexpected error in a handler:', error instanceof Error ? error.name : typeof error),
);

onMessage((message, sender) => route(message, sender));

browser.tabs.onRemoved.addListener((tabId) => {
  prefetches.dropTab(tabId);
  void tabContexts.remove(tabId);
  void frameReadings.remove(tabId);
  void launchRefusals.remove(tabId);
  void tabRemoved(tabId).catch(() => undefined);
});

// Partner tabs follow the EHR tab they came from; the extension sees a tab's address only on sites it has access to.
browser.tabs.onUpdated.addListener((tabId, change, tab) => {
  void tabUpdated(tabId, change, tab, isEhrOrigin).catch(() => undefined);
});

async function resync(): Promise<void> {
  await syncContentScripts(await configItem.get());
}
browser.runtime.onInstalled.addListener((details) => {
  void resync();
  if (details.reason === 'install') void openGetStartedIfUnconfigured().catch(() => undefined);
  // An update from a version that sealed secrets to their slot only: bind them to their partners' addresses,
  // once storage is closed to content scripts.
  if (details.reason === 'update') {
    void storageTrust.then(() => Promise.all([migrateUnboundSecrets(), tokenVault.migrateUnbound()])).catch(() => undefined);
  }
});
browser.runtime.onStartup.addListener(() => void resync());

// Audit events waiting for the organisation's endpoint: retried on their alarm, and whenever the worker starts.
// The verified identity's alarm: a silent re-check with the organisation's provider, or the identity's end.
browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUDIT_ALARM) void flushAuditOutbox();
  if (alarm.name === IDENTITY_ALARM) void recheckIdentity().catch(() => undefined);
});
void flushAuditOutbox();

// Policy and configuration apply live: a change of either (from the options page, or the organisation's policy
// arriving or changing while the browser runs) re-registers the content script, re-reads the idle settings
// and tries the audit endpoint again. The badge follows any change that could fix or cause a problem.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'managed' || (area === 'local' && Object.hasOwn(changes, configItem.key))) {
    void resync().catch(() => undefined);
    void applyIdleSettings().catch(() => undefined);
    void auditForwarder.resetBackoff().then(flushAuditOutbox);
  }
  if (area === 'managed' || area === 'local') scheduleBadgeUpdate();
  // A sign-in (the organisation's, or a partner's own) can make a partner ready or not.
  if (area === 'session' && sessionChangeMovesBadge(Object.keys(changes))) scheduleBadgeUpdate();
});
// Site access granted or withdrawn (production builds ask at run time) can unblock or block a partner.
browser.permissions.onAdded.addListener(() => scheduleBadgeUpdate());
browser.permissions.onRemoved.addListener(() => scheduleBadgeUpdate());

browser.idle.onStateChanged.addListener((state) => void onIdleStateChanged(state));
void applyIdleSettings().catch(() => undefined);
void updateBadge();
// Marked partner tabs keep their strip across a worker restart.
void restoreMarks().catch(() => undefined);
