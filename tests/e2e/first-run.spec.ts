import { resolve } from 'node:path';
import type { Page, Worker } from '@playwright/test';
import { SANDBOX_CLINICIAN, sandboxExtensionConfig, SANDBOX_SECRETS } from '../sandbox/extension-config';
import { extensionWorker, GET_STARTED_URL, launchWithExtension } from './browser';
import { seriousViolations } from './pages/axe';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import { expect, test } from './fixtures';

/**
 * A new trust's administrator, with only the extension: a fresh install opens the options page on "Get
 * started"; a configuration with a schemeless address gets a field message (and no script error); the
 * corrected file is imported and the checklist says what is left, ticking each step off as it is done, with the
 * badge warning until the configuration is in and the tooltip until the enrolments are sent.
 */

/** The README's pictures with DOCS_SCREENSHOTS=1; otherwise beside the test's other output. */
const shot = (name: string) => (process.env.DOCS_SCREENSHOTS === '1' ? resolve(import.meta.dirname, '../../docs/images', name) : test.info().outputPath(name));

const badge = (worker: Worker) => worker.evaluate(async () => ({ text: await chrome.action.getBadgeText({}), title: await chrome.action.getTitle({}) }));

async function noSidewaysScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.scrollingElement!.scrollWidth <= document.scrollingElement!.clientWidth);
}

test('first run: get started, a field message for a schemeless address, then the checklist until setup is complete', async ({ sandbox }) => {
  const browser = await launchWithExtension({ getStartedTab: 'keep' });
  try {
    const { context } = browser;
    const worker = await extensionWorker(context);
    const page = context.pages().find((p) => p.url() === GET_STARTED_URL)!;
    const scriptErrors: string[] = [];
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await expect(page.getByTestId('get-started')).toBeVisible();
    await expect.poll(() => badge(worker).then((b) => b.text)).toBe('!');
    await page.screenshot({ path: shot('options-get-started.png') });
    expect(await seriousViolations(page)).toEqual([]);

    // The commonest mistake: an address without its scheme. A message names the field; nothing is imported.
    const config = sandboxExtensionConfig(sandbox);
    const schemeless = { ...config, partners: config.partners.map((p) => (p.kind === 'parchment' ? { ...p, portalOrigin: 'portal.parchment' } : p)) };
    await page.getByLabel('Or paste the configuration here').fill(JSON.stringify(schemeless));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('get-started-result')).toContainText('partners[0].portalOrigin: write the full address, starting with https://');
    await expect(page.getByTestId('get-started')).toBeVisible();

    // The corrected file, chosen from disk.
    await page.getByLabel('Choose a configuration file').setInputFiles({ name: 'trust.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) });
    const checklist = page.getByTestId('setup-checklist');
    await expect(checklist).toContainText('Configuration imported.');
    await expect(page.getByTestId('get-started')).toHaveCount(0);
    for (const secret of SANDBOX_SECRETS) await expect(page.getByTestId(`step-secret-${secret.partnerId}-${secret.name}`)).toHaveAttribute('data-done', 'false');
    await expect(checklist).toContainText("Enter Parchment's partner secret.");
    await expect(page.getByTestId('step-host-access')).toHaveAttribute('data-done', 'true');
    await expect(page.getByTestId('step-enrol-black-pear')).toHaveAttribute('data-done', 'false');
    await expect(page.getByTestId('step-enrol-nhs-login')).toHaveAttribute('data-done', 'false');
    await expect(page.getByTestId('step-enrol-identity')).toHaveCount(0);
    await page.screenshot({ path: shot('options-checklist.png') });
    expect(await seriousViolations(page)).toEqual([]);
    expect((await badge(worker)).text).toBe('!');

    // Each secret ticks its step off.
    const options = new OptionsPage(page);
    for (const secret of SANDBOX_SECRETS) {
      expect(await options.setSecret(secret.partnerId, secret.name, secret.value)).toContain('saved. It will not be shown again');
      await expect(page.getByTestId(`step-secret-${secret.partnerId}-${secret.name}`)).toHaveAttribute('data-done', 'true');
    }
    // The clinician's part (no profile yet is a warning of its own), then nothing blocks a partner on this computer:
    // no warning, though the enrolments are not marked sent yet (the tooltip names the clinician's own steps first).
    const popup = await PopupPage.open(context);
    expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toContain('Profile saved');
    await popup.page.close();
    await expect.poll(() => badge(worker)).toEqual({ text: '', title: expect.stringContaining('pair or sign in') as unknown });

    await page.getByTestId('step-enrol-black-pear').getByRole('button', { name: 'I have sent them' }).click();
    await expect(page.getByTestId('step-enrol-black-pear')).toHaveAttribute('data-done', 'true');
    await expect(page.getByTestId('setup-progress')).toHaveText('7 of 8 steps done.');
    await page.getByTestId('step-enrol-nhs-login').getByRole('button', { name: 'I have sent them' }).click();
    await expect(page.getByTestId('setup-progress')).toHaveText('Setup is complete on this computer.');
    await expect(page.getByTestId('diag-setup')).toHaveText('Setup is complete on this computer.');
    expect(scriptErrors).toEqual([]);

    // At 200 % zoom (half the CSS pixels of a 1280 × 860 window), nothing scrolls sideways.
    const zoomed = await context.newPage();
    await zoomed.setViewportSize({ width: 640, height: 430 });
    await zoomed.goto(GET_STARTED_URL.replace('#get-started', ''));
    await expect(zoomed.getByTestId('setup-checklist')).toBeVisible();
    expect(await noSidewaysScroll(zoomed)).toBe(true);
  } finally {
    await browser.close();
  }
});
