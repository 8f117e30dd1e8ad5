import type { Page } from '@playwright/test';

/**
 * Our injected buttons launch only after 500 ms still (STILL_MS in src/content/click-guard.ts), as they see it
 * themselves: they sample their place every 200 ms at a frame, so may see a move up to a sample (and a busy
 * frame) late. A person reading the bar takes longer than this anyway.
 */
export const SETTLE_MS = 1000;

/**
 * Rests the real mouse on a button until what `placeOf` measures (the button's middle, and whatever else must
 * not move) has stayed the same for SETTLE_MS, following the button if it moves. Answers where to click.
 * Stillness over time is the state waited for, so it is sampled every 100 ms.
 */
export async function settleOn(page: Page, placeOf: () => Promise<{ x: number; y: number; key?: string }>): Promise<{ x: number; y: number }> {
  let place = await placeOf();
  await page.mouse.move(place.x, place.y);
  let since = Date.now();
  while (Date.now() - since < SETTLE_MS) {
    await page.waitForTimeout(100);
    const next = await placeOf();
    if (next.x !== place.x || next.y !== place.y || next.key !== place.key) {
      [place, since] = [next, Date.now()];
      await page.mouse.move(place.x, place.y);
    }
  }
  return { x: place.x, y: place.y };
}
