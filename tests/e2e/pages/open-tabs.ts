import { expect, type BrowserContext } from '@playwright/test';
import { EXTENSION_ID } from '../browser';

/**
 * How many tabs the browser has open. Asked of the browser itself through the extension's worker when it is
 * running: Playwright hears of a new tab by an event that may arrive after the launch that opened it has
 * answered, while the browser's own list already has it then. A stopped worker cannot be opening a tab, so then
 * Playwright's list, which the test has already waited on, is complete.
 */
export async function openTabCount(context: BrowserContext): Promise<number> {
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  if (!worker) return context.pages().length;
  let count = -1;
  try {
    // A worker stopped after Playwright listed it may never answer: bounded, then it counts as stopped.
    await expect(async () => {
      count = await worker.evaluate(async () => (await chrome.tabs.query({})).length);
    }).toPass({ timeout: 2_000 });
    return count;
  } catch {
    return context.pages().length;
  }
}
