// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { CLINICIANS, PATIENTS } from '../../tests/sandbox/fixtures';
import { renderClassicPatientPage, renderPatientList } from '../../tests/sandbox/demo-ehr-pages';
import { detectPatient } from './detect';

const today = new Date(2026, 10, 22);

function load(html: string): Document {
  return new DOMParser().parseFromString(html, 'text/html');
}

function banner(rows: string): string {
  return `<html><body><section id="patient-banner"><table><tbody><tr>${rows}</tr></tbody></table></section></body></html>`;
}

describe('generic detector', () => {
  it('reads every demo EHR patient from the classic banner, not from the recent-patients list', () => {
    for (const patient of PATIENTS) {
      const doc = load(renderClassicPatientPage(patient, CLINICIANS[0]!, PATIENTS));
      const detection = detectPatient(doc, today);
      expect(detection.context?.nhsNumber, patient.family).toBe(patient.nhsNumber);
      expect(detection.context?.birthDate).toBe(patient.birthDate);
      expect(detection.context?.name.given).toBe(patient.given);
    }
  });

  it('finds no patient on the patient list', () => {
    const detection = detectPatient(load(renderPatientList(PATIENTS, CLINICIANS[0]!)), today);
    expect(detection).toMatchObject({ context: null, problem: 'no-patient', reason: expect.stringContaining('A list of') });
  });

  it('reads a plain banner with other label spellings', () => {
    const doc = load(banner('<th>NHS Number:</th><td>943-476-5919</td><th>Date of birth</th><td>12 March 1985</td><th>Patient</th><td>Mr John SMITH</td>'));
    expect(detectPatient(doc, today)).toEqual({
      context: { nhsNumber: '9434765919', birthDate: '1985-03-12', name: { family: 'Smith', given: 'John', prefix: 'Mr' } },
    });
  });

  it('refuses two banners, two NHS numbers, and fields that disagree', () => {
    const one = '<th>Name</th><td>SMITH, John</td><th>NHS No</th><td>999 000 0018</td><th>DOB</th><td>12-Mar-1985</td>';
    const two = '<th>Name</th><td>JONES, Ann</td><th>NHS No</th><td>999 123 4578</td><th>DOB</th><td>04-Jul-1992</td>';
    const twoBanners = `<html><body><section class="patient-banner"><table><tr>${one}</tr></table></section><section class="patient-banner"><table><tr>${two}</tr></table></section></body></html>`;
    // Two banners of the same shape read as a list of patients: no patient either way.
    expect(detectPatient(load(twoBanners), today)).toMatchObject({ context: null, problem: 'no-patient' });
    expect(detectPatient(load(banner(`${one}<th>NHS No</th><td>999 123 4578</td>`)), today)).toMatchObject({ context: null, problem: 'two-patients' });
    expect(detectPatient(load(banner(`${one}<th>DOB</th><td>04-Jul-1992</td>`)), today)).toMatchObject({ context: null, problem: 'fields-disagree' });
  });

  it('never turns a bad number or date into a patient', () => {
    const cases: [string, string][] = [
      ['<th>Name</th><td>SMITH, John</td><th>NHS No</th><td>999 000 0019</td>', 'invalid-nhs-number'],
      ['<th>Name</th><td>SMITH, John</td><th>NHS No</th><td>٩٩٩٠٠٠٠٠١٨</td>', 'invalid-nhs-number'],
      ['<th>Name</th><td>SMITH, John</td><th>NHS No</th><td>９９９００００٠１８</td>', 'invalid-nhs-number'],
      ['<th>Name</th><td>SMITH, John</td><th>NHS No</th><td>999 000 0018</td><th>DOB</th><td>31-Feb-1985</td>', 'invalid-birth-date'],
      ['<th>Name</th><td>SMITH, John</td><th>NHS No</th><td>999 000 0018</td><th>DOB</th><td>01-Jan-2030</td>', 'invalid-birth-date'],
      ['<th>NHS No</th><td>999 000 0018</td>', 'no-birth-date'],
      ['<th>NHS No</th><td>999 000 0018</td><th>DOB</th><td>12-Mar-1985</td>', 'no-name'],
    ];
    for (const [rows, problem] of cases) expect(detectPatient(load(banner(rows)), today), rows).toMatchObject({ context: null, problem });
  });

  it('does not hang on a huge banner text', () => {
    const huge = 'x'.repeat(1_000_000);
    const doc = load(banner(`<th>Name</th><td>${huge}</td><th>NHS No</th><td>999 000 0018</td><th>DOB</th><td>12-Mar-1985</td>`));
    // Bounded reads: an oversized value is skipped, not scanned (the test's own time-out catches a hang).
    expect(detectPatient(doc, today)).toMatchObject({ context: null, problem: 'no-name' });
  });
});
