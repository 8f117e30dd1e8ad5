import { describe, expect, it } from 'vitest';
import { parseBirthDate } from '../birth-date';
import { parseNhsNumber } from '../nhs-number';
import { parsePersonName } from '../person-name';
import { applyRegex, valueRule, type ValueRule } from './value-regex';

const TODAY = new Date(2026, 10, 27);

function regexOf(rule: ValueRule): string {
  if (!rule.ok || !rule.regex) throw new Error(`expected a regex, got ${JSON.stringify(rule)}`);
  return rule.regex;
}

describe('valueRule: NHS number', () => {
  it('needs no regex when the element holds only the number', () => {
    expect(valueRule('nhsNumber', ' 943 476 5919 ')).toEqual({ ok: true, value: '943 476 5919' });
    expect(valueRule('nhsNumber', '943\u00a0476\u00a05919')).toEqual({ ok: true, value: '943 476 5919' });
  });

  it('picks the number out of a label and value in one text, and the regex fits the next patient', () => {
    const regex = regexOf(valueRule('nhsNumber', 'NHS No. 943 476 5919'));
    expect(parseNhsNumber(applyRegex(regex, 'NHS No. 943 476 5919')!)).toBe('9434765919');
    for (const next of ['NHS No. 999 000 0018', 'NHS No. 9990000018', 'NHS No. 999-000-0018']) expect(parseNhsNumber(applyRegex(regex, next)!), next).toBe('9990000018');
    expect(parseNhsNumber(applyRegex(regexOf(valueRule('nhsNumber', 'Healthcare No. 9434765919')), 'Healthcare No. 9990000018')!)).toBe('9990000018');
  });

  it('does not take digits out of a longer number', () => {
    expect(valueRule('nhsNumber', 'Ref 19434765919')).toEqual({ ok: false, problem: 'none' });
    expect(applyRegex(regexOf(valueRule('nhsNumber', 'NHS 943 476 5919')), 'NHS 1943 476 5919')).toBeNull();
  });

  it('refuses text with no valid number, and tells two numbers apart only by their label', () => {
    expect(valueRule('nhsNumber', 'NHS No. 943 476 5918')).toEqual({ ok: false, problem: 'none' });
    const two = 'Hospital No. 999 000 0018 NHS No. 943 476 5919';
    // The first valid number is the hospital's: only a label could say which is meant, and it is another field's.
    const rule = valueRule('nhsNumber', two);
    expect(rule.ok).toBe(true);
    expect(applyRegex(regexOf(rule), two)).toBe((rule as { value: string }).value);
  });
});

describe('valueRule: date of birth', () => {
  it('needs no regex for a bare date', () => {
    expect(valueRule('birthDate', '12-Mar-1985', TODAY)).toEqual({ ok: true, value: '12-Mar-1985' });
  });

  it('picks the date out of "Born 04-Jul-1961 (65y)" in every form the detector reads', () => {
    const cases: [string, string, string][] = [
      ['Born 04-Jul-1961 (65y)', 'Born 12-Mar-1985 (41y)', '1985-03-12'],
      ['Birth: 4 July 1961', 'Birth: 12 March 1985', '1985-03-12'],
      ['D.O.B. 04/07/1961 (65)', 'D.O.B. 12/03/1985 (41)', '1985-03-12'],
      ['DOB 1961-07-04', 'DOB 1985-03-12', '1985-03-12'],
    ];
    for (const [picked, next, expected] of cases) {
      const regex = regexOf(valueRule('birthDate', picked, TODAY));
      expect(parseBirthDate(applyRegex(regex, next)!, TODAY), picked).toBe(expected);
    }
  });

  it('with two dates, anchors on the label before the picked one', () => {
    const text = 'Born 04-Jul-1961 Admitted 03-Jan-2025';
    const regex = regexOf(valueRule('birthDate', text, TODAY));
    expect(applyRegex(regex, text)).toBe('04-Jul-1961');
  });

  it('refuses text with no date', () => {
    expect(valueRule('birthDate', 'Age 65', TODAY)).toEqual({ ok: false, problem: 'none' });
  });
});

describe('valueRule: name', () => {
  it('needs no regex for a name alone', () => {
    expect(valueRule('name', 'OKAFOR, Adaeze (Mrs)')).toEqual({ ok: true, value: 'OKAFOR, Adaeze (Mrs)' });
    expect(valueRule('name', 'Mary Ann SMITH')).toEqual({ ok: true, value: 'Mary Ann SMITH' });
  });

  it('strips a label before the name, and the regex fits the next patient', () => {
    const cases: [string, string, { family: string; given: string }][] = [
      ['Client: OKAFOR, Adaeze (Mrs)', "Client: O'NEILL-SMITH, Siân (Ms)", { family: "O'Neill-Smith", given: 'Siân' }],
      ['Client OKAFOR, Adaeze (Mrs)', 'Client SMITH, John (Mr)', { family: 'Smith', given: 'John' }],
      ['Patient John SMITH', 'Patient Zoë BROWN', { family: 'Brown', given: 'Zoë' }],
    ];
    for (const [picked, next, expected] of cases) {
      const regex = regexOf(valueRule('name', picked));
      expect(parsePersonName(applyRegex(regex, next)!), picked).toMatchObject(expected);
    }
  });

  it('refuses text that is no name', () => {
    expect(valueRule('name', '943 476 5919')).toEqual({ ok: false, problem: 'none' });
    expect(valueRule('name', '')).toEqual({ ok: false, problem: 'none' });
  });
});
