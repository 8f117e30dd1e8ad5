import { describe, expect, it } from 'vitest';
import { contextFingerprint, patientContextSchema } from './patient';

describe('patient context', () => {
  const context = { nhsNumber: '9990000018', birthDate: '1985-03-12', name: { family: 'Smith', given: 'John', prefix: 'Mr' } };

  it('fingerprints every field, so any change is a different patient', () => {
    const base = contextFingerprint(context);
    expect(contextFingerprint({ ...context, birthDate: '1985-03-13' })).not.toBe(base);
    expect(contextFingerprint({ ...context, nhsNumber: '9991234578' })).not.toBe(base);
    expect(contextFingerprint({ ...context, name: { ...context.name, given: 'Jon' } })).not.toBe(base);
    expect(contextFingerprint(structuredClone(context))).toBe(base);
  });

  it('validates strictly', () => {
    expect(patientContextSchema.safeParse(context).success).toBe(true);
    expect(patientContextSchema.safeParse({ ...context, extra: 1 }).success).toBe(false);
    expect(patientContextSchema.safeParse({ ...context, nhsNumber: '999000001' }).success).toBe(false);
  });
});
