import { describe, expect, it } from 'vitest';
import { DEEP_NESTING } from './demo-ehr-hostile';
import { ehrPageKit, elementCount, text } from './demo-ehr-page-kit';
import { PATIENTS } from './fixtures';
import { fixture, useSandbox } from './test-kit';

/** The demo EHR's hostile fixtures: fake banner frames, overlays, a huge banner, deep nesting, odd digits. */

const sandbox = useSandbox();
const { page, load, run } = ehrPageKit(sandbox);
const SMITH = fixture(PATIENTS[0], 'SMITH');

describe('hostile fixtures', () => {
  it('serves a bare fake banner and embeds it from ?fakeBannerFrom=', async () => {
    const fake = await page(`/fake-banner/${SMITH.nhsNumber}`);
    expect(fake.status).toBe(200);
    expect(fake.html).toContain('<td class="pt-nhs">999 000 0018</td>');
    expect(elementCount(fake.html)).toBeLessThan(30);
    const origin = 'http://127.0.0.1:47199';
    const { html } = await page(`/patients/${SMITH.nhsNumber}?fakeBannerFrom=${encodeURIComponent(origin)}`);
    expect(html).toContain(`<iframe class="fake-banner-frame" src="${origin}/fake-banner/${SMITH.nhsNumber}" title="Patient banner" data-testid="fake-banner-frame"></iframe>`);
    expect(html.indexOf('fake-banner-frame" src')).toBeLessThan(html.indexOf('id="patient-banner"'));
  });

  it('adds each overlay, at once with overlayAt=0 and after 1 s by default', async () => {
    const cover = await run(`/patients/${SMITH.nhsNumber}?overlay=cover&overlayAt=0`);
    expect(cover.doc.documentElement.getAttribute('data-overlay')).toBe('cover');
    expect(cover.doc.querySelector('[data-testid="overlay-cover"]')?.className).toBe('hostile-cover');
    const body = await run(`/patients/${SMITH.nhsNumber}?layout=spa&overlay=transparent-body&overlayAt=0`);
    expect(body.doc.body.style.opacity).toBe('0.3');
    const popover = await run(`/patients/${SMITH.nhsNumber}?overlay=popover&overlayAt=0`);
    expect(popover.doc.querySelector('[data-testid="overlay-popover"]')?.getAttribute('popover')).toBe('manual');
    expect(popover.doc.documentElement.getAttribute('data-overlay')).toBe('popover');
    const later = await page(`/patients/${SMITH.nhsNumber}?overlay=cover`);
    expect(later.html).toContain('<script type="application/json" id="overlay-config">{"overlay":"cover","overlayAt":1000}</script>');
    expect([...cover.errors, ...body.errors, ...popover.errors]).toEqual([]);
  });

  it('serves a banner with about 1 MB of text', async () => {
    const { status, html } = await page(`/hostile/huge-banner/${SMITH.nhsNumber}`);
    expect(status).toBe(200);
    const { doc } = load(html, '/');
    expect(doc.querySelectorAll('#patient-banner')).toHaveLength(1);
    expect(doc.querySelector('#patient-banner')?.textContent?.length).toBeGreaterThanOrEqual(1_000_000);
    expect(text(doc, '#patient-banner .pt-nhs')).toBe('999 000 0018');
  });

  it('nests the banner 5,000 levels deep by script', async () => {
    const { doc, errors } = await run(`/hostile/deep/${SMITH.nhsNumber}`);
    let depth = 0;
    for (let el = doc.getElementById('patient-banner')?.parentElement; el; el = el.parentElement) depth++;
    expect(depth).toBeGreaterThanOrEqual(DEEP_NESTING);
    // getElementById only: happy-dom's selector engine recurses per level and overflows at this depth.
    expect(doc.getElementById('deep-nest')?.getAttribute('data-depth')).toBe(String(DEEP_NESTING));
    expect(doc.getElementById('patient-banner')?.textContent).toContain('999 000 0018');
    expect(errors).toEqual([]);
    // happy-dom closes a document by destroying each node's children recursively, three frames a level: at 5,000
    // levels that can overflow the stack (it did once in CI). Taking the levels apart from the innermost out keeps
    // every removal shallow.
    for (let el: Element | null = doc.getElementById('patient-banner'); el?.parentElement; ) {
      const parent: Element = el.parentElement;
      el.remove();
      el = parent;
    }
  });

  it('writes the NHS number in Arabic-Indic or full-width digits', async () => {
    expect((await page(`/hostile/digits/${SMITH.nhsNumber}`)).html).toContain('<td class="pt-nhs" data-digits="arabic">٩٩٩ ٠٠٠ ٠٠١٨</td>');
    expect((await page(`/hostile/digits/${SMITH.nhsNumber}?digits=fullwidth`)).html).toContain('<td class="pt-nhs" data-digits="fullwidth">９９９ ０００ ００１８</td>');
  });
});
