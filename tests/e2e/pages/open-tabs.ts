import { expect, type BrowserContext } from '@playwright/test';
import { extensionWorker } from '../browser';

/**
 * How many tabs the browser has open, asked of the browser itself through the extension's worker. Playwright
 * hears of a new tab by an event that may arrive after the launch that opened it has answered; the browser's
 * own list already has it then. Asked again if the worker is just being stopped or restarted.
 */
export async function openTabCount(context: BrowserContext): Promise<number> {
  let count = -1;
  await expect(async () => {
    const worker = await extensionWorker(context);
    count = await worker.evaluate(async () => (await chrome.tabs.query({})).length);
  }).toPass({ timeout: 10_000, intervals: [100] });
  return count;
}
