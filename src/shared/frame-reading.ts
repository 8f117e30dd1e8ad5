import * as z from 'zod/mini';

/**
 * What a reader inside a cross-origin banner frame saw: the raw texts of each banner's fields and of the
 * profile's cross-checks, not yet parsed. The top frame judges them together with its own page (one patient or
 * none), so the rules live in one place. Bounded: a frame is a page, and pages are untrusted input.
 */

/** More than one banner already means no patient; a few are enough to say so. */
export const MAX_FRAME_BANNERS = 3;
export const MAX_FIELD_VALUES = 5;
export const MAX_CHECK_TEXTS = 100;
/** Banner frames a tab's page is told about; beyond this the page is told the list is incomplete. */
export const MAX_FRAMES = 10;
const text = z.string().check(z.maxLength(200));
const values = z.optional(z.array(text).check(z.maxLength(MAX_FIELD_VALUES)));

export const fieldTextsSchema = z.strictObject({ nhsNumber: values, birthDate: values, name: values });
export type FieldTexts = z.infer<typeof fieldTextsSchema>;

export const documentReadingSchema = z.strictObject({
  banners: z.array(fieldTextsSchema).check(z.maxLength(MAX_FRAME_BANNERS)),
  checks: z
    .array(z.strictObject({ field: z.enum(['nhsNumber', 'birthDate', 'name']), text }))
    .check(z.maxLength(MAX_CHECK_TEXTS)),
  /** More distinct cross-check texts than a reading holds: one left out could disagree, so it cannot be judged. */
  incomplete: z.optional(z.literal(true)),
});
export type DocumentReading = z.infer<typeof documentReadingSchema>;

/** One frame's reading as the background relays it to the top frame: the browser's frame id and origin. */
export const frameReadingSchema = z.strictObject({
  frameId: z.number().check(z.int(), z.positive()),
  origin: z.string().check(z.maxLength(200)),
  reading: documentReadingSchema,
});

/** The banner frames' readings as the page is given them; `incomplete` when there were more than it can hold. */
export const frameReadingsSchema = z.strictObject({
  frames: z.array(frameReadingSchema).check(z.maxLength(MAX_FRAMES)),
  incomplete: z.optional(z.literal(true)),
});
export type FrameReadings = z.infer<typeof frameReadingsSchema>;
