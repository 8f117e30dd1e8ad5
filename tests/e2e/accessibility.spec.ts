import { resolve } from 'node:path';
import { build } from 'vite';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { seriousViolations } from './pages/axe';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

/**
 * Accessibility: axe-core scans the popup and the options page (light and dark), and the launch bar. The bar
 * sits in a closed shadow root in the EHR, out of reach of any scanner injected into the page, so it is
 * checked twice: its module is rendered on a test page with an open shadow root and scanned by axe there, and
 * the real injected bar is read through the browser's accessibility tree (every button named, status
 * announced). A test fails on any serious or critical violation.
 */

for (const scheme of ['light', 'dark'] as const) {
  test(`the popup and the options page have no serious or critical accessibility violations (${scheme})`, async ({ context, sandbox, setUpExtension }) => {
    await setUpExtension();
    // Something in the audit trail, so its table is scanned too.
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(PATIENTS[0]!.nhsNumber);
    await ehr.launch('Open John Smith in Parchment');

    const popup = await PopupPage.open(context);
    await popup.page.emulateMedia({ colorScheme: scheme });
    await expect(popup.page.getByRole('heading', { name: 'Partners' })).toBeVisible();
    expect(await seriousViolations(popup.page)).toEqual([]);

    const options = await OptionsPage.open(context);
    await options.page.emulateMedia({ colorScheme: scheme });
    await expect(options.page.getByTestId('audit-table')).toBeVisible();
    // A partner form open, with an error showing, is scanned as well.
    await options.page.getByRole('button', { name: 'Add partner' }).click();
    await options.page.getByTestId('partner-form').getByRole('button', { name: 'Save partner' }).click();
    await expect(options.page.getByTestId('partner-form-result')).toContainText('partners[5]');
    expect(await seriousViolations(options.page)).toEqual([]);
  });
}

test('the launch bar and list-row button modules have no serious or critical accessibility violations (rendered with open shadow roots)', async ({ context }) => {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    define: { __SANDBOX_BUILD__: 'true' },
    build: {
      write: false,
      minify: false,
      lib: { entry: resolve(import.meta.dirname, 'a11y/launch-bar-page.ts'), formats: ['iife'], name: 'launchBarPage', fileName: 'bar' },
    },
  });
  const chunk = (Array.isArray(output) ? output[0]! : (output as { output: { code?: string }[] })).output.find((o) => 'code' in o && o.code) as { code: string };
  const page = await context.newPage();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setContent('<!doctype html><html lang="en-GB"><head><title>Launch bar</title></head><body><main><h1>Patient record</h1></main></body></html>');
    await page.addScriptTag({ content: chunk.code });
    await page.waitForFunction(() => (window as unknown as { barReady?: boolean }).barReady === true);
    // The full bar (five partners, one of them a "Sign in to launch" button, its minimise toggle and "Open EHR
    // Launchpad" under the reasons), a minimised bar and a no-patient tab (a toggle each, and "Open EHR Launchpad",
    // hidden while no partner needs it).
    const bars = await page.evaluate(() => [...document.querySelectorAll('ehr-launchpad-bar')].map((host) => host.shadowRoot?.querySelectorAll('button').length ?? 0));
    expect(bars).toEqual([7, 3, 2]);
    // The minimised bar's tooltip (whom it is for) shows while its toggle has focus: scanned too.
    await page.evaluate(() => (document.querySelectorAll('ehr-launchpad-bar')[1]!.shadowRoot!.querySelector('button.toggle') as HTMLElement).focus());
    const rowButtons = await page.evaluate(() => [...document.querySelectorAll('ehr-launchpad-row')].map((host) => host.shadowRoot?.querySelectorAll('button').length ?? 0));
    expect(rowButtons).toEqual([2, 2]);
    expect(await seriousViolations(page)).toEqual([]);
  }
  // The scan does reach into the bar's shadow root: an unnamed button there is caught.
  await page.evaluate(() => document.querySelector('ehr-launchpad-bar')!.shadowRoot!.querySelector('.buttons')!.append(document.createElement('button')));
  expect((await seriousViolations(page)).join('\n')).toContain('button-name');
});

test('the injected launch bar, in its closed shadow root, exposes a named region, named buttons and a status to assistive technology', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(PATIENTS[0]!.nhsNumber);
  const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
  expect(bar.text).toContain('John Smith');
  for (const button of bar.buttons) expect(button.name).toMatch(/^Open John Smith in \S/);
  // A button that cannot launch yet says why, as its accessible description.
  const notReady = bar.buttons.filter((b) => b.disabled);
  for (const button of notReady) expect(button.description).not.toBe('');
});
