import { describe, expect, it, vi } from 'vitest';
import { WORKLIST_ROWS } from './demo-ehr-busy';
import { detected, ehrPageKit, elementCount, pause, text } from './demo-ehr-page-kit';
import { PATIENTS } from './fixtures';
import { fixture, useSandbox } from './test-kit';

/** The script-driven demo EHR layouts (spa, late, busy), run in happy-dom. */

const sandbox = useSandbox();
const { page, run } = ehrPageKit(sandbox);
const [SMITH, PATEL] = [fixture(PATIENTS[0], 'SMITH'), fixture(PATIENTS[2], 'PATEL')];

describe('spa layout', () => {
  it('sends a shell with an empty banner, the sidebar, JSON of every patient and the script', async () => {
    const { html } = await page(`/patients/${SMITH.nhsNumber}?layout=spa`);
    expect(html).toContain('<header id="spa-banner" class="demographics-bar" aria-label="Patient banner" aria-busy="true" data-testid="spa-banner"></header>');
    for (const p of PATIENTS) expect(html).toContain(`<a href="/spa/${p.nhsNumber}" data-nhs="${p.nhsNumber}" data-testid="spa-patient-${p.nhsNumber}">`);
    const json = /<script type="application\/json" id="spa-data">([^<]*)<\/script>/.exec(html)?.[1];
    const data = JSON.parse(fixture(json, 'spa-data block')) as { initial: string; patients: { nhsNumber: string; name: string }[] };
    expect(data.initial).toBe(SMITH.nhsNumber);
    expect(data.patients.map((p) => p.nhsNumber)).toEqual(PATIENTS.map((p) => p.nhsNumber));
    expect(data.patients[1]?.name).toBe("Ms Zoë O'BRIEN-SMITH");
    expect(html).toContain('<script id="spa-script">');
    expect(html).toContain('history.pushState');
    // /spa/<nhs> is the same app.
    expect((await page(`/spa/${SMITH.nhsNumber}`)).html).toBe(html);
  });

  it('renders the banner and record by script, switches in place with pushState, and back with popstate', async () => {
    const { window, doc, errors } = await run(`/spa/${SMITH.nhsNumber}`);
    const banner = fixture(doc.querySelector('[data-testid="spa-banner"]') ?? undefined, 'spa banner');
    const nhsCell = fixture(banner.querySelector('dd[data-field="nhs"]') ?? undefined, 'nhs dd');
    const pairs = () => [...banner.querySelectorAll('dt, dd')].map((el) => el.textContent).join('|');
    expect(pairs()).toBe('Name|Mr John SMITH|NHS Number|999 000 0018|Date of birth|12 March 1985|Gender|Male');
    expect(doc.querySelectorAll('*').length).toBeGreaterThanOrEqual(3000);
    expect(doc.title).toBe('SMITH, John (Mr) - Riverside Demo EHR');
    expect(detected(doc).context).toMatchObject({ nhsNumber: SMITH.nhsNumber, birthDate: SMITH.birthDate });
    const firstRecord = text(doc, '[data-testid="spa-section-problems"]');
    const firstStamp = banner.getAttribute('data-switched-at');

    (doc.querySelector(`[data-testid="spa-patient-${PATEL.nhsNumber}"]`) as HTMLElement).click();
    expect(window.location.pathname).toBe(`/spa/${PATEL.nhsNumber}`);
    expect(doc.querySelector('[data-testid="spa-banner"]')).toBe(banner);
    expect(banner.querySelector('dd[data-field="nhs"]')).toBe(nhsCell);
    expect(nhsCell.textContent).toBe('999 246 9137');
    expect(pairs()).toBe('Name|Mrs Priya PATEL|NHS Number|999 246 9137|Date of birth|23 November 1958|Gender|Female');
    expect(text(doc, '[data-testid="spa-section-problems"]')).not.toBe(firstRecord);
    expect(banner.getAttribute('data-switched-at')).not.toBe(firstStamp);
    expect(doc.querySelector(`[data-testid="spa-patient-${PATEL.nhsNumber}"]`)?.getAttribute('aria-current')).toBe('page');
    expect(detected(doc).context?.nhsNumber).toBe(PATEL.nhsNumber);
    expect(doc.querySelectorAll('*').length).toBeGreaterThanOrEqual(3000);

    window.history.back();
    await vi.waitFor(() => expect(nhsCell.textContent).toBe('999 000 0018'));
    expect(window.location.pathname).toBe(`/spa/${SMITH.nhsNumber}`);
    expect(text(doc, '[data-testid="spa-section-problems"]')).toBe(firstRecord);
    window.history.forward();
    await vi.waitFor(() => expect(nhsCell.textContent).toBe('999 246 9137'));
    expect(errors).toEqual([]);
  });
});

describe('late layout', () => {
  it('has the page at once, the banner only in an inert template, and a 2 s default delay', async () => {
    const { html } = await page(`/patients/${SMITH.nhsNumber}?layout=late`);
    expect(html).toContain('<div id="banner-slot" class="banner-slot" aria-busy="true" data-testid="banner-slot"></div>');
    expect(html).toContain('<template id="late-banner-template"><section class="patient-banner late-banner" aria-label="Patient banner" data-testid="late-banner">');
    expect(html).toContain('<span class="pair"><label>NHS number</label> <output data-field="nhs">999 000 0018</output></span>');
    expect(html).toContain('<script type="application/json" id="late-config">{"bannerDelayMs":2000}</script>');
    expect(elementCount(html)).toBeGreaterThanOrEqual(3000);
    const { doc } = await run(`/patients/${SMITH.nhsNumber}?layout=late`);
    await pause(100);
    expect(doc.querySelector('[data-testid="late-banner"]')).toBeNull();
    expect(detected(doc).context).toBeNull();
  });

  it('inserts the banner after bannerDelayMs', async () => {
    const { doc, errors } = await run(`/patients/${SMITH.nhsNumber}?layout=late&bannerDelayMs=150`);
    expect(doc.querySelector('[data-testid="late-banner"]')).toBeNull();
    await vi.waitFor(() => expect(doc.querySelector('[data-testid="late-banner"]')).not.toBeNull(), { timeout: 3000 });
    const banner = doc.querySelector('[data-testid="late-banner"]');
    expect(banner?.parentElement?.id).toBe('banner-slot');
    expect(Number(banner?.getAttribute('data-inserted-at'))).toBeGreaterThan(0);
    expect(text(doc, '[data-testid="late-banner"]')).toBe('Patient Mr John SMITH NHS number 999 000 0018 Date of birth 12 Mar 1985 Gender Male');
    expect(detected(doc).context).toMatchObject({ nhsNumber: SMITH.nhsNumber, birthDate: SMITH.birthDate });
    expect(errors).toEqual([]);
  });
});

describe('busy layout', () => {
  it('is more than 10,000 elements for every patient and carries its data and script', async () => {
    for (const p of PATIENTS) {
      const { html } = await page(`/patients/${p.nhsNumber}?layout=busy`);
      expect(elementCount(html), p.nhsNumber).toBeGreaterThanOrEqual(10_000);
    }
    const { html } = await page(`/patients/${SMITH.nhsNumber}?layout=busy&mutationsPerSecond=50&switchEveryMs=500`);
    expect(html).toContain('<div class="busy-field"><div class="k">NHS no.</div><div class="v" data-field="nhs">999 000 0018</div></div>');
    expect(html).toContain('<div class="k">D.O.B.</div><div class="v" data-field="dob">12-MAR-1985</div>');
    expect(html).toMatch(/<script type="application\/json" id="busy-data">\{"initial":"9990000018","mutationsPerSecond":50,"switchEveryMs":500,/);
    expect(html).toContain('<script id="busy-script">');
    expect(html.match(/<tr data-row=/g)).toHaveLength(WORKLIST_ROWS);
  });

  it('mutates the page outside the banner at the requested rate', async () => {
    const { window, doc, errors } = await run(`/patients/${SMITH.nhsNumber}?layout=busy&mutationsPerSecond=200`);
    const api = (window as unknown as { __demoEhr: { mutationCount: number } }).__demoEhr;
    const banner = fixture(doc.querySelector('[data-testid="busy-banner"]') ?? undefined, 'busy banner');
    const before = banner.innerHTML;
    await vi.waitFor(() => expect(api.mutationCount).toBeGreaterThanOrEqual(40), { timeout: 3000 });
    expect(banner.innerHTML).toBe(before);
    expect(text(doc, '[data-testid="busy-clock"]')).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3}$/);
    expect(detected(doc).context?.nhsNumber).toBe(SMITH.nhsNumber);
    expect(errors).toEqual([]);
  });

  it('does nothing by default, switches in place with switchTo(), and on switchEveryMs', async () => {
    const quiet = await run(`/patients/${SMITH.nhsNumber}?layout=busy`);
    const api = (quiet.window as unknown as { __demoEhr: { mutationCount: number; switchTo(nhs: string): number; current: string } }).__demoEhr;
    await pause(100);
    expect(api.mutationCount).toBe(0);
    const banner = fixture(quiet.doc.querySelector('[data-testid="busy-banner"]') ?? undefined, 'busy banner');
    const nhsCell = banner.querySelector('[data-field="nhs"]');
    const at = api.switchTo(PATEL.nhsNumber);
    expect(typeof at).toBe('number');
    expect(banner.getAttribute('data-switched-at')).toBe(String(at));
    expect(quiet.doc.querySelector('[data-testid="busy-banner"]')).toBe(banner);
    expect(banner.querySelector('[data-field="nhs"]')).toBe(nhsCell);
    expect(nhsCell?.textContent).toBe('999 246 9137');
    expect(api.current).toBe(PATEL.nhsNumber);
    expect(detected(quiet.doc).context).toMatchObject({ nhsNumber: PATEL.nhsNumber, birthDate: PATEL.birthDate });
    expect(() => api.switchTo('9990000026')).toThrow('No demo patient with NHS number 9990000026');

    const cycling = await run(`/patients/${SMITH.nhsNumber}?layout=busy&switchEveryMs=30`);
    const cyclingApi = (cycling.window as unknown as { __demoEhr: { switchCount: number; current: string } }).__demoEhr;
    await vi.waitFor(() => expect(cyclingApi.switchCount).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    expect(cyclingApi.current).not.toBe(SMITH.nhsNumber);
    expect(cycling.doc.querySelector('[data-testid="busy-banner"]')?.hasAttribute('data-switched-at')).toBe(true);
    expect([...quiet.errors, ...cycling.errors]).toEqual([]);
  });
});

