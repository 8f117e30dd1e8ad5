// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ehrProfileSchema, profileForPage, type EhrProfile } from '../shared/ehr-profile';
import { detectPatient, findBanners } from './detect';

const today = new Date(2026, 10, 22);
const load = (body: string) => new DOMParser().parseFromString(`<html><body>${body}</body></html>`, 'text/html');
const profile = (p: Partial<EhrProfile>): EhrProfile => ehrProfileSchema.parse({ name: 'test', ...p });

describe('profile-driven detection', () => {
  it('reads fields by selector, attribute and regex inside the profile banner', () => {
    const doc = load(`
      <div class="demographics" data-nhs="943 476 5919">
        <span class="who">Patient: SMITH, John (Mr)</span>
        <span class="born">Born 12/03/1985 (40y)</span>
      </div>
      <aside class="recent"><span class="who">Patient: JONES, Ann</span></aside>`);
    const p = profile({
      banner: { selector: '.demographics' },
      fields: {
        nhsNumber: { selector: '.demographics', attribute: 'data-nhs' },
        name: { selector: '.who', regex: '^Patient:\\s*(.+)$' },
        birthDate: { selector: '.born', regex: '(\\d{2}/\\d{2}/\\d{4})' },
      },
    });
    expect(detectPatient(doc, today, p)).toEqual({
      context: { nhsNumber: '9434765919', birthDate: '1985-03-12', name: { family: 'Smith', given: 'John', prefix: 'Mr' } },
    });
  });

  it('a profile that names its banner reads nothing when the banner is absent (no fallback to the whole page)', () => {
    const doc = load('<table><tr><th>Name</th><td>SMITH, John</td><th>NHS No</th><td>999 000 0018</td></tr></table>');
    expect(detectPatient(doc, today, profile({ banner: { selector: '#banner' } }))).toEqual({ context: null, problem: 'no-patient' });
    // The generic profile still reads an unmarked page.
    expect(detectPatient(doc, today).context?.nhsNumber).toBe('9990000018');
  });

  it('finds the banner by its accessible name or heading', () => {
    const doc = load(`<section><h2>Current patient</h2><dl><dt>Name</dt><dd>SMITH, John</dd><dt>NHS Number</dt><dd>999 000 0018</dd></dl></section>
      <section><h2>Recent</h2><dl><dt>Name</dt><dd>JONES, Ann</dd><dt>NHS Number</dt><dd>999 123 4578</dd></dl></section>`);
    const p = profile({ banner: { label: 'Current patient' } });
    expect(findBanners(doc, p)).toHaveLength(1);
    expect(detectPatient(doc, today, p).context?.nhsNumber).toBe('9990000018');
  });

  it('custom labels replace the generic ones for a field', () => {
    const doc = load('<div id="b"><b>Identifier</b><span>999 000 0018</span><b>Full name</b><span>SMITH, John</span></div>');
    const p = profile({ banner: { selector: '#b' }, fields: { nhsNumber: { label: '^identifier$' }, name: { label: '^full name$' } } });
    expect(detectPatient(doc, today, p).context?.nhsNumber).toBe('9990000018');
  });

  it('two elements with two values, or two banners, are no patient', () => {
    const twoNames = load('<div id="b"><span class="n">SMITH, John</span><span class="n">JONES, Ann</span><span class="nhs">999 000 0018</span></div>');
    const p = profile({ banner: { selector: '#b' }, fields: { name: { selector: '.n' }, nhsNumber: { selector: '.nhs' } } });
    expect(detectPatient(twoNames, today, p)).toEqual({ context: null, problem: 'fields-disagree' });
    const twoBanners = load('<div class="b"><span class="nhs">999 000 0018</span></div><div class="b"><span class="nhs">999 123 4578</span></div>');
    expect(detectPatient(twoBanners, today, profile({ banner: { selector: '.b' } }))).toEqual({ context: null, problem: 'two-patients' });
  });

  it('a broken selector or regex from configuration matches nothing instead of throwing', () => {
    const doc = load('<div id="b"><th>NHS No</th><td>999 000 0018</td></div>');
    const broken = { name: 'x', banner: { selector: '#b[' }, corner: 'bottom-right' } as EhrProfile;
    expect(detectPatient(doc, today, broken)).toEqual({ context: null, problem: 'no-patient' });
  });

  it('cross-checks catch a field left behind by the previous patient', () => {
    const page = (bornInCard: string) =>
      load(`<div id="b"><b>Name</b><span>SMITH, John</span><b>NHS No</b><span>999 000 0018</span><b>DOB</b><span>04-Jul-1992</span></div>
        <section class="summary"><p>Age 40</p><p>Born ${bornInCard}</p></section>`);
    const p = profile({ banner: { selector: '#b' }, crossChecks: [{ field: 'birthDate', selector: '.summary p', regex: '^Born (.+)$' }] });
    expect(detectPatient(page('12-Mar-1985'), today, p)).toEqual({ context: null, problem: 'fields-disagree' });
    expect(detectPatient(page('04-Jul-1992'), today, p).context?.birthDate).toBe('1992-07-04');
  });

  it('applies a profile only on the paths it names', () => {
    const p = profile({ paths: ['/patients/*', '/spa/*'] });
    expect(profileForPage([p], 'test', '/patients/9990000018')).toBe(p);
    expect(profileForPage([p], 'test', '/admin/users')).toBeUndefined();
    expect(profileForPage([p], 'missing', '/patients/1')).toBeUndefined();
    expect(profileForPage([], 'generic', '/anything')?.name).toBe('generic');
  });

  it('rejects profile rules that cannot work', () => {
    expect(ehrProfileSchema.safeParse({ name: 'x', fields: { nhsNumber: { regex: '(' } } }).success).toBe(false);
    expect(ehrProfileSchema.safeParse({ name: 'Bad Name' }).success).toBe(false);
    expect(ehrProfileSchema.safeParse({ name: 'x', paths: ['patients'] }).success).toBe(false);
    expect(ehrProfileSchema.safeParse({ name: 'x', anchor: { selector: '#top', position: 'inside' } }).success).toBe(false);
    expect(ehrProfileSchema.safeParse({ name: 'x', script: 'alert(1)' }).success).toBe(false);
  });
});
