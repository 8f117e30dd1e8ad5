import { describe, expect, it } from 'vitest';
import { CLINICIANS, PARCHMENT, PATIENTS, PHPKB } from './fixtures';

function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((acc, digit, i) => acc + digit * (10 - i), 0);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === digits[9];
}

describe('fixtures', () => {
  it('uses valid 999-range NHS numbers everywhere', () => {
    const numbers = [...PATIENTS.map((p) => p.nhsNumber), ...PARCHMENT.patients.map((p) => p.nhsNumber)];
    for (const nhs of numbers) {
      expect(isValidNhsNumber(nhs), nhs).toBe(true);
      expect(nhs.startsWith('999')).toBe(true);
    }
  });

  it('starts with SMITH, John and includes a non-ASCII name', () => {
    expect(PATIENTS[0]).toMatchObject({ family: 'SMITH', given: 'John', prefix: 'Mr', birthDate: '1985-03-12' });
    expect(PATIENTS.length).toBeGreaterThanOrEqual(6);
    expect(PATIENTS.some((p) => /[^\x00-\x7f]/.test(p.given + p.family))).toBe(true);
  });

  it('maps most demo patients to Parchment and leaves at least one unmapped', () => {
    const mapped = PATIENTS.filter((p) => PARCHMENT.patients.some((pp) => pp.nhsNumber === p.nhsNumber && pp.organizationId === PARCHMENT.organizationId));
    expect(mapped.length).toBeGreaterThan(PATIENTS.length / 2);
    expect(mapped.length).toBeLessThan(PATIENTS.length);
    for (const patient of PARCHMENT.patients) expect(patient.id).toMatch(/^\d{4}-\d{4}-\d{4}-\d{4}$/);
  });

  it('links every clinician to a Parchment user of the primary organization', () => {
    for (const clinician of CLINICIANS) {
      const user = PARCHMENT.users.find((u) => u.userId === clinician.parchmentUserId);
      expect(user?.organizationId, clinician.id).toBe(PARCHMENT.organizationId);
    }
    expect(PARCHMENT.users.some((u) => u.organizationId !== PARCHMENT.organizationId)).toBe(true);
  });

  it('is frozen so tests cannot leak changes into each other', () => {
    expect(Object.isFrozen(PHPKB.settings.users)).toBe(true);
    expect(() => (PHPKB.settings.users as unknown[]).push({})).toThrow();
  });
});
