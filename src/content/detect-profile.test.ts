// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ehrProfileSchema, profileForPage, type EhrProfile } from '../shared/ehr-profile';
import { bannerFramesShown, countedReadings, detectPatient, findBanners, readDocument } from './detect';

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
    const doc = load('<table><tr><th>Name</th><td>SMITH, John</td><th>NHS No</th><td>999 000 0018</td><th>DOB</th><td>12-Mar-1985</td></tr></table>');
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

describe('cross-origin banner frames', () => {
  const BANNER = 'https://banner.ehr-vendor.example';
  const framed = profile({ banner: { selector: '.patient-banner' }, frames: ['iframe.banner'], frameOrigins: [BANNER], crossChecks: [{ field: 'birthDate', selector: '.summary p', regex: '^Born (.+)$' }] });
  const bannerDoc = (nhs: string, name = 'SMITH, John (Mr)', dob = '12-Mar-1985') =>
    load(`<div class="patient-banner"><b>Name</b><span>${name}</span><b>NHS No</b><span>${nhs}</span><b>DOB</b><span>${dob}</span></div>`);
  // Inert documents: happy-dom would try (and loudly fail) to load the frames of a parsed one.
  const inert = (body: string) => {
    const doc = document.implementation.createHTMLDocument('');
    doc.body.innerHTML = body;
    return doc;
  };
  // The page's own part (which iframes count is bannerFramesShown's job, tested below).
  const top = (extra = '') => inert(`<section class="summary"><p>Born 12-Mar-1985</p></section>${extra}`);

  it("reads a frame document's banners as unparsed texts, bounded", () => {
    expect(readDocument(bannerDoc('999 000 0018'), framed)).toEqual({
      banners: [{ name: ['SMITH, John (Mr)'], nhsNumber: ['999 000 0018'], birthDate: ['12-Mar-1985'] }],
      checks: [],
    });
    const many = load('<div class="patient-banner"><b>NHS No</b><span>1</span></div>'.repeat(10));
    expect(readDocument(many, framed).banners).toHaveLength(3);
  });

  it("judges the frame's reading with the page: the patient, cross-checked against the page's own fields", () => {
    const reading = readDocument(bannerDoc('999 000 0018'), framed);
    expect(detectPatient(top(), today, framed, [reading]).context).toMatchObject({ nhsNumber: '9990000018', birthDate: '1985-03-12' });
    // The page's summary still shows another patient's date of birth.
    const other = readDocument(bannerDoc('999 123 4578', 'JONES, Ann', '04-Jul-1992'), framed);
    expect(detectPatient(top(), today, framed, [other])).toEqual({ context: null, problem: 'fields-disagree' });
  });

  it('a frame banner and a page banner, or two frame banners, are two patients', () => {
    const reading = readDocument(bannerDoc('999 000 0018'), framed);
    const withLocal = top('<div class="patient-banner"><b>Name</b><span>SMITH, John</span><b>NHS No</b><span>999 000 0018</span></div>');
    expect(detectPatient(withLocal, today, framed, [reading])).toEqual({ context: null, problem: 'two-patients' });
    expect(detectPatient(top(), today, framed, [reading, reading])).toEqual({ context: null, problem: 'two-patients' });
  });

  it("a frame's texts are parsed as strictly as the page's", () => {
    const bad = readDocument(bannerDoc('999 000 0019'), framed);
    expect(detectPatient(top(), today, framed, [bad])).toEqual({ context: null, problem: 'invalid-nhs-number' });
  });

  it('counts only iframes that match the profile and sit on a named origin', () => {
    const doc = inert(`<iframe class="banner" src="${BANNER}/b"></iframe><iframe class="banner" src="https://ads.example/b"></iframe>
      <iframe class="other" src="${BANNER}/b"></iframe><div class="banner" data-src="${BANNER}/b"></div>`);
    expect(bannerFramesShown(doc, framed).map((f) => f.origin)).toEqual([BANNER]);
    expect(bannerFramesShown(doc, profile({ frames: ['iframe.banner'] }))).toEqual([]);
  });

  it('counts readings only from origins the page shows a banner iframe for, and refuses when it cannot tell frames apart', () => {
    const page = inert(`<iframe class="banner" src="${BANNER}/b"></iframe>`);
    const reading = readDocument(bannerDoc('999 000 0018'), framed);
    const from = (frameId: number, origin = BANNER) => ({ frameId, origin, reading });
    expect(countedReadings(page, framed, { frames: [from(3)] })).toEqual({ readings: [reading], ambiguous: false });
    // A frame of an origin the page shows no banner iframe for does not count.
    expect(countedReadings(page, framed, { frames: [from(3, 'https://other.example')] })).toEqual({ readings: [], ambiguous: false });
    // Two frames of the named origin with a banner, one banner iframe: which one is the banner is unknown.
    expect(countedReadings(page, framed, { frames: [from(3), from(4)] }).ambiguous).toBe(true);
    // Some readings were left out.
    expect(countedReadings(page, framed, { frames: [from(3)], incomplete: true }).ambiguous).toBe(true);
    // None of this matters on a page that shows no banner iframe at all.
    expect(countedReadings(inert('<p>list</p>'), framed, { frames: [], incomplete: true })).toEqual({ readings: [], ambiguous: false });
  });

  it('a frame with more cross-check texts than a reading holds says so, and cannot be judged', () => {
    const many = load(`<div class="patient-banner"><b>Name</b><span>SMITH, John</span><b>NHS No</b><span>999 000 0018</span></div>
      <section class="summary">${Array.from({ length: 150 }, (_, i) => `<p>Born ${String((i % 28) + 1).padStart(2, '0')}-Mar-${1900 + i}</p>`).join('')}</section>`);
    const reading = readDocument(many, framed);
    expect(reading).toMatchObject({ checks: [], incomplete: true });
    expect(detectPatient(top(), today, framed, [reading])).toEqual({ context: null, problem: 'fields-disagree' });
    // Repeats of one text count once.
    const repeated = load(`<div class="patient-banner"><b>NHS No</b><span>999 000 0018</span></div><section class="summary">${'<p>Born 12-Mar-1985</p>'.repeat(150)}</section>`);
    expect(readDocument(repeated, framed).checks).toEqual([{ field: 'birthDate', text: '12-Mar-1985' }]);
  });

  it('accepts only https origins (scheme, host and port) as frame origins', () => {
    const ok = (frameOrigins: string[]) => ehrProfileSchema.safeParse({ name: 'x', frameOrigins }).success;
    expect(ok([BANNER, 'https://banner.example:8443'])).toBe(true);
    expect(ok(['http://banner.example'])).toBe(false);
    expect(ok([`${BANNER}/path`])).toBe(false);
    expect(ok([`${BANNER}/`])).toBe(false);
    expect(ok(['*'])).toBe(false);
    expect(ok(['https://user@banner.example'])).toBe(false);
  });
});
