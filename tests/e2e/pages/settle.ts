import { expect, type Page } from '@playwright/test';
import { POLL_MS } from './poll';

/**
 * Our injected buttons launch only after 500 ms still (STILL_MS in src/content/click-guard.ts), as they see it
 * themselves: they sample their place every 200 ms at a frame, so may see a move up to a sample (and a busy
 * frame) late. A person reading the bar takes longer than this anyway.
 */
export const SETTLE_MS = 1000;

/** A button that never stays still this long is a failure to report, not something to wait out. */
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * Rests the real mouse on a button until what `placeOf` measures (the button's middle, and whatever else must
 * not move) has stayed the same for SETTLE_MS, following the button if it moves. Answers where to click.
 * Stillness over time is the state waited for, so the place is measured again at each poll.
 */
export async function settleOn(page: Page, placeOf: () => Promise<{ x: number; y: number; key?: string }>): Promise<{ x: number; y: number }> {
  let place = await placeOf();
  await page.mouse.move(place.x, place.y);
  let since = Date.now();
  await expect(async () => {
    const next = await placeOf();
    if (next.x !== place.x || next.y !== place.y || next.key !== place.key) {
      [place, since] = [next, Date.now()];
      await page.mouse.move(place.x, place.y);
    }
    expect(Date.now() - since, `the button did not stay still for ${SETTLE_MS} ms; last place: ${JSON.stringify(place)}`).toBeGreaterThanOrEqual(SETTLE_MS);
  }).toPass({ timeout: SETTLE_TIMEOUT_MS, intervals: POLL_MS });
  return { x: place.x, y: place.y };
}
