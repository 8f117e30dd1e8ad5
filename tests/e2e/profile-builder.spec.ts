import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { sandboxExtensionConfig } from '../sandbox/extension-config';
import { PARCHMENT, PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

/**
 * The profile builder: an administrator teaches EHR Launchpad a page the generic reader cannot read (the demo
 * EHR's community layout) by clicking its banner, NHS number, date of birth and name, checks the live reading,
 * saves, and the clinician's bar then launches for that patient. Screenshots for docs/ehr-profiles.md are
 * written when DOCS_SCREENSHOTS=1.
 */

const john = PATIENTS[0]!;
const johnInParchment = PARCHMENT.patients.find((p) => p.nhsNumber === john.nhsNumber)!;
const SHOTS = process.env.DOCS_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs/images') : null;

const STRIP = '[data-testid="community-strip"]';

/** A trusted click at a point of the page: the picker's layer is on top, so the pointer goes where a person's would. */
async function clickAt(page: Page, selector: string, where: 'center' | 'corner', click = true): Promise<void> {
  const box = (await page.locator(selector).first().boundingBox())!;
  const [x, y] = where === 'center' ? [box.x + box.width / 2, box.y + box.height / 2] : [box.x + 3, box.y + 3];
  await page.mouse.move(x, y);
  if (click) await page.mouse.click(x, y);
}

async function pickerShown(page: Page): Promise<boolean> {
  return page.evaluate(() => document.querySelector('ehr-launchpad-picker') !== null);
}

test('an administrator teaches the community layout by clicking, saves, and the bar launches Parchment for the patient', async ({ context, sandbox, setUpExtension }) => {
  // The site starts on the generic reader, which finds nobody on this layout.
  await setUpExtension({ config: { ...sandboxExtensionConfig(sandbox), ehrSites: [{ origin: sandbox.ehr, profile: 'generic' }] } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=community`);
  await ehr.page.locator(STRIP).waitFor();
  // The bar's no-patient tab: the generic reader has read the page and found nobody.
  const nobody = await ehr.bar.waitFor((b) => b.toggle !== null && b.buttons.length === 0);
  expect(nobody.buttons).toEqual([]);

  // From the popup on the EHR tab: the link to the builder for this tab.
  const popup = await PopupPage.open(context);
  await ehr.page.bringToFront();
  await popup.page.reload();
  const teachLink = popup.page.getByTestId('popup-teach');
  await expect(teachLink).toHaveText('Teach EHR Launchpad this page');
  const optionsOpened = context.waitForEvent('page');
  await teachLink.click();
  const options = new OptionsPage(await optionsOpened);
  await options.page.getByRole('heading', { name: 'Profile builder' }).waitFor();
  await popup.page.close();
  const tabs = options.page.getByTestId('builder-tabs');
  await expect(tabs).toContainText('(the tab you came from)');
  await tabs.getByRole('button', { name: /^Teach EHR Launchpad this page: SMITH, John/ }).click();
  await expect(options.page.getByTestId('builder-status')).toContainText('Picking on');

  // Picking mode on the EHR tab: the panel says what to click; each click is a real one.
  await expect.poll(() => pickerShown(ehr.page)).toBe(true);
  await clickAt(ehr.page, STRIP, 'corner');
  await clickAt(ehr.page, `${STRIP} [data-item="hcn"]`, 'center', false);
  // The whole viewport: the panel that says what to click next sits at its bottom.
  if (SHOTS) await ehr.page.screenshot({ path: resolve(SHOTS, 'profile-builder-picking.png') });
  await clickAt(ehr.page, `${STRIP} [data-item="hcn"]`, 'center');
  await clickAt(ehr.page, `${STRIP} [aria-label="Birth details"]`, 'center');
  await clickAt(ehr.page, `${STRIP} .who`, 'center');

  // Back in the options page: the profile written from the picks, and the page read live with it.
  const draft = options.page.getByTestId('builder-draft');
  await draft.waitFor();
  await expect(options.page.getByLabel('Profile name')).toHaveValue('127-0-0-1-' + new URL(sandbox.ehr).port);
  const parts = options.page.getByTestId('builder-parts');
  await expect(parts).toContainText('[data-region="client-details"]');
  await expect(parts).toContainText('[data-item="hcn"]');
  await expect(parts).toContainText('[aria-label="Birth details"]');
  await expect(parts).not.toContainText('cmp-48213');
  await expect(parts).not.toContainText('css-');
  await expect(options.page.getByTestId('builder-read-name')).toHaveText('John Smith');
  await expect(options.page.getByTestId('builder-read-nhs')).toHaveText('999 000 0018');
  await options.page.getByLabel('Profile name').fill('community-care');
  await expect(options.page.getByLabel('The profile (JSON, for policy)')).toHaveValue(/"name": "community-care"/);
  if (SHOTS) {
    await options.page.getByLabel('Profile name').blur();
    await options.page.setViewportSize({ width: 1000, height: 900 });
    await options.page.locator('#profile-builder').screenshot({ path: resolve(SHOTS, 'profile-builder.png') });
  }

  await options.page.getByRole('button', { name: 'Save to the configuration' }).click();
  await expect(options.page.getByTestId('builder-result')).toContainText('now uses the profile “community-care”');
  await expect(options.page.getByTestId('ehr-sites')).toContainText('community-care');

  // The EHR tab was reloaded with the new profile: the bar shows the patient and launches.
  await ehr.page.bringToFront();
  const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
  expect(bar.text).toContain('NHS 999 000 0018');
  const portal = await ehr.launch('Open John Smith in Parchment');
  expect(new URL(portal.url()).pathname).toBe(`/dashboard/patients/${johnInParchment.id}/prescriptions`);
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
});

test('picking mode keeps the clicks from the page, ignores page script, and Esc cancels it', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: { ...sandboxExtensionConfig(sandbox), ehrSites: [{ origin: sandbox.ehr, profile: 'generic' }] }, skipClinician: true });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=community`);
  await ehr.page.evaluate(() => {
    const w = window as unknown as { pageClicks: number };
    w.pageClicks = 0;
    document.addEventListener('click', () => w.pageClicks++);
    document.addEventListener('mousedown', () => w.pageClicks++);
  });
  const options = await OptionsPage.open(context);
  await options.page.getByTestId('builder-tabs').getByRole('button', { name: /^Teach EHR Launchpad this page: / }).click();
  await expect.poll(() => pickerShown(ehr.page)).toBe(true);

  // Page script can reach the picker's host element only, and its events are not trusted: nothing is picked.
  const reached = await ehr.page.evaluate(() => {
    const host = document.querySelector('ehr-launchpad-picker')!;
    host.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 5, clientY: 5 }));
    host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    return host.shadowRoot;
  });
  expect(reached).toBeNull();
  // (Its own synthetic click bubbled to its own listener; from here on only real clicks.)
  await ehr.page.evaluate(() => void ((window as unknown as { pageClicks: number }).pageClicks = 0));
  await clickAt(ehr.page, `${STRIP} .who`, 'center');
  // A real click on the page while picking reaches none of the page's listeners (the sidebar link is not followed).
  await clickAt(ehr.page, 'aside a', 'center');
  expect(ehr.page.url()).toContain('layout=community');
  expect(await ehr.page.evaluate(() => (window as unknown as { pageClicks: number }).pageClicks)).toBe(0);
  await expect(options.page.getByTestId('builder-status')).toContainText('Picking on');

  await ehr.page.keyboard.press('Escape');
  await expect.poll(() => pickerShown(ehr.page)).toBe(false);
  await expect(options.page.getByTestId('builder-status')).toContainText('Picking was cancelled');
  await expect(options.page.getByTestId('builder-draft')).toHaveCount(0);
});

test('the keyboard picks too: arrow up widens the outline from a field to the banner, Enter picks', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: { ...sandboxExtensionConfig(sandbox), ehrSites: [{ origin: sandbox.ehr, profile: 'generic' }] }, skipClinician: true });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/patients/${john.nhsNumber}?layout=community`);
  const options = await OptionsPage.open(context);
  await options.page.getByTestId('builder-tabs').getByRole('button', { name: /^Teach EHR Launchpad this page: / }).click();
  await expect.poll(() => pickerShown(ehr.page)).toBe(true);
  await ehr.page.bringToFront();

  await clickAt(ehr.page, `${STRIP} .who`, 'center', false);
  await ehr.page.keyboard.press('ArrowUp');
  await ehr.page.keyboard.press('Enter');
  for (const field of ['[data-item="hcn"]', '[aria-label="Birth details"]', '.who']) {
    await clickAt(ehr.page, `${STRIP} ${field}`, 'center', false);
    await ehr.page.keyboard.press('Enter');
  }
  const parts = options.page.getByTestId('builder-parts');
  await expect(parts).toContainText('[data-region="client-details"]');
  await expect(options.page.getByTestId('builder-read-name')).toHaveText('John Smith');
});
