import type { Page } from '@playwright/test';
import { DEMO_EHR_ROWS, sandboxExtensionConfig } from '../sandbox/extension-config';
import { PARCHMENT, PATIENTS } from '../sandbox/fixtures';
import { NO_PATIENT_LAYOUTS } from './demo-layouts';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { framesWithExtensionWorld } from './pages/extension-worlds';
import { LaunchBar } from './pages/launch-bar';
import { watchNextClick } from './pages/next-click';
import { openTabCount } from './pages/open-tabs';
import { RowButtons } from './pages/row-buttons';

/**
 * Detection on realistic pages and hostile ones: the demo EHR's layouts read with the site's profile, and the
 * defences around the bar (look-alike hosts, cross-origin frames, covered or faded bars, synthetic clicks,
 * page messages, unreadable digits, huge and deep pages).
 */

const [john, zoe, priya] = [PATIENTS[0]!, PATIENTS[1]!, PATIENTS[2]!];
const JOHN = 'Open John Smith in Parchment';
const ZOE = "Open Zoë O'Brien-Smith in Parchment";

async function parchmentRequests(sandbox: { 'parchment-api': string }): Promise<number> {
  const response = await fetch(`${sandbox['parchment-api']}/__sandbox/requests?path=${encodeURIComponent('/external/v1/sso')}`);
  return ((await response.json()) as unknown[]).length;
}

/**
 * No launch bar at all, once the browser has decided which scripts run on the page: its load event has fired
 * (the content script runs at document_idle, by then) and none of the extension's scripts runs in it.
 */
async function expectNoBar(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  expect(await framesWithExtensionWorld(page)).toEqual([]);
  expect(await new LaunchBar(page).snapshot()).toBeNull();
}

test.describe('demo EHR layouts', () => {
  test.beforeEach(async ({ setUpExtension }) => setUpExtension());

  test('single-page app: switching patients without a reload redraws the bar, and back/forward switch it again', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/spa/${john.nhsNumber}`);
    await ehr.bar.waitForButton(JOHN);
    await ehr.page.getByTestId(`spa-patient-${zoe.nhsNumber}`).click();
    await ehr.bar.waitForButton(ZOE);
    await ehr.page.goBack();
    await ehr.bar.waitForButton(JOHN);
    await ehr.page.goForward();
    const bar = await ehr.bar.waitForButton(ZOE);
    expect(bar.text).toContain('999 123 4578');
    const tab = await ehr.launch(ZOE);
    await expect(tab.getByTestId('patient-nhs')).toHaveText(zoe.nhsNumber);
  });

  test('a banner inside a same-origin frame the profile names is read', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/patients/${priya.nhsNumber}?layout=iframe`);
    const bar = await ehr.bar.waitForButton('Open Priya Patel in Parchment');
    expect(bar.text).toContain('999 246 9137');
  });

  test('a banner in a cross-origin frame the profile names is read, launched from and followed', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/patients/${priya.nhsNumber}?layout=xframe`);
    const bar = await ehr.bar.waitForButton('Open Priya Patel in Parchment');
    expect(bar.text).toContain('999 246 9137');
    // The banner service shows another patient in the same frame: the bar follows.
    const frame = ehr.page.frameLocator('iframe.banner-frame');
    await expect(frame.getByTestId('frame-banner')).toBeVisible();
    await ehr.page.locator('iframe.banner-frame').evaluate((el, src) => el.setAttribute('src', src), `${sandbox['ehr-banner']}/patients/${john.nhsNumber}/banner-frame`);
    // The record below still shows Priya: the page now shows two patients' details, and the summary card's
    // date of birth (cross-checked) disagrees with the banner.
    await ehr.bar.waitForReason(/disagree/);
    // Back to Priya's banner: the bar offers her again, and the launch opens her record.
    await ehr.page.locator('iframe.banner-frame').evaluate((el, src) => el.setAttribute('src', src), `${sandbox['ehr-banner']}/patients/${priya.nhsNumber}/banner-frame`);
    await ehr.bar.waitForButton('Open Priya Patel in Parchment');
    const record = await ehr.launch('Open Priya Patel in Parchment');
    await expect(record.getByTestId('patient-nhs')).toHaveText(priya.nhsNumber);
    // The EHR takes the banner frame away: its reading no longer counts.
    await ehr.page.bringToFront();
    await ehr.page.locator('iframe.banner-frame').evaluate((el) => el.remove());
    await ehr.bar.waitFor((b) => b.buttons.length === 0);
  });

  test('a banner frame nested inside another frame is not read, even from the named origin', { tag: '@hostile' }, async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    await ehr.bar.waitForButton(JOHN);
    // A frame that embeds the banner service showing another patient: counted, it would make two patients.
    await ehr.page.evaluate((src) => {
      const outer = document.createElement('iframe');
      outer.className = 'banner-frame';
      outer.srcdoc = `<iframe class="banner-frame" src="${src}"></iframe>`;
      document.body.prepend(outer);
    }, `${sandbox['ehr-banner']}/patients/${zoe.nhsNumber}/banner-frame`);
    // The banner frame's reader has run in the nested frame, and stopped at once: it is not a child of the page.
    await expect.poll(async () => (await framesWithExtensionWorld(ehr.page)).some((url) => url.startsWith(sandbox['ehr-banner']))).toBe(true);
    const bar = await ehr.bar.waitForButton(JOHN);
    expect(bar.text).not.toContain('999 123 4578');
    // The click reads every banner frame afresh: still only John, and his record opens.
    const record = await ehr.launch(JOHN);
    await expect(record.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  });

  test('a patient switch inside the cross-origin banner frame just before the click refuses the launch', { tag: '@hostile' }, async ({ context, sandbox, control }) => {
    // The frame's banner changes in place, then the click lands. Whether the click beats the bar's own redraw
    // (the frame's reader reports, the background relays, the bar draws John) is the machine's race: nothing
    // outside the browser can hold the redraw back. Either order is safe, and each is checked: a click on the
    // button drawn for Priya is refused; a click that lands on the button already redrawn for John opens
    // John. Opening Priya would be the failure, whichever way the race went. Only a refusal exercises the
    // click's fresh reading of the frame, so a busy machine gets a few tries at it.
    for (let attempt = 1; ; attempt++) {
      await control('parchment-api', 'requests', { method: 'DELETE' });
      const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
      await ehr.page.goto(`${sandbox.ehr}/patients/${priya.nhsNumber}?layout=xframe`);
      const bar = await ehr.bar.waitForButton('Open Priya Patel in Parchment');
      const box = await ehr.bar.settle(bar.buttons.find((b) => b.name === 'Open Priya Patel in Parchment')!.name);
      const frame = ehr.page.frames().find((f) => f.url().startsWith(sandbox['ehr-banner']))!;
      const tabsBefore = await openTabCount(context);
      // Nothing between the switch and the click but the switch's own answer: every step there helps the bar.
      await frame.evaluate(() => {
        document.querySelector('[data-field="nhs"]')!.textContent = '999 000 0018';
        document.querySelector('[data-field="name"]')!.textContent = 'SMITH, John (Mr)';
      });
      await ehr.page.mouse.click(box.x, box.y);
      // Settled: a refusal or other notice, or a launch that ended (its "Opening…" cleared) on a bar showing John.
      const after = await ehr.bar.waitFor((b) => (b.status !== '' && !b.status.startsWith('Opening ')) || (b.status === '' && b.text.includes('For John Smith')));
      if (/not the one this button was drawn for, so nothing was opened/.test(after.status)) {
        expect(await control('parchment-api', 'requests')).toEqual([]);
        expect(await openTabCount(context)).toBe(tabsBefore);
        return;
      }
      // The bar had heard of the switch first: whatever the click did, only John may have been opened.
      for (const request of (await control('parchment-api', 'requests')) as { body?: string }[]) {
        expect(request.body).toContain(PARCHMENT.patients.find((p) => p.nhsNumber === john.nhsNumber)!.id);
      }
      await ehr.page.close();
      expect(attempt, 'the bar heard of the switch before every click, so the refusal was never exercised').toBeLessThan(3);
    }
  });

  test('a cross-origin banner frame is not read when the profile does not name its origin', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
    const config = sandboxExtensionConfig(sandbox);
    await setUpExtension({ config: { ...config, profiles: config.profiles.map(({ frameOrigins: _named, ...profile }) => profile) } });
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/patients/${priya.nhsNumber}?layout=xframe`);
    await expect(ehr.page.frameLocator('iframe.banner-frame').getByTestId('frame-banner')).toBeVisible();
    // Detection has finished on the page (the bar is drawn, saying there is no patient), and the banner frame
    // has loaded with no reader of ours in it.
    const bar = await ehr.bar.waitFor((b) => /no patient/.test(b.toggle?.name ?? ''));
    expect(bar.buttons).toHaveLength(0);
    expect(bar.text).not.toContain('999 246 9137');
    await ehr.page.frames().find((f) => f.url().startsWith(sandbox['ehr-banner']))!.waitForLoadState('load');
    expect((await framesWithExtensionWorld(ehr.page)).filter((url) => url.startsWith(sandbox['ehr-banner']))).toEqual([]);
  });

  test('a banner rendered two seconds late gets its bar when it appears', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=late`);
    expect((await ehr.bar.snapshot())?.buttons ?? []).toHaveLength(0);
    await ehr.bar.waitForButton(JOHN);
  });

  test('a busy 10,000-element page that switches patient in place: the bar follows every switch', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=busy&mutationsPerSecond=50`);
    await ehr.bar.waitForButton(JOHN);
    const switchTo = (nhs: string) => ehr.page.evaluate((n) => (window as unknown as { __demoEhr: { switchTo(x: string): number } }).__demoEhr.switchTo(n), nhs);
    // The banner and the record's date of birth switch together (the stale layout is the half-switched page).
    await switchTo(zoe.nhsNumber);
    const bar = await ehr.bar.waitForButton(ZOE);
    expect(bar.buttons.map((b) => b.name)).not.toContain(JOHN);
    await switchTo(john.nhsNumber);
    await ehr.bar.waitForButton(JOHN);
  });

  test('the bar is keyboard operable: Enter on a focused button launches', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    await ehr.bar.focus(JOHN);
    const opened = context.waitForEvent('page');
    await ehr.page.keyboard.press('Enter');
    const tab = await opened;
    await expect(tab.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  });

  for (const { layout, why } of NO_PATIENT_LAYOUTS) {
    test(`${layout}: no launch, and the bar's small tab opens to say why`, async ({ context, sandbox }) => {
      const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
      await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=${layout}`);
      const bar = await ehr.bar.waitForReason(why);
      expect(bar.buttons).toHaveLength(0);
      // A profile that does not ask for per-row launch gets none, on a list or anywhere else.
      expect(await new RowButtons(ehr.page).list()).toEqual([]);
    });
  }
});

test.describe('per-row launch on a list, when the profile asks for it', () => {
  const nhs334 = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;

  test.beforeEach(async ({ setUpExtension, sandbox }) => {
    const config = sandboxExtensionConfig(sandbox);
    await setUpExtension({ config: { ...config, profiles: config.profiles.map((profile) => ({ ...profile, rows: DEMO_EHR_ROWS })) } });
  });

  test("each row launches its own patient; the bar points to the rows", async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/list`);
    const rows = new RowButtons(ehr.page);
    await ehr.bar.waitFor((b) => /use the buttons in the patient's row/.test(b.toggle?.name ?? ''));
    const buttons = await rows.waitFor((list) => list.length > 100);
    // One button per ready partner in each of the 120 rows, each named for its row's patient.
    expect(new Set(buttons.map((b) => b.description)).size).toBe(120);
    const zoes = await rows.find(ZOE, nhs334(zoe.nhsNumber));
    expect(zoes.description).toBe(`Zoë O'Brien-Smith · NHS ${nhs334(zoe.nhsNumber)}`);
    const opened = context.waitForEvent('page');
    await rows.click(JOHN, nhs334(john.nhsNumber));
    const record = await opened;
    await expect(record.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  });

  test('a row that changes between drawing its buttons and the click refuses the launch', { tag: '@hostile' }, async ({ context, sandbox, control }) => {
    await control('parchment-api', 'requests', { method: 'DELETE' });
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/list`);
    const rows = new RowButtons(ehr.page);
    const box = await rows.settle(JOHN, nhs334(john.nhsNumber));
    // The list re-sorts in place: John's row now shows Zoë, and the click lands before our buttons are redrawn.
    await ehr.page.evaluate(
      ({ from, name, nhs, dob }) => {
        const row = document.querySelector(`tr[data-nhs="${from}"]`)!;
        const cells = row.querySelectorAll('td');
        cells[1]!.textContent = name;
        cells[2]!.textContent = nhs;
        cells[3]!.textContent = dob;
      },
      { from: john.nhsNumber, name: "O'BRIEN-SMITH, Zoë (Ms)", nhs: nhs334(zoe.nhsNumber), dob: '04-Jul-1992' },
    );
    await ehr.page.mouse.click(box.x, box.y);
    const after = await rows.waitFor((list) => list.some((b) => /not the one this button was drawn for/.test(b.status)));
    expect(after.find((b) => /not the one/.test(b.status))?.name).toBe(ZOE);
    expect(context.pages()).toHaveLength(2);
    expect(await control('parchment-api', 'requests')).toEqual([]);
  });

  test('a page with a banner offers no row buttons, even with rows the profile would read', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/list`);
    await new RowButtons(ehr.page).waitFor((list) => list.length > 0);
    // A patient banner appears above the list (the EHR opened a record over it): the list is no longer the page.
    await ehr.page.evaluate(() => {
      const banner = document.createElement('div');
      banner.id = 'patient-banner';
      banner.innerHTML = '<b>Name</b><span>SMITH, John (Mr)</span><b>NHS No</b><span>999 000 0018</span><b>DOB</b><span>12-Mar-1985</span>';
      document.body.prepend(banner);
    });
    await ehr.bar.waitForButton(JOHN);
    expect(await new RowButtons(ehr.page).list()).toEqual([]);
  });
});

test.describe('hostile pages', { tag: '@hostile' }, () => {
  test.beforeEach(async ({ setUpExtension }) => setUpExtension());

  test('a look-alike host (same server, another name) gets nothing', async ({ context, sandbox }) => {
    const page = await context.newPage();
    await page.goto(`${sandbox.ehr.replace('127.0.0.1', 'localhost')}/patients/${john.nhsNumber}`);
    await expect(page.locator('#patient-banner')).toBeVisible();
    await expectNoBar(page);
  });

  test('a fake banner in a cross-origin frame is ignored', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    const foreign = sandbox.ehr.replace('127.0.0.1', 'localhost');
    // The page's own patient is John; the frame from another origin shows a convincing banner for Zoë.
    await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?fakeBannerFrom=${encodeURIComponent(foreign)}`);
    await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?fakeBannerFrom=${encodeURIComponent(foreign)}`);
    const bar = await ehr.bar.waitForButton(JOHN);
    expect(bar.text).not.toContain('999 123 4578');
  });

  /** The bar's words for a click through each overlay; null where the overlay may take the click itself. */
  const OVERLAY_REFUSALS: Record<'cover' | 'decoy' | 'transparent-body' | 'popover', RegExp | null> = {
    cover: null,
    decoy: /covering the launch bar/,
    'transparent-body': /nearly invisible/,
    popover: null,
  };

  for (const overlay of ['cover', 'decoy', 'transparent-body', 'popover'] as const) {
    test(`an overlay (${overlay}) stops the click: nothing is sent, no tab opens`, async ({ context, sandbox }) => {
      const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
      await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?overlay=${overlay}&overlayAt=1500`);
      await ehr.bar.waitForButton(JOHN);
      await ehr.page.locator(`html[data-overlay="${overlay}"]`).waitFor({ state: 'attached' });
      const before = await parchmentRequests(sandbox);
      const tabs = await openTabCount(context);
      const landed = await watchNextClick(ehr.page);
      // The pointer rests on the bar first (settling), long enough for the browser's visibility verdict.
      await ehr.bar.click(JOHN);
      // Where the click went decides what could follow: the bar answers a click on it with its status at once;
      // a click on the overlay never reaches the bar.
      const target = await landed();
      const refusal = OVERLAY_REFUSALS[overlay];
      if (refusal) expect(target).toBe('ehr-launchpad-bar');
      if (target === 'ehr-launchpad-bar') await ehr.bar.waitForStatus(refusal ?? /^Nothing was opened/);
      expect(await openTabCount(context)).toBe(tabs);
      expect(await parchmentRequests(sandbox)).toBe(before);
    });
  }

  test('synthetic clicks and page messages cannot launch', async ({ context, sandbox }) => {
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    await ehr.bar.waitForButton(JOHN);
    const before = await parchmentRequests(sandbox);
    const pages = context.pages().length;
    await ehr.page.evaluate(() => {
      const host = document.querySelector('ehr-launchpad-bar') as HTMLElement;
      host.click();
      host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 5, clientY: 5 }));
      // Shaped like our protocol: a content script listening to the page would take these.
      const message = { type: 'launch.request', payload: { partnerId: 'parchment', fingerprint: '9990000018|1985-03-12|Smith|John|Mr' } };
      window.postMessage(message, '*');
      document.dispatchEvent(new CustomEvent('launch.request', { detail: message }));
      window.dispatchEvent(new CustomEvent('ehr-launchpad', { detail: message }));
    });
    // The user's own click on the same bar then launches once: had any of the page's events launched, that
    // launch (begun at least the settling time earlier) would show as a second tab and a second request.
    const record = await ehr.launch(JOHN);
    await expect(record.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
    expect(context.pages()).toHaveLength(pages + 1);
    expect(await parchmentRequests(sandbox)).toBe(before + 1);
  });

  for (const digits of ['arabic', 'fullwidth'] as const) {
    test(`an NHS number in ${digits} digits is not a patient`, async ({ context, sandbox }) => {
      const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
      await ehr.page.goto(`${sandbox.ehr}/hostile/digits/${john.nhsNumber}?digits=${digits}`);
      const bar = await ehr.bar.waitForReason(/NHS number on this page is not valid|No patient found/);
      expect(bar.buttons).toHaveLength(0);
    });
  }

  for (const kind of ['huge-banner', 'deep'] as const) {
    test(`a ${kind === 'deep' ? 'deeply nested page' : '1 MB banner'} does not hang the page`, async ({ context, sandbox }) => {
      const page = await context.newPage();
      await page.goto(`${sandbox.ehr}/hostile/${kind}/${john.nhsNumber}`);
      const bar = new LaunchBar(page);
      await bar.waitFor((b) => b.toggle !== null, 15_000);
      // The page still answers promptly.
      const started = Date.now();
      await page.evaluate(() => document.title);
      expect(Date.now() - started).toBeLessThan(1_000);
    });
  }
});
