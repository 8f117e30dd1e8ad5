import { z } from 'zod';
import { parseBirthDate } from '../shared/birth-date';
import { isValidNhsNumber } from '../shared/nhs-number';

/** The furthest ahead any time zone's date runs (UTC+14): a desktop's "today" is never later than this. */
const LATEST_TIME_ZONE_MS = 14 * 3_600_000;

/**
 * A date of birth the extension itself would read off a page: the same parser (a real date, not before 1880, not
 * in the future). "Today" is the desktop's, not this server's: a baby born this morning in London is not refused
 * by a broker whose clock is on UTC.
 */
function isBirthDate(value: string): boolean {
  const ahead = new Date(Date.now() + LATEST_TIME_ZONE_MS);
  // parseBirthDate reads "today" in this process's own time zone: give it that date whatever the zone.
  return parseBirthDate(value, new Date(ahead.getUTCFullYear(), ahead.getUTCMonth(), ahead.getUTCDate())) === value;
}

const nameText = z.string().min(1).max(100);

/** POST /v1/launch: checked exactly as the extension checks what a page shows (Modulus 11, FHIR date). */
export const launchRequestSchema = z.strictObject({
  partnerId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a partner id'),
  patient: z.strictObject({
    nhsNumber: z.string().regex(/^[0-9]{10}$/, 'must be 10 digits').refine(isValidNhsNumber, 'fails the NHS number check digit'),
    birthDate: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'must be a FHIR date (YYYY-MM-DD)').refine(isBirthDate, 'is not a real date of birth').optional(),
    name: z.strictObject({ family: nameText, given: nameText, prefix: z.string().min(1).max(20).optional() }),
  }),
});
