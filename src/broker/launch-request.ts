import { z } from 'zod';
import { isValidNhsNumber } from '../shared/nhs-number';

/** A real calendar date in FHIR form (YYYY-MM-DD), not in the future. */
function isFhirDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getTime() <= Date.now();
}

const nameText = z.string().min(1).max(100);

/** POST /v1/launch: checked exactly as the extension checks what a page shows (Modulus 11, FHIR date). */
export const launchRequestSchema = z.strictObject({
  partnerId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a partner id'),
  patient: z.strictObject({
    nhsNumber: z.string().regex(/^[0-9]{10}$/, 'must be 10 digits').refine(isValidNhsNumber, 'fails the NHS number check digit'),
    birthDate: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'must be a FHIR date (YYYY-MM-DD)').refine(isFhirDate, 'is not a real date').optional(),
    name: z.strictObject({ family: nameText, given: nameText, prefix: z.string().min(1).max(20).optional() }),
  }),
});
