import browser from 'webextension-polyfill';
import { LaunchError } from '../shared/launch-error';
import { isAllowedLaunchUrl, instructionUrl, type LaunchInstruction } from '../shared/launch-instruction';
import { handoffs } from './handoffs';

export interface OpenerTab {
  tabId: number;
  tabIndex: number;
  windowId: number;
}

/** Opens a connector's instruction in a new tab next to the EHR tab, after checking where it goes. */
export async function openInstruction(instruction: LaunchInstruction, allowedOrigins: readonly string[], opener: OpenerTab): Promise<number | undefined> {
  if (!isAllowedLaunchUrl(instructionUrl(instruction), allowedOrigins)) {
    throw new LaunchError('launch-origin-refused', 'The partner answered with an address that is not on the allowed list, so nothing was opened. Tell your IT service desk.');
  }
  const url = 'open' in instruction ? instruction.open : handoffs.pageUrl(await handoffs.create(instruction.post, instruction.fields, opener.tabId));
  const tab = await browser.tabs.create({
    url,
    active: true,
    openerTabId: opener.tabId,
    index: opener.tabIndex + 1,
    ...(opener.windowId >= 0 ? { windowId: opener.windowId } : {}),
  });
  return tab.id;
}
