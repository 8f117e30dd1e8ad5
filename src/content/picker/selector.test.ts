// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { buildSelector, candidatesFor, cssIdent, matchesIn } from './selector';
import { isStableClass, isStableValue, looksGenerated } from './stable-names';

function page(html: string): Document {
  document.body.innerHTML = html;
  return document;
}

const $ = (selector: string) => document.querySelector(selector)!;

/** The selector must find exactly the element it was made for, as the detector would look for it. */
function expectExact(selector: string | null, root: Document | Element, target: Element): string {
  expect(selector).not.toBeNull();
  expect(matchesIn(root, selector!)).toEqual([target]);
  return selector!;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('stable names', () => {
  it('tells generated ids from written ones', () => {
    for (const id of ['patientBanner', 'patient-banner', 'nhs_no', 'demographics']) expect(looksGenerated(id), id).toBe(false);
    for (const id of ['ember1234', ':r1:', 'ext-gen42', 'row-20231104', 'a3f9c2e1', 'x2y4z6', 'mui-17', '6f1c2a9e-8b3d-4c1e-9a7f-1b2c3d4e5f60', 'gwt-uid-7']) {
      expect(looksGenerated(id), id).toBe(true);
    }
  });

  it('skips hashed and utility classes, keeps the ones that name things', () => {
    for (const name of ['patient-banner', 'pt-nhs', 'demographics', 'nhs-number', 'dob', 'pb', 'nm', 'banner__value', 'top-banner']) expect(isStableClass(name), name).toBe(true);
    for (const name of ['css-1x2y3z', 'sc-abc123', 'sc-bdVaJa', 'jsx-123', 'kZdYxN', 'Banner_nhs__3xY1a', '_1a2b3c', 'p-4', 'mt-2', 'md:flex', 'w-1/2', 'text-sm', 'font-bold', 'flex', 'hidden', 'col-md-6', 'is-active', 'bg-blue-100', 'd-flex']) {
      expect(isStableClass(name), name).toBe(false);
    }
  });

  it('refuses attribute values that carry digits or the patient’s own words', () => {
    expect(isStableValue('NHS number', '943 476 5919')).toBe(true);
    expect(isStableValue('Patient banner', 'SMITH, John (Mr) NHS No 943 476 5919')).toBe(true);
    expect(isStableValue('Banner for John SMITH', 'SMITH, John (Mr)')).toBe(false);
    expect(isStableValue('9434765919', '943 476 5919')).toBe(false);
    expect(isStableValue('row-7', '')).toBe(false);
  });

  it('escapes identifiers', () => {
    expect(cssIdent('a.b')).toBe('a\\.b');
    expect(cssIdent('1st')).toBe('\\31 st');
  });
});

describe('buildSelector', () => {
  it('prefers a stable id', () => {
    const doc = page('<div id="patientBanner" class="pb" role="banner" data-kind="banner">x</div>');
    expect(expectExact(buildSelector($('#patientBanner'), doc), doc, $('#patientBanner'))).toBe('#patientBanner');
  });

  it('skips a generated id for a data attribute', () => {
    const doc = page('<div id="ember1234" data-testid="patient-banner" class="css-1x2y3z">x</div><div data-testid="other">y</div>');
    const target = $('#ember1234');
    expect(expectExact(buildSelector(target, doc), doc, target)).toBe('[data-testid="patient-banner"]');
  });

  it('uses aria-label when there is no id or data attribute', () => {
    const doc = page('<section class="p-4" aria-label="Patient banner">x</section><section class="p-4" aria-label="Notes">y</section>');
    const target = $('section');
    expect(expectExact(buildSelector(target, doc), doc, target)).toBe('[aria-label="Patient banner"]');
  });

  it('never names a value that carries the patient: an aria-label with the name is skipped', () => {
    page('<div id="b"><span aria-label="SMITH, John" class="who">SMITH, John</span><span class="x">y</span></div>');
    const banner = $('#b');
    const target = $('.who');
    expect(expectExact(buildSelector(target, banner), banner, target)).toBe('.who');
  });

  it('uses a stable class and skips hashed and utility ones', () => {
    const doc = page('<div><span class="css-1x2y3z p-2 nhs-no">1</span><span class="css-1x2y3z p-2 dob">2</span></div>');
    const target = $('.nhs-no');
    expect(expectExact(buildSelector(target, doc), doc, target)).toBe('.nhs-no');
  });

  it('writes field selectors relative to the banner, which may share classes with the rest of the page', () => {
    const doc = page(`
      <header id="banner"><span class="value">SMITH, John</span><span class="lbl">NHS No.</span><span class="nhs value">943 476 5919</span></header>
      <ul class="recent"><li><span class="nhs value">999 000 0018</span></li></ul>`);
    const banner = $('#banner');
    const nhs = banner.querySelector('.nhs')!;
    const selector = expectExact(buildSelector(nhs, banner), banner, nhs);
    expect(selector).toBe('.nhs');
    // In the whole document .nhs is not unique, so the document-wide selector anchors on the banner.
    expect(expectExact(buildSelector(nhs, doc), doc, nhs)).toBe('#banner .nhs');
  });

  it('anchors on a named ancestor before counting positions', () => {
    const doc = page(`
      <div class="patient-strip"><span><b>Name</b> <span>SMITH, John</span></span><span><b>NHS</b> <span>943 476 5919</span></span></div>
      <div class="other"><span><span>x</span></span></div>`);
    const strip = $('.patient-strip');
    const nhsValue = strip.children[1]!.querySelector('span')!;
    const selector = expectExact(buildSelector(nhsValue, doc), doc, nhsValue);
    expect(selector).toContain('.patient-strip');
    expect(selector.match(/nth-of-type/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('falls back to positions from the banner when nothing has a name, and the path still matches only the pick', () => {
    page('<div id="b"><div><span>SMITH, John</span><span>943 476 5919</span></div><div><span>12-Mar-1985</span></div></div>');
    const banner = $('#b');
    const target = banner.querySelectorAll('span')[1]!;
    const selector = expectExact(buildSelector(target, banner), banner, target);
    expect(selector).toMatch(/nth-of-type\(2\)/);
  });

  it('prefers a class on the pick over nth-of-type in a positional path', () => {
    page('<div id="b"><div><span class="v">SMITH, John</span><span>x</span></div><div><span class="v">943 476 5919</span></div></div>');
    const banner = $('#b');
    const target = banner.querySelectorAll('.v')[1]!;
    const selector = expectExact(buildSelector(target, banner), banner, target);
    expect(selector).not.toMatch(/:nth-of-type\(\d\) > span:nth/);
  });

  it('lets a field selector match the banner itself as the detector does, so it must not be ambiguous with it', () => {
    page('<div id="b" class="box"><div class="box">943 476 5919</div></div>');
    const banner = $('#b');
    const inner = banner.querySelector('.box')!;
    const selector = expectExact(buildSelector(inner, banner), banner, inner);
    expect(selector).not.toBe('.box');
  });

  it('answers null for two identical copies, and for the root itself', () => {
    const doc = page('<p>same</p><p>same</p>');
    expect(buildSelector(doc.querySelectorAll('p')[1]!, doc.body)).not.toBeNull();
    const banner = page('<div id="b">x</div>').querySelector('#b')!;
    expect(buildSelector(banner, banner)).toBeNull();
  });

  it('offers candidates best first', () => {
    page('<table><tbody><tr><td id="nhs" data-field="nhs" aria-label="NHS number" class="pt-nhs">943 476 5919</td></tr></tbody></table>');
    const list = candidatesFor($('#nhs'));
    expect(list.slice(0, 4)).toEqual(['#nhs', '[data-field="nhs"]', '[aria-label="NHS number"]', '.pt-nhs']);
    expect(list.at(-1)).toBe('td');
  });
});
