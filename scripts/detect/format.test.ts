import { describe, expect, it } from 'vitest';
import { jsonLine, printable, reasonFor, resultFromReport, spacedNhsNumber, textLine } from './format';

const messages = { problem_two_patients: { message: 'This page shows more than one patient.' } };
const john = { nhsNumber: '9434765919', birthDate: '1985-03-12', name: { family: 'Smith', given: 'John', prefix: 'Mr' } };

describe('detect output', () => {
  it('prints a patient on one line and as JSON', () => {
    const result = resultFromReport('banner.html', 'http://127.0.0.1:4000/banner.html', { context: john }, messages);
    expect(textLine(result)).toBe('banner.html: patient: NHS number 943 476 5919, DOB 1985-03-12, family Smith, given John');
    expect(JSON.parse(jsonLine(result))).toEqual({
      url: 'http://127.0.0.1:4000/banner.html',
      input: 'banner.html',
      outcome: 'patient',
      patient: { nhsNumber: '9434765919', birthDate: '1985-03-12', family: 'Smith', given: 'John' },
      reason: null,
    });
  });

  it('prints a patient without a date of birth', () => {
    const result = resultFromReport('a.html', 'u', { context: { nhsNumber: '9434765919', name: { family: 'Smith', given: 'John' } } }, messages);
    expect(result.patient?.birthDate).toBeNull();
    expect(textLine(result)).toContain('DOB none');
  });

  it("gives the reader's reason in words, else the bar's message for the problem, else the problem code", () => {
    expect(reasonFor({ problem: 'two-patients', reason: 'two different NHS numbers' }, messages)).toBe('two different NHS numbers');
    expect(reasonFor({ problem: 'two-patients' }, messages)).toBe('This page shows more than one patient.');
    expect(reasonFor({ problem: 'something-new' }, messages)).toBe('something-new');
    expect(reasonFor({}, { problem_no_patient: { message: 'No patient found on this page.' } })).toBe('No patient found on this page.');
  });

  it('prints no patient with its reason', () => {
    const result = resultFromReport('two.html', 'u', { context: null, problem: 'two-patients' }, messages);
    expect(textLine(result)).toBe('two.html: no patient: This page shows more than one patient.');
    expect(JSON.parse(jsonLine(result))).toMatchObject({ outcome: 'no-patient', patient: null, reason: 'This page shows more than one patient.' });
  });

  it('prints a page that did not load', () => {
    expect(textLine({ input: 'gone.html', url: 'u', outcome: 'not-loaded', patient: null, reason: 'HTTP 404 Not Found' })).toBe('gone.html: not loaded: HTTP 404 Not Found');
  });

  it("keeps a page's text on one line, without control codes", () => {
    expect(printable('two\nlines\u001b[31m red')).toBe('two lines [31m red');
    const result = resultFromReport('x.html', 'u', { context: { ...john, name: { family: 'Smith\r\nEvil', given: 'John' } } }, messages);
    expect(textLine(result)).not.toMatch(/[\r\n]/);
  });

  it('spaces NHS numbers 3-3-4', () => {
    expect(spacedNhsNumber('9434765919')).toBe('943 476 5919');
    expect(spacedNhsNumber('12345')).toBe('12345');
  });
});
