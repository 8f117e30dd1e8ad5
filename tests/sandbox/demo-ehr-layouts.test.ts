import { describe, expect, it } from 'vitest';
import { LIST_ROWS } from './demo-ehr-list';
import { detected, duplicateIds, ehrPageKit, elementCount, isValidNhsNumber } from './demo-ehr-page-kit';
import { PATIENTS } from './fixtures';
import { control, fixture, testId, useSandbox } from './test-kit';

/** Demo EHR layouts served as static HTML: selection, validation, and each layout's banner markup. */

const sandbox = useSandbox();
const { page, load } = ehrPageKit(sandbox);
const [SMITH, OBRIEN, PATEL] = [fixture(PATIENTS[0], 'SMITH'), fixture(PATIENTS[1], "O'BRIEN-SMITH"), fixture(PATIENTS[2], 'PATEL')];
const LAYOUT_NAMES = ['classic', 'spa', 'iframe', 'xframe', 'list', 'split', 'late', 'stale', 'busy', 'community'];

describe('demo EHR layouts: selection and validation', () => {
  it('serves every layout by ?layout= as a complete HTML page with unique ids', async () => {
    for (const layout of LAYOUT_NAMES) {
      const { status, html, type } = await page(`/patients/${SMITH.nhsNumber}?layout=${layout}`);
      expect(status, layout).toBe(200);
      expect(type).toContain('text/html');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html.trimEnd().endsWith('</html>')).toBe(true);
      if (layout !== 'classic') expect(html).toContain(`data-testid="layout-${layout}"`);
      expect(duplicateIds(html), layout).toEqual([]);
      // Nothing is loaded from elsewhere, except the xframe layout's banner from the EHR's own banner service.
      const local = html.replaceAll(`src="${sandbox.urls['ehr-banner']}/patients/`, 'src="/patients/');
      expect(local, layout).not.toMatch(/\son[a-z]+=|javascript:|src="http/);
      const again = await page(`/patients/${SMITH.nhsNumber}?layout=${layout}`);
      expect(again.html, `${layout} is deterministic`).toBe(html);
    }
  });

  it('uses the layout setting, which ?layout= overrides, and refuses unknown layouts', async () => {
    expect((await control(sandbox.urls.ehr, 'settings', 'POST', { layout: 'spa' })).status).toBe(200);
    expect((await page(`/patients/${SMITH.nhsNumber}`)).html).toContain('data-testid="layout-spa"');
    expect((await page(`/patients/${SMITH.nhsNumber}?layout=classic`)).html).not.toContain('layout-spa');
    const refused = await control(sandbox.urls.ehr, 'settings', 'POST', { layout: 'tabs' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('layout must be one of: classic, spa, iframe, xframe, list, split, late, stale, busy, community');
  });

  it('answers 400 with a readable reason for bad query parameters', async () => {
    const nhs = SMITH.nhsNumber;
    const cases: [string, string][] = [
      ['layout=tabs', 'layout must be one of: classic, spa, iframe, xframe, list, split, late, stale, busy, community (got "tabs")'],
      ['layout=spa&layout=late', 'layout was given more than once'],
      ['layout=late&bannerDelayMs=10001', 'bannerDelayMs must be a whole number from 0 to 10000 (got "10001")'],
      ['layout=late&bannerDelayMs=-1', 'bannerDelayMs must be a whole number from 0 to 10000 (got "-1")'],
      ['layout=late&bannerDelayMs=1.5', 'bannerDelayMs must be a whole number from 0 to 10000 (got "1.5")'],
      ['layout=busy&mutationsPerSecond=1001', 'mutationsPerSecond must be a whole number from 0 to 1000 (got "1001")'],
      ['layout=busy&mutationsPerSecond=', 'mutationsPerSecond must be a whole number from 0 to 1000 (got "")'],
      ['layout=busy&switchEveryMs=5', 'switchEveryMs must be 0 (off) or at least 10'],
      ['layout=busy&mutationsPerSecond=1&mutationsPerSecond=2', 'mutationsPerSecond was given more than once'],
      ['overlay=modal', 'overlay must be one of: cover, decoy, transparent-body, popover (got "modal")'],
      ['overlay=cover&overlayAt=20000', 'overlayAt must be a whole number from 0 to 10000 (got "20000")'],
      ['fakeBannerFrom=http://127.0.0.1:1/x', 'fakeBannerFrom must be an origin such as http://127.0.0.1:47102 (scheme, host and port only; got "http://127.0.0.1:1/x")'],
      ['fakeBannerFrom=javascript:alert(1)', 'fakeBannerFrom must be an origin such as http://127.0.0.1:47102 (scheme, host and port only; got "javascript:alert(1)")'],
      ['layout=split&with=9990000026', 'with must be the NHS number of a demo patient (got "9990000026")'],
      [`layout=split&with=${nhs}`, "with must name a different patient from the page's own"],
    ];
    for (const [query, message] of cases) {
      const { status, html } = await page(`/patients/${nhs}?${query}`);
      expect(status, query).toBe(400);
      expect(testId(html, 'error-message'), query).toBe(message);
    }
    const digits = await page(`/hostile/digits/${nhs}?digits=roman`);
    expect(digits.status).toBe(400);
    expect(testId(digits.html, 'error-message')).toBe('digits must be one of: arabic, fullwidth (got "roman")');
    const escaped = await page(`/patients/${nhs}?layout=%3Cscript%3E`);
    expect(escaped.html).not.toContain('<script>');
  });

  it('answers 404 for unknown patients on every new path', async () => {
    for (const path of ['/spa/9990000026', '/patients/9990000026/banner-frame', '/fake-banner/9990000026', '/hostile/deep/9990000026', '/hostile/huge-banner/x', '/hostile/other/9990000018', '/patients/9990000018/other']) {
      expect((await page(path)).status, path).toBe(404);
    }
  });
});

describe('xframe layout', () => {
  it('frames the banner from the banner service, which serves banner frames and nothing else', async () => {
    const outer = await page(`/patients/${OBRIEN.nhsNumber}?layout=xframe`);
    const src = `${sandbox.urls['ehr-banner']}/patients/${OBRIEN.nhsNumber}/banner-frame`;
    expect(outer.html).toContain(`<iframe class="banner-frame" src="${src}" title="Patient banner" data-testid="banner-frame"></iframe>`);
    const frame = await fetch(src);
    expect(frame.status).toBe(200);
    expect(await frame.text()).toContain('data-testid="frame-banner"');
    expect((await fetch(`${sandbox.urls['ehr-banner']}/patients/${OBRIEN.nhsNumber}`)).status).toBe(404);
    expect((await fetch(`${sandbox.urls['ehr-banner']}/patients/0000000000/banner-frame`)).status).toBe(404);
  });
});

describe('iframe layout', () => {
  it('keeps the banner in a same-origin frame document and the record in the outer page', async () => {
    const outer = await page(`/patients/${OBRIEN.nhsNumber}?layout=iframe`);
    expect(outer.html).toContain(`<iframe class="banner-frame" src="/patients/${OBRIEN.nhsNumber}/banner-frame" title="Patient banner" data-testid="banner-frame"></iframe>`);
    expect(outer.html).not.toContain('aria-label="Patient banner"');
    expect(elementCount(outer.html)).toBeGreaterThanOrEqual(3000);
    expect(detected(load(outer.html, '/').doc).context).toBeNull();

    const frame = await page(`/patients/${OBRIEN.nhsNumber}/banner-frame`);
    expect(frame.status).toBe(200);
    expect(frame.html).toContain('<div class="field"><span class="label">NHS No:</span> <span class="value" data-field="nhs">999 123 4578</span></div>');
    expect(frame.html).toContain('<span class="value" data-field="name">O&#39;BRIEN-SMITH, Zoë (Ms)</span>');
    expect(frame.html).toContain('<span class="label">Born:</span> <span class="value" data-field="dob">04/07/1992</span>');
    expect(detected(load(frame.html, '/').doc).context).toMatchObject({ nhsNumber: OBRIEN.nhsNumber, birthDate: OBRIEN.birthDate });
  });
});

describe('list layout', () => {
  it('lists many patients with valid, distinct NHS numbers and DOBs, and no patient banner', async () => {
    const { status, html } = await page('/list');
    expect(status).toBe(200);
    const rows = [...html.matchAll(/<tr data-testid="list-row" data-nhs="(\d+)"[^>]*>(.*?)<\/tr>/g)];
    expect(rows).toHaveLength(LIST_ROWS);
    const numbers = rows.map((r) => r[1] ?? '');
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const nhs of numbers) {
      expect(isValidNhsNumber(nhs), nhs).toBe(true);
      expect(nhs.startsWith('999')).toBe(true);
    }
    for (const p of PATIENTS) expect(numbers).toContain(p.nhsNumber);
    for (const [, , cells] of rows) expect(cells).toMatch(/<td>\d{3} \d{3} \d{4}<\/td><td>\d{2}-[A-Z][a-z]{2}-\d{4}<\/td>/);
    expect(html).not.toContain('Patient banner');
    expect(elementCount(html)).toBeGreaterThanOrEqual(1500);
    expect(detected(load(html, '/list').doc)).toMatchObject({ context: null, problem: 'no-patient' });
  });

  it('marks the current patient when used as a layout', async () => {
    const { html } = await page(`/patients/${PATEL.nhsNumber}?layout=list`);
    expect(html).toContain(`<tr data-testid="list-row" data-nhs="${PATEL.nhsNumber}" class="selected" aria-current="true">`);
    expect(html.match(/aria-current="true"/g)).toHaveLength(1);
  });
});

describe('split layout', () => {
  it('shows two different patients, each with its own banner and record', async () => {
    const { html } = await page(`/patients/${SMITH.nhsNumber}?layout=split`);
    expect(html).toContain('<section class="patient-banner compact-banner" aria-label="Patient banner" data-testid="split-banner-current">');
    expect(html).toContain('<b>Name</b> <span>SMITH, John (Mr)</span> <b>NHS No</b> <span>999 000 0018</span> <b>DOB</b> <span>1985-03-12</span>');
    expect(html).toContain('<b>Name</b> <span>O&#39;BRIEN-SMITH, Zoë (Ms)</span> <b>NHS No</b> <span>999 123 4578</span> <b>DOB</b> <span>1992-07-04</span>');
    expect(html).toContain('id="current-problems"');
    expect(html).toContain('id="linked-problems"');
    expect(elementCount(html)).toBeGreaterThanOrEqual(6000);
    expect(detected(load(html, '/').doc).context).toBeNull();

    const chosen = await page(`/patients/${SMITH.nhsNumber}?layout=split&with=${PATEL.nhsNumber}`);
    expect(chosen.html).toContain('<span>999 246 9137</span>');
    expect(chosen.html).not.toContain('<span>999 123 4578</span>');
  });
});

describe('stale layout', () => {
  it("shows one patient's name and NHS number with another patient's date of birth", async () => {
    const { html } = await page(`/patients/${SMITH.nhsNumber}?layout=stale`);
    expect(html).toContain(
      '<header class="demographics-bar" aria-label="Patient banner" data-testid="stale-banner"><dl><div class="pair"><dt>Name</dt><dd data-field="name">Mr John SMITH</dd></div><div class="pair"><dt>NHS Number</dt><dd data-field="nhs">999 000 0018</dd></div><div class="pair"><dt>Date of birth</dt><dd data-field="birthDate">4 July 1992</dd></div>',
    );
    expect(elementCount(html)).toBeGreaterThanOrEqual(3000);
    const chosen = await page(`/patients/${SMITH.nhsNumber}?layout=stale&with=${PATEL.nhsNumber}`);
    expect(chosen.html).toContain('<dd data-field="birthDate">23 November 1958</dd>');
  });
});

describe('escaping', () => {
  it('escapes patient data everywhere, including inside JSON blocks', async () => {
    for (const layout of LAYOUT_NAMES) {
      const { html } = await page(`/patients/${OBRIEN.nhsNumber}?layout=${layout}`);
      expect(html, layout).not.toContain("O'BRIEN-SMITH, Zoë (Ms)</");
      for (const [, json] of html.matchAll(/<script type="application\/json"[^>]*>([^]*?)<\/script>/g)) expect(json).not.toMatch(/[<>&]/);
    }
  });
});
