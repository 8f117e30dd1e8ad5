import { describe, expect, it } from 'vitest';
import { formatBirthDate, isUkLocale, parseBirthDate, readBirthDate } from './birth-date';

const today = new Date(2026, 10, 22);

describe('date of birth', () => {
  it('reads the forms UK EHRs print, day first', () => {
    for (const text of ['12-Mar-1985', '12 March 1985', '12/03/1985', '1985-03-12', '12 Mar 1985', '12-MAR-1985', '12\u00A0Mar\u00A01985']) {
      expect(parseBirthDate(text, today), text).toBe('1985-03-12');
    }
    expect(parseBirthDate('03/12/1985', today)).toBe('1985-12-03');
    expect(parseBirthDate('29-Feb-2024', today)).toBe('2024-02-29');
  });

  it('rejects impossible, future and ambiguous dates', () => {
    for (const text of ['31-Feb-1985', '29-Feb-2023', '32/01/1985', '12/13/1985', '23-Nov-2026', '2027-01-01', '1985-3-12', 'Mar 12 1985', '12-Foo-1985', '12-03-85', '1870-01-01', '']) {
      expect(parseBirthDate(text, today), text).toBeNull();
    }
  });

  it('accepts today', () => {
    expect(parseBirthDate('22-Nov-2026', today)).toBe('2026-11-22');
  });

  it('formats for display', () => {
    expect(formatBirthDate('1985-03-12')).toBe('12-Mar-1985');
  });
});

describe('date of birth as a banner shows it', () => {
  it('reads a date followed by an age', () => {
    for (const text of ['12-Mar-1985 (41y)', '12 Mar 1985 (41 yrs)', '12/03/1985 41 years', '1985-03-12 (aged 41)', '12 March 1985', '12-Mar-1985 (41y 8m)']) {
      expect(readBirthDate(text, today), text).toEqual({ date: '1985-03-12' });
    }
    expect(readBirthDate('01-Oct-2026 (7 weeks)', today)).toEqual({ date: '2026-10-01' });
    for (const text of ['12.03.1985', '12-03-1985', '12th March 1985', '12th Mar, 1985']) expect(readBirthDate(text, today), text).toEqual({ date: '1985-03-12' });
  });

  it('refuses an age that does not match the date, and trailing words', () => {
    expect(readBirthDate('12-Mar-1985 (39y)', today)).toEqual({ date: null, why: 'age-mismatch' });
    expect(readBirthDate('12-Mar-1985 Gender Male', today)).toEqual({ date: null, why: 'invalid' });
  });

  it('reads slash dates day first only on UK pages', () => {
    expect(readBirthDate('03/04/1985', today, true)).toEqual({ date: '1985-04-03' });
    expect(readBirthDate('03/04/1985', today, false)).toEqual({ date: null, why: 'ambiguous' });
    expect(readBirthDate('25/04/1985', today, false)).toEqual({ date: '1985-04-25' });
    expect(readBirthDate('04/04/1985', today, false)).toEqual({ date: '1985-04-04' });
    expect(readBirthDate('04/25/1985', today, false)).toEqual({ date: '1985-04-25' });
    expect(readBirthDate('04/25/1985', today, true)).toEqual({ date: null, why: 'invalid' });
    for (const lang of [null, '', 'en', 'en-GB', 'EN-gb', 'cy-GB']) expect(isUkLocale(lang), String(lang)).toBe(true);
    for (const lang of ['en-US', 'fr', 'de-DE']) expect(isUkLocale(lang), lang).toBe(false);
  });
});
