import browser from 'webextension-polyfill';
import { LaunchError } from '../shared/launch-error';
import { isAllowedLaunchUrl, instructionUrl, type LaunchInstruction } from '../shared/launch-instruction';
import { handoffs } from './handoffs';

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
): Promise<number | undefined> {
  const intoTab = into?.tabId;
  if (!isAllowedLaunchUrl(instructionUrl(instruction), allowedOrigins)) {
    throw new LaunchError('launch-origin-refused', 'The partner answered with an address that is not on the allowed list, so nothing was opened. Tell your IT service desk.');
  }
  const url = 'open' in instruction ? instruction.open : handoffs.pageUrl(await handoffs.create(instruction.post, instruction.fields, intoTab !== undefined ? { tabId: intoTab } : { openerTabId: opener.tabId }));
  if (intoTab !== undefined) {
    const updated = await browser.tabs.update(intoTab, { url, active: into?.activate === true });
    return updated.id;
  }
  const tab = await browser.tabs.create({
    url,
    active: true,
    openerTabId: opener.tabId,
    index: opener.tabIndex + 1,
    ...(opener.windowId >= 0 ? { windowId: opener.windowId } : {}),
  });
  return tab.id;
}
