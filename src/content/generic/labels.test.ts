import { describe, expect, it } from 'vitest';
import { findLabels, valueToken } from './labels';

const fields = (text: string) => findLabels(text).map((hit) => hit.field);

describe('labels', () => {
  it('finds labels at the start, after separators, values and colons', () => {
    expect(fields('NHS No. 943 476 5919 DOB 12-Mar-1985')).toEqual(['nhsNumber', 'birthDate']);
    expect(fields('Name: SMITH, John | D.O.B.: 12/03/1985 | NHS #: 9434765919')).toEqual(['name', 'birthDate', 'nhsNumber']);
    expect(fields('Surname BROWN Forename(s) Zoë')).toEqual(['family', 'given']);
  });

  it('ignores words inside other words and prose', () => {
    expect(fields('Mr DOBSON was seen')).toEqual([]);
    expect(fields('The patient was born in Leeds')).toEqual([]);
    expect(fields('Use the NHS App to book')).toEqual([]);
  });

  it('never takes someone else\'s name label for the patient\'s', () => {
    for (const text of ['Consultant name: Dr A Jones', "Mother's name: Jane Smith", 'NHS No 943 476 5919 | NOK name: Jane DOE', "Mother's NHS No: 999 000 0018", 'Previous NHS No: 999 000 0018', 'Baby born: 20-Nov-2026', "Mother's DOB: 01-Feb-1990"]) {
      const found = fields(text);
      expect(found.filter((f) => f !== 'other' && f !== 'nhsNumber'), text).toEqual([]);
      if (!text.startsWith('NHS No 943')) expect(found, text).not.toContain('nhsNumber');
    }
    expect(fields('Preferred name: Johnny')).toEqual(['other']);
    expect(fields('Patient ID: 12345')).toEqual(['other']);
  });

  it('picks values of the right shape', () => {
    expect(valueToken('nhsNumber', ': 943 476 5919 (verified)')).toBe('943 476 5919');
    expect(valueToken('birthDate', ' 04-Jul-1961 (65y) Female')).toBe('04-Jul-1961 (65y)');
    expect(valueToken('name', ': OKAFOR, Adaeze (Mrs)')).toBe('OKAFOR, Adaeze (Mrs)');
    expect(valueToken('nhsNumber', 'was confirmed')).toBeNull();
  });
});
