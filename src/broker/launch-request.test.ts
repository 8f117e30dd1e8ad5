import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBirthDate } from '../shared/birth-date';
import { launchRequestSchema } from './launch-request';

const request = (birthDate?: string) => ({
  partnerId: 'parchment',
  patient: { nhsNumber: '9434765919', ...(birthDate === undefined ? {} : { birthDate }), name: { family: 'Smith', given: 'Ann' } },
});
const accepts = (birthDate?: string) => launchRequestSchema.safeParse(request(birthDate)).success;

describe('the launch request\'s date of birth: what the extension would read off a page', () => {
  afterEach(() => vi.useRealTimers());

  it('takes a real past date in FHIR form, and none at all', () => {
    expect(accepts('1985-03-12')).toBe(true);
    expect(accepts('2000-02-29')).toBe(true);
    expect(accepts()).toBe(true);
  });

  it.each(['1985-02-30', '1900-02-29', '1985-13-01', '1985-00-10', '12-03-1985', '1985-3-12', '1879-12-31', '0001-01-01'])('refuses %s, as the extension does', (date) => {
    expect(accepts(date)).toBe(false);
    expect(parseBirthDate(date)).not.toBe(date);
  });

  it('takes the day that is already today somewhere (a desktop ahead of this server\'s clock), but not the day after', () => {
    // 23:30 UTC on 29 June: already 30 June in London (BST) and further east; 1 July nowhere.
    vi.useFakeTimers({ now: Date.UTC(2026, 5, 29, 23, 30), toFake: ['Date'] });
    expect(accepts('2026-06-29')).toBe(true);
    expect(accepts('2026-06-30')).toBe(true);
    expect(accepts('2026-07-01')).toBe(false);
  });

  it('names the field at fault', () => {
    const parsed = launchRequestSchema.safeParse(request('1985-02-30'));
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]).toMatchObject({ path: ['patient', 'birthDate'], message: 'is not a real date of birth' });
  });
});
