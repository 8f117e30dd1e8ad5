import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PATIENTS } from '../tests/sandbox/fixtures';
import { startSandbox } from '../tests/sandbox/server';
import { launchWithExtension } from '../tests/e2e/browser';
import { EhrPage } from '../tests/e2e/pages/ehr-page';
import { OptionsPage, PopupPage } from '../tests/e2e/pages/extension-pages';
import { setUpExtension } from '../tests/e2e/setup-extension';

/**
 * The README's pictures, made from the real extension against the sandbox: the launch bar on the demo EHR,
 * the toolbar popup for that patient, and the options page's audit trail. `npm run screenshots` writes them
 * to docs/images/.
 */

const OUT = resolve(import.meta.dirname, '../docs/images');

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const sandbox = await startSandbox({ quiet: true });
  const browser = await launchWithExtension();
  try {
    await setUpExtension(browser.context, sandbox.urls);
    const ehr = new EhrPage(await browser.context.newPage(), sandbox.urls.ehr);
    await ehr.openPatient(PATIENTS[0]!.nhsNumber);
    await ehr.bar.waitForButton('Open John Smith in Parchment');
    // The EHR's header and patient banner with the bar drawn under it.
    await ehr.page.screenshot({ path: resolve(OUT, 'launch-bar.png'), clip: { x: 0, y: 0, width: 1280, height: 270 } });
    console.log(`Wrote ${resolve(OUT, 'launch-bar.png')}`);

    // The popup reads the active tab: opened beside the EHR, then reloaded while the EHR tab is in front.
    const popup = await PopupPage.open(browser.context);
    // The browser's largest popup is 800 × 600; the popup is laid out for 360 wide.
    await popup.page.setViewportSize({ width: 360, height: 600 });
    await ehr.page.bringToFront();
    await popup.page.reload();
    await popup.page.getByTestId('patient-nhs').waitFor();
    await popup.page.screenshot({ path: resolve(OUT, 'popup.png') });
    console.log(`Wrote ${resolve(OUT, 'popup.png')}`);

    await ehr.page.bringToFront();
    const record = await ehr.launch('Open John Smith in Parchment');
    await record.close();
    const options = await OptionsPage.open(browser.context);
    await options.page.setViewportSize({ width: 1000, height: 800 });
    const audit = options.page.getByTestId('audit');
    await audit.getByTestId('audit-table').waitFor();
    await audit.screenshot({ path: resolve(OUT, 'audit-trail.png') });
    console.log(`Wrote ${resolve(OUT, 'audit-trail.png')}`);
  } finally {
    await browser.close().catch(() => undefined);
    await sandbox.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
