import { browser } from '../../shared/browser-api';
import { isFailedOutcome } from '../../shared/audit';
import { hostPatternsFor } from '../../shared/host-access';
import { auditForwarder, forwardingEndpoint, readAudit } from '../audit/audit';
import { effectiveState } from '../settings/settings';
import { closeStorageToContentScripts } from '../storage/storage-trust';
import { tabContexts } from '../page/tab-contexts';
import { policySecrets } from '../vault/vault';
import { setupStatus } from './setup-status';

/** How many EHR tabs' latest readings the diagnostics show (the options page is a tab of its own). */
const RECENT_TABS = 5;

/** What an administrator or the service desk needs to see first when something does not work. */
export async function diagnostics() {
  const [state, secrets, audit, forwarding, endpoint, tabs, storageAccess, setup] = await Promise.all([
    effectiveState({ fresh: true }),
    policySecrets(),
    readAudit(),
    auditForwarder.status(),
    forwardingEndpoint(),
    tabContexts.recent(RECENT_TABS),
    closeStorageToContentScripts(),
    setupStatus(),
  ]);
  const patterns = hostPatternsFor(state.config);
  const missing: string[] = [];
  for (const pattern of patterns) {
    if (!(await browser.permissions.contains({ origins: [pattern] }))) missing.push(pattern);
  }
  return {
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    sandboxBuild: __SANDBOX_BUILD__,
    policy: {
      present: state.policyPresent || Object.keys(secrets.secrets).length > 0,
      locked: state.locked,
      fromPolicy: state.fromPolicy,
      problems: [...secrets.problems, ...state.problems],
    },
    hostAccess: { needed: patterns, missing },
    /** The options page's setup checklist: what is left to do on this computer. */
    setup,
    /** Whether the browser let the extension close its storage to content scripts (storage-trust.ts). */
    storageAccess,
    lastErrors: audit.entries.filter((e) => isFailedOutcome(e.outcome)).slice(0, 10),
    auditDropped: audit.dropped,
    forwarding: { ...forwarding, endpoint },
    /** What the detector read on the most recently reporting EHR tabs: the patient, or why there is none. */
    recentTabs: tabs.map((tab) => ({ tabId: tab.tabId, url: tab.url, context: tab.context, problem: tab.problem ?? null, reason: tab.reason ?? null, reportedAt: tab.reportedAt })),
  };
}
