import * as z from 'zod/mini';

/**
 * What the picker sends back for each element the administrator clicked: a selector the picker checked
 * against the page, and the element's text, bounded. Field selectors are relative to the picked banner.
 */

export const PICK_ORDER = ['banner', 'nhsNumber', 'birthDate', 'name'] as const;
export type PickTarget = (typeof PICK_ORDER)[number];

export const MAX_PICK_TEXT = 300;

export const pickSchema = z.strictObject({
  selector: z.string().check(z.minLength(1), z.maxLength(500)),
  text: z.string().check(z.maxLength(MAX_PICK_TEXT)),
});
export type Pick = z.infer<typeof pickSchema>;

export const picksSchema = z.strictObject({
  banner: pickSchema,
  nhsNumber: pickSchema,
  birthDate: pickSchema,
  name: pickSchema,
});
export type Picks = z.infer<typeof picksSchema>;

/** The builder's session as the options page sees it. */
export type PickingState =
  | { state: 'none' }
  | { state: 'picking'; tabId: number }
  | { state: 'cancelled'; tabId: number }
  | { state: 'picked'; tabId: number; origin: string; picks: Picks };
