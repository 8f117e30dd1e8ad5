import * as z from 'zod/mini';
import type { PersonName } from './person-name';

/** The patient the page shows, as the content script read it. Everything in it came from an untrusted page. */
export interface PatientContext {
  nhsNumber: string;
  birthDate?: string;
  name: PersonName;
}

const nameText = z.string().check(z.minLength(1), z.maxLength(100));

export const personNameSchema = z.strictObject({
  family: nameText,
  given: nameText,
  prefix: z.optional(z.string().check(z.minLength(1), z.maxLength(20))),
});

export const patientContextSchema = z.strictObject({
  nhsNumber: z.string().check(z.regex(/^[0-9]{10}$/)),
  birthDate: z.optional(z.string().check(z.regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/))),
  name: personNameSchema,
});

/**
 * A stable string that identifies exactly this patient context. The launch bar sends it with a click and the
 * background compares it with a fresh read of the tab: any difference refuses the launch.
 */
export function contextFingerprint(context: PatientContext): string {
  const { nhsNumber, birthDate = '', name } = context;
  return [nhsNumber, birthDate, name.family, name.given, name.prefix ?? ''].join('|');
}
