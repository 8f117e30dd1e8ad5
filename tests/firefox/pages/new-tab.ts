import { expect } from '@playwright/test';
import type { Firefox } from '../firefox-launcher';
import { Tab } from './tab';

/**
 * The next top-level browsing context Firefox opens (a partner tab, the auth window): call before the click
 * that opens it, await after. Answers it once it has left about:blank and its document has loaded.
 */
export async function nextTab(firefox: Firefox, timeout = 15_000): Promise<Tab> {
  const created = firefox.client.waitForEvent('browsingContext.contextCreated', (e) => !e.parent, timeout);
  // A rejection before the caller awaits must not go unhandled: it is rethrown when the tab is awaited.
  created.catch(() => undefined);
  return created.then(async ({ context }) => {
    const tab = new Tab(firefox, context);
    await expect
      .poll(async () => {
        const url = await tab.url();
        if (url === '' || url === 'about:blank') return false;
        return tab.run(() => document.readyState !== 'loading').catch(() => false);
      }, { timeout, message: 'The new tab did not load a page' })
      .toBe(true);
    return tab;
  });
}
