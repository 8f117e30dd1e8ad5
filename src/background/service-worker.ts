import browser, { type Runtime } from 'webextension-polyfill';
import { AUDIT_ALARM, flushAuditOutbox } from './audit';
import { syncContentScripts } from './content-scripts';
import { handlers } from './handlers';
import { prefetches } from './prefetches';
import { createRouter } from './router';
import { configItem } from './settings';
import { tabContexts } from './tab-contexts';

/**
 * The service worker. Every listener is registered synchronously at the top level: the worker is stopped
 * after about 30 s idle and woken by the next event, which must find its listener already there.
 */

const route = createRouter(
  handlers,
  {
    runtimeId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('').replace(/\/$/, ''),
    isEhrOrigin: async (origin) => (await configItem.get()).ehrSites.some((site) => site.origin === origin),
  },
  // Only the error's kind: its message could quote partner data.
  (error) => console.error('EHR Launchpad: unexpected error in a handler:', error instanceof Error ? error.name : typeof error),
);

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => route(message, sender));

browser.tabs.onRemoved.addListener((tabId) => {
  prefetches.dropTab(tabId);
  void tabContexts.remove(tabId);
});

async function resync(): Promise<void> {
  await syncContentScripts(await configItem.get());
}
browser.runtime.onInstalled.addListener(() => void resync());
browser.runtime.onStartup.addListener(() => void resync());

// Audit events waiting for the organisation's endpoint: retried on their alarm, and whenever the worker starts.
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUDIT_ALARM) void flushAuditOutbox();
});
void flushAuditOutbox();
