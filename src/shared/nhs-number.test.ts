import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, parseNhsNumber } from './nhs-number';

describe('NHS number', () => {
  it('accepts the printed forms of a valid number', () => {
    for (const text of ['943 476 5919', '943-476-5919', '9434765919', '943\u00A0476\u00A05919', '943\u2009476\u20095919', ' 943 476 5919 ']) {
      expect(parseNhsNumber(text), text).toBe('9434765919');
    }
  });

  it('rejects a failed check digit, and numbers whose check digit would be 10', () => {
    expect(parseNhsNumber('943 476 5918')).toBeNull();
    expect(isValidNhsNumber('9434765918')).toBe(false);
    // 123456789 gives check 11 - (sum % 11) = 10: no valid number exists with these nine digits.
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`123456789${last}`)).toBe(false);
  });

  it('never normalises something that is not plainly a number', () => {
    const rejected = [
      '943 476 591', // 9 digits
      '94347659190', // 11 digits
      '943 476 591a',
      '943_476_5919',
      '943 476-5919', // mixed separators
      '9434 765 919', // wrong grouping
      '٩٤٣٤٧٦٥٩١٩', // Arabic-Indic digits
      '９４３４７６５９１９', // full-width digits
      'NHS 9434765919',
      '',
    ];
    for (const text of rejected) expect(parseNhsNumber(text), text).toBeNull();
  });

  it('formats as 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});
