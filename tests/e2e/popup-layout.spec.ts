import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { SANDBOX_CLINICIAN } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { seriousViolations } from './pages/axe';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';

/**
 * The popup as a clinician meets it: a browser popup is at most 600 px tall and here 360 px wide. What blocks a
 * launch is on the first screen, nothing scrolls sideways (also 320 px wide, and at 200 % zoom: a 360 × 600
 * popup zoomed to 200 % lays out in 180 × 300 CSS px, which is the viewport used for it here).
 */

const john = PATIENTS[0]!;

/** The README's picture with DOCS_SCREENSHOTS=1; otherwise beside the test's other output. */
const shot = (name: string) => (process.env.DOCS_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs/images', name) : test.info().outputPath(name));

/** Sideways overflow of the page, and any visible element whose box reaches past the right edge (cut off). */
async function overflow(page: Page): Promise<{ scroll: boolean; cutOff: string[] }> {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    const width = document.documentElement.clientWidth;
    const cutOff = [...document.body.querySelectorAll<HTMLElement>('*')]
      .filter((element) => element.getClientRects().length > 0 && element.getBoundingClientRect().right > width + 0.5)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}: ${element.textContent!.trim().slice(0, 40)}`);
    return { scroll: root.scrollWidth > root.clientWidth, cutOff };
  });
}

async function fitsAt(page: Page, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await expect.poll(() => page.evaluate(() => document.documentElement.clientWidth)).toBe(width);
  expect(await overflow(page), `at ${width} × ${height}`).toEqual({ scroll: false, cutOff: [] });
}

/** Entirely inside the first screen, with the page not scrolled. */
async function onFirstScreen(page: Page, selector: ReturnType<Page['locator']>): Promise<void> {
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = await selector.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y + box!.height).toBeLessThanOrEqual(page.viewportSize()!.height);
}

test('first run: the profile form is on the first screen, partners offer their own steps, plain field messages; once saved it folds and the partners come up', async ({ context, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const popup = await PopupPage.open(context);
  const page = popup.page;
  await page.setViewportSize({ width: 360, height: 600 });

  const name = page.getByLabel('Name', { exact: true });
  await expect(name).toBeVisible();
  await onFirstScreen(page, name);
  // The popup speaks for itself: it never sends the clinician to the menu they are reading.
  await expect(page.locator('body')).not.toContainText(/EHR Launchpad (toolbar )?menu/);
  // NHS login's own sign-in is in its row of the partner list.
  await expect(page.locator('li[data-partner="nhs-login"]').getByRole('button', { name: 'Sign in to NHS login' })).toBeVisible();
  await fitsAt(page, 360, 600);
  await fitsAt(page, 320, 600);
  expect(await seriousViolations(page)).toEqual([]);

  // Saving it empty names each field to fill, in plain words, next to the field.
  await page.setViewportSize({ width: 360, height: 600 });
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByTestId('profile-result')).toHaveText('Profile not saved: check the fields marked.');
  await expect(page.locator('[data-field-error="displayName"]')).toHaveText('Enter your name');
  await expect(name).toHaveAccessibleDescription('Enter your name');
  await expect(name).toBeFocused();
  await expect(page.locator('body')).not.toContainText('Invalid input');
  expect(await seriousViolations(page)).toEqual([]);

  expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toBe('Profile saved.');
  await expect(page.getByTestId('profile-summary')).toContainText(`Saved: ${SANDBOX_CLINICIAN.displayName}`);
  await expect(page.getByRole('button', { name: 'Save profile' })).toBeHidden();
  await onFirstScreen(page, page.getByRole('heading', { name: 'Partners' }));
  // With a clinician, Patients Know Best offers its pairing in its row; Sign out is quiet, and far from Save.
  await expect(page.locator('li[data-partner="pkb"]').getByRole('button', { name: 'Pair with Patients Know Best' })).toBeVisible();
  const signOut = page.getByRole('button', { name: 'Sign out' });
  await expect(signOut).toHaveClass(/secondary/);
  await expect(page.getByTestId('profile').getByRole('button', { name: 'Sign out' })).toHaveCount(0);
});

test('with a patient on the tab: fits 360 × 600 and 320 px, and at 200 % zoom nothing is cut off or scrolls sideways', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');
  // The popup speaks about the active tab: opened beside the EHR, then reloaded while the EHR tab is in front.
  const popup = await PopupPage.open(context);
  const page = popup.page;
  await page.setViewportSize({ width: 360, height: 600 });
  await ehr.page.bringToFront();
  await page.reload();
  await expect(page.getByTestId('patient-nhs')).toHaveText('999 000 0018');
  await expect(page.getByRole('button', { name: 'Open John Smith in Parchment' })).toBeVisible();
  await onFirstScreen(page, page.getByRole('heading', { name: 'Partners' }));
  await page.screenshot({ path: shot('popup.png') });

  await fitsAt(page, 360, 600);
  await fitsAt(page, 320, 600);
  await fitsAt(page, 180, 300);
  // At 200 % the first thing to act on is still reachable: the patient, then the partners, by scrolling down only.
  await expect(page.getByTestId('patient-name')).toBeInViewport({ ratio: 0.5 });
});
