import { browser } from '../../shared/browser-api';
import type { LaunchOutput } from '../../connectors/connector';
import { recordAudit } from '../audit/audit';
import { clinicianFor } from '../identity/clinician-source';
import type { Landing } from './landing-judgement';
import { watchLanding } from './landing-watch';
import { buildLaunchFor } from './launch-builder';
import { findPartner, LAUNCH_TIMEOUT_MS } from './launch-input';
import { openInstruction } from './open-instruction';
import { dropPendingRelaunch, partnerTabOrigins, rememberLaunchedTab } from '../partner-tabs/remember';
import type { PrefetchBinding } from '../prefetch/prefetch-store';
import { prefetches } from '../prefetch/prefetches';
import { readTabContext } from './read-tab-context';
import { tabContexts } from '../page/tab-contexts';

/** Everything a launch (launch.ts) asks of the rest of the extension and the browser; tests pass their own. */
export interface LaunchDeps {
  readTabContext: typeof readTabContext;
  /** What the tab last reported (for a request that may start while the page is re-read). */
  reportedContext: typeof tabContexts.get;
  findPartner: typeof findPartner;
  clinicianFor: typeof clinicianFor;
  buildLaunchFor: typeof buildLaunchFor;
  takePrefetched(binding: PrefetchBinding): Promise<LaunchOutput | undefined>;
  partnerTabOrigins: typeof partnerTabOrigins;
  rememberLaunchedTab: typeof rememberLaunchedTab;
  dropPendingRelaunch: typeof dropPendingRelaunch;
  openInstruction: typeof openInstruction;
  watchLanding(tabId: number, refused: ((url: string) => boolean) | undefined, timeoutMs: number, handoffFirst?: boolean): Promise<Landing>;
  /** Sends a launch tab to a fresh launch's address (the one retry after a refused credential). */
  sendTab(tabId: number, url: string): Promise<unknown>;
  recordAudit: typeof recordAudit;
  launchTimeoutMs: number;
  /** How long a launch tab is followed to see whether the partner accepted the launch. */
  landingTimeoutMs: number;
}

export const launchDeps: LaunchDeps = {
  readTabContext,
  reportedContext: (tabId) => tabContexts.get(tabId),
  findPartner,
  clinicianFor,
  buildLaunchFor,
  takePrefetched: async (binding) => (await prefetches.take(binding)) ?? undefined,
  partnerTabOrigins,
  rememberLaunchedTab,
  dropPendingRelaunch,
  openInstruction,
  watchLanding: (tabId, refused, timeoutMs, handoffFirst) => watchLanding(tabId, refused, timeoutMs, undefined, handoffFirst),
  sendTab: (tabId, url) => browser.tabs.update(tabId, { url }),
  recordAudit,
  launchTimeoutMs: LAUNCH_TIMEOUT_MS,
  landingTimeoutMs: 15_000,
};
