import { browser } from '../../shared/browser-api';
import { LaunchError } from '../../shared/launch-error';
import { isAllowedLaunchUrl, instructionUrl, type LaunchInstruction } from '../../shared/launch-instruction';
import { handoffs } from './handoff-store';

/** What opening asks of the browser and the hand-off store; tests pass their own. */
export interface OpenDeps {
  createTab(properties: chrome.tabs.CreateProperties): Promise<Pick<chrome.tabs.Tab, 'id'>>;
  updateTab(tabId: number, properties: chrome.tabs.UpdateProperties): Promise<Pick<chrome.tabs.Tab, 'id'>>;
  /** Stores a form POST for the launch page and answers that page's address. */
  handoffUrl(action: string, fields: Record<string, string>, target: { tabId: number } | { openerTabId: number }): Promise<string>;
}

const browserDeps: OpenDeps = {
  createTab: (properties) => browser.tabs.create(properties),
  // The API may answer without a tab; then the opened tab has no id to report.
  updateTab: async (tabId, properties) => (await browser.tabs.update(tabId, properties)) ?? {},
  handoffUrl: async (action, fields, target) => handoffs.pageUrl(await handoffs.create(action, fields, target)),
};

export interface OpenerTab {
  tabId: number;
  tabIndex: number;
  windowId: number;
}

/**
 * Opens a connector's instruction in a new tab next to the EHR tab, after checking where it goes; or, with
 * `intoTab`, in that partner tab (a relaunch for the EHR's new patient).
 */
export async function openInstruction(
  instruction: LaunchInstruction,
  allowedOrigins: readonly string[],
  opener: OpenerTab,
  into?: { tabId: number; activate: boolean },
  deps: OpenDeps = browserDeps,
): Promise<number | undefined> {
  const intoTab = into?.tabId;
  if (!isAllowedLaunchUrl(instructionUrl(instruction), allowedOrigins)) {
    throw new LaunchError('launch-origin-refused', 'The partner answered with an address that is not on the allowed list, so nothing was opened. Tell your IT service desk.', ['launchOriginRefused']);
  }
  const url = 'open' in instruction ? instruction.open : await deps.handoffUrl(instruction.post, instruction.fields, intoTab !== undefined ? { tabId: intoTab } : { openerTabId: opener.tabId });
  if (intoTab !== undefined) {
    const updated = await deps.updateTab(intoTab, { url, active: into?.activate === true });
    return updated.id;
  }
  const tab = await deps.createTab({
    url,
    active: true,
    openerTabId: opener.tabId,
    index: opener.tabIndex + 1,
    ...(opener.windowId >= 0 ? { windowId: opener.windowId } : {}),
  });
  return tab.id;
}
