import { browser } from '../../shared/browser-api';
import stripScript from '../../content/partner-tab/strip.ts?script&iife';
import type { StripContent } from '../../shared/partner-tabs';

/** Puts the strip's script into the partner tab's top frame; it asks what to show. False when it could not be placed. */
export async function injectStrip(tabId: number): Promise<boolean> {
  try {
    await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: [stripScript] });
    return true;
  } catch {
    // No access to the page (an error page, or a site the extension may not script): the popup still lists it.
    return false;
  }
}

/** Tells the strip's script, if the tab has one, what to show now (null: nothing). */
export async function sendStrip(tabId: number, content: StripContent | null): Promise<void> {
  await browser.tabs.sendMessage(tabId, { type: 'strip.show', payload: content }, { frameId: 0 }).catch(() => undefined);
}
