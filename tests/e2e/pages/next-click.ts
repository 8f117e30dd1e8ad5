import type { Page } from '@playwright/test';

type Watched = Window & { __nextClickTarget?: Promise<string> };

/**
 * Starts watching, from the page itself, for the next click on it. Answers a function that waits for that click
 * and answers the element it landed on, as the page sees it: a click on the launch bar is seen on its host
 * (`ehr-launchpad-bar`), a click on something laid over the bar on that thing. A positive signal that the click
 * has been delivered, and where, before checking that it started nothing.
 */
export async function watchNextClick(page: Page): Promise<() => Promise<string>> {
  await page.evaluate(() => {
    (window as Watched).__nextClickTarget = new Promise((resolve) => {
      document.addEventListener('click', (event) => resolve((event.target as Element | null)?.localName ?? ''), { capture: true, once: true });
    });
  });
  return () => page.evaluate(() => (window as Watched).__nextClickTarget!);
}
