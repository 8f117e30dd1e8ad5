import type { Worker } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import { switchToZoeAsTheClickLands } from './pages/switch-patient';

/**
 * The launch bar stays out of the way: a small tab where there is no patient, a minimise remembered per EHR
 * site, refusals readable in the popup (with the badge set) when the page hid the bar's own message, and a
 * second partner's click during a slow launch launched rather than dropped.
 */

const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];
const JOHN = 'Open John Smith in Parchment';

/** The popup speaks about the active tab: opened beside the EHR, then reloaded while the EHR tab is in front. */
async function popupFor(ehr: EhrPage): Promise<PopupPage> {
  const popup = await PopupPage.open(ehr.page.context());
  await ehr.page.bringToFront();
  await popup.page.reload();
  await popup.page.getByRole('heading', { name: 'Patient on this tab' }).waitFor();
  return popup;
}

function tabIdOf(worker: Worker, url: string): Promise<number> {
  return worker.evaluate(async (wanted) => (await chrome.tabs.query({})).find((tab) => tab.url === wanted)!.id!, url);
}

test.beforeEach(async ({ setUpExtension }) => setUpExtension());

test('a page with no patient gets a small closed tab, not a box over the EHR; it opens to say why, and the popup says why too', async ({ context, sandbox, worker }) => {
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=list`);
  const tab = await ehr.bar.waitFor((b) => b.toggle !== null);
  expect(tab.toggle).toMatchObject({ name: 'EHR Launchpad: no patient', expanded: false });
  expect(tab.buttons).toHaveLength(0);
  expect(tab.text).not.toContain('No patient found');
  const size = await ehr.bar.size();
  expect(size.height).toBeLessThan(40);
  expect(size.width).toBeLessThan(260);

  const open = await ehr.bar.clickToggle();
  expect(open.text).toContain('No patient found on this page.');
  await ehr.bar.clickToggle();
  expect((await ehr.bar.size()).height).toBeLessThan(40);

  // No alarm on the badge for an ordinary page without a patient; the popup says why.
  const tabId = await tabIdOf(worker, ehr.page.url());
  expect(await worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('');
  const popup = await popupFor(ehr);
  await expect(popup.page.getByTestId('no-patient')).toHaveText('No patient found on this page.');
});

test("the detector's reason is shown in the popup and, for the latest EHR tabs, in the options page's diagnostics", async ({ context, sandbox, worker }) => {
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=list`);
  await ehr.bar.waitFor((b) => b.toggle !== null);
  const tabId = await tabIdOf(worker, ehr.page.url());
  // The tab's reading as a reader that explains itself reports it (the demo profile's reader gives no reason).
  const reason = 'Found NHS number 943 476 5919 (valid) but no date of birth next to it';
  await worker.evaluate(
    async ({ id, why }) => {
      const key = `tab:${id}`;
      const stored = (await chrome.storage.session.get(key))[key] as Record<string, unknown>;
      await chrome.storage.session.set({ [key]: { ...stored, problem: 'invalid-birth-date', reason: why, reportedAt: Date.now() } });
    },
    { id: tabId, why: reason },
  );
  const popup = await popupFor(ehr);
  await expect(popup.page.getByTestId('no-patient')).toContainText('date of birth on this page could not be read');
  await expect(popup.page.getByTestId('no-patient-reason')).toHaveText(`What EHR Launchpad saw: ${reason}`);

  const other = new EhrPage(await context.newPage(), sandbox.ehr);
  await other.openPatient(zoe.nhsNumber);
  await other.bar.waitForButton("Open Zoë O'Brien-Smith in Parchment");
  const options = await OptionsPage.open(context);
  const readings = options.page.getByTestId('diag-tabs').locator('li');
  await expect(readings).toHaveCount(2);
  await expect(readings.nth(0)).toContainText("Patient: Zoë O'Brien-Smith, NHS number 999 123 4578");
  await expect(readings.nth(1)).toContainText(reason);
  await expect(readings.nth(1)).toContainText(`/patients/${john.nhsNumber}?layout=list`);
});

test('minimise: remembered for the site across a reload, whom it is for on hover, restored by keyboard, and never launches while minimised', async ({ context, sandbox }) => {
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const full = await ehr.bar.waitForButton(JOHN);
  const where = await ehr.bar.boxOf(full.buttons.find((b) => b.name === JOHN)!);
  expect(full.toggle).toMatchObject({ name: 'Minimise the launch bar', expanded: true });

  const tab = await ehr.bar.clickToggle();
  expect(tab.buttons).toHaveLength(0);
  expect(tab.toggle).toMatchObject({ name: 'EHR Launchpad', expanded: false });
  expect(tab.toggle!.description).toBe('For John Smith · NHS 999 000 0018 · DOB 12-Mar-1985');
  expect((await ehr.bar.size()).height).toBeLessThan(40);

  // A click where the Parchment button was launches nothing.
  const pages = context.pages().length;
  await ehr.page.mouse.click(where.x, where.y);

  // Remembered for this EHR site: after a reload the bar comes back minimised, never open first. (The reload
  // also gives the click above its time: by now no tab has opened for it.)
  await ehr.page.reload();
  const again = await ehr.bar.waitFor((b) => b.toggle !== null);
  expect(context.pages()).toHaveLength(pages);
  expect(again.toggle!.expanded).toBe(false);
  expect(again.buttons).toHaveLength(0);
  // On hover the tab shows whom it is for.
  const toggleBox = await ehr.bar.boxOf(again.toggle!);
  await ehr.page.mouse.move(toggleBox.x, toggleBox.y);
  await ehr.bar.waitFor((b) => b.text.includes('For John Smith · NHS 999 000 0018'));

  // Restored from the keyboard: the buttons are back, named for the patient, and stay so after a reload.
  await ehr.page.mouse.move(0, 0);
  await ehr.bar.focusToggle();
  await ehr.page.keyboard.press('Enter');
  await ehr.bar.waitForButton(JOHN);
  await ehr.page.reload();
  const restored = await ehr.bar.waitForButton(JOHN);
  expect(restored.toggle!.expanded).toBe(true);
});

test('a click refused because the page faded itself is shown in the popup with the badge set, until the patient changes', { tag: '@hostile' }, async ({ context, sandbox, worker, control }) => {
  await control('parchment-api', 'requests', { method: 'DELETE' });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?overlay=transparent-body&overlayAt=1500`);
  await ehr.bar.waitForButton(JOHN);
  await ehr.page.locator('html[data-overlay="transparent-body"]').waitFor({ state: 'attached' });
  // The page's fading is in place; the bar judges it at the click, after the pointer has rested on it.
  await ehr.launchRefused(JOHN, /nearly invisible/);
  expect(await control('parchment-api', 'requests')).toEqual([]);

  const tabId = await tabIdOf(worker, ehr.page.url());
  await expect.poll(() => worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('!');
  expect(await worker.evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId)).toContain('did not open');
  // Other tabs keep the ordinary badge.
  expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');

  const popup = await popupFor(ehr);
  const refusal = popup.page.getByTestId('last-refusal');
  await expect(refusal).toContainText('Parchment did not open');
  await expect(refusal).toContainText('the page made the launch bar or itself nearly invisible');
  await expect(refusal).toHaveAttribute('role', 'alert');

  // Another patient on the tab: the refusal was about John, so it goes, with the badge.
  await ehr.openPatient(zoe.nhsNumber);
  await ehr.bar.waitForButton("Open Zoë O'Brien-Smith in Parchment");
  await expect.poll(() => worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('');
  await popup.page.reload();
  await popup.page.getByRole('heading', { name: 'Patient on this tab' }).waitFor();
  await expect(popup.page.getByTestId('last-refusal')).toHaveCount(0);
});

test("the background's refusal (the patient changed before the click) stays in the popup while the page shows the new patient", async ({ context, sandbox, worker }) => {
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const bar = await ehr.bar.waitForButton(JOHN);
  const box = await ehr.bar.settle(bar.buttons.find((b) => b.name === JOHN)!.name);
  // The EHR switches to Zoë in place as the click lands, so the click is always ahead of the bar's redraw. (A
  // switch made before the click raced the redraw and, on a busy machine, clicked Zoë's new button instead.)
  await switchToZoeAsTheClickLands(ehr.page, '999 123 4578');
  await ehr.page.mouse.click(box.x, box.y);
  await ehr.bar.waitForStatus(/not the one this button was drawn for/);
  await ehr.bar.waitForButton("Open Zoë O'Brien-Smith in Parchment");

  const tabId = await tabIdOf(worker, ehr.page.url());
  await expect.poll(() => worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId)).toBe('!');
  const popup = await popupFor(ehr);
  await expect(popup.page.getByTestId('last-refusal')).toContainText('not the one this button was drawn for');
  await expect(popup.page.getByTestId('patient-nhs')).toHaveText('999 123 4578');
});

test("a second partner's click while the first partner's launch is slow is launched too, and both open", async ({ context, sandbox, control }) => {
  await control('parchment-api', 'faults', { body: { path: '/external/v1/sso', delayMs: 4_000 } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton(JOHN);
  const opened: string[] = [];
  context.on('page', (page) => opened.push(page.url()));
  const parchment = context.waitForEvent('page', { predicate: (page) => page.url().startsWith(sandbox['parchment-portal']), timeout: 15_000 });
  await ehr.bar.click(JOHN);
  await ehr.bar.waitForStatus(/Opening Parchment/);

  // While Parchment is still working, the knowledge base is clicked: it opens at once, not after Parchment.
  const kb = context.waitForEvent('page', { predicate: (page) => page.url().startsWith(sandbox.phpkb), timeout: 10_000 });
  const clickedAt = Date.now();
  await ehr.bar.click('Open John Smith in Knowledge base');
  const kbPage = await kb;
  expect(Date.now() - clickedAt).toBeLessThan(3_500);
  await kbPage.waitForLoadState('domcontentloaded');
  await expect(kbPage.getByTestId('signed-in-username')).toHaveText('dr.jones');

  const portal = await parchment;
  await portal.waitForLoadState('domcontentloaded');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  expect(opened.filter((url) => url.startsWith(sandbox.phpkb))).toHaveLength(1);
});
