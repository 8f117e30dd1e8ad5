import type { Page } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage } from './pages/extension-pages';

const john = PATIENTS[0]!;

/** The sandbox configuration with Parchment's patientIds grown to `extra` more patients (about 36 characters each). */
function largeConfig(sandbox: SandboxUrls, extra: number) {
  const config = sandboxExtensionConfig(sandbox);
  const parchment = config.partners.find((p) => p.kind === 'parchment') as { patientIds: Record<string, string> };
  for (let i = 0; i < extra; i += 1) parchment.patientIds[String(9_100_000_000 + i)] = `bulk-${i}-0000-0000`;
  return config;
}

/**
 * Pastes a document (as text, since it may not be valid) and imports it. The text arrives as one input event,
 * as a paste does: typing hundreds of kilobytes into the box (locator.fill) takes longer than a test may.
 */
async function importText(options: OptionsPage, text: string): Promise<void> {
  await options.page.getByLabel('Configuration document (JSON)').evaluate((box: HTMLTextAreaElement, pasted) => {
    box.focus();
    box.value = pasted;
    box.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
  await options.page.getByRole('button', { name: 'Import configuration' }).click();
}

/** Script errors of the page: an import must answer, never throw. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test('a configuration of about 200 KB (a Parchment patientIds map of thousands) imports and applies', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  const config = largeConfig(sandbox, 5600);
  const text = JSON.stringify(config, null, 2);
  expect(text.length).toBeGreaterThan(200_000);
  // Through the options page, as an administrator pastes it.
  const admin = await OptionsPage.open(context);
  const errors = pageErrors(admin.page);
  await importText(admin, text);
  await expect(admin.page.getByTestId('import-result')).toContainText('Configuration imported.');
  expect(errors).toEqual([]);

  const stored = await worker.evaluate(async () => {
    const { config: saved } = (await chrome.storage.local.get('config')) as { config: { partners: { kind: string; patientIds?: Record<string, string> }[] } };
    const leftOver = Object.keys(await chrome.storage.session.get(null)).filter((key) => key.startsWith('configImport:'));
    return { patients: Object.keys(saved.partners.find((p) => p.kind === 'parchment')?.patientIds ?? {}).length, leftOver };
  });
  expect(stored.patients).toBeGreaterThan(5600);
  // The staged copy is taken once and not kept.
  expect(stored.leftOver).toEqual([]);

  // Applied: the launch bar runs on the EHR site and offers the partners of the imported document.
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');

  // The options page shows it, and the exported document is the whole map.
  const options = await OptionsPage.open(context);
  await expect(options.page.getByTestId('partners')).toContainText('Parchment');
  await expect(options.page.getByLabel('Configuration document (JSON)')).toHaveValue(/"9100005599": "bulk-5599-0000-0000"/);
});

test('an import that fails always says why, for a large document too, and nothing on the page throws', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const options = await OptionsPage.open(context);
  const errors = pageErrors(options.page);
  const result = options.page.getByTestId('import-result');

  // The commonest mistake, in a large document: an origin typed without its scheme.
  const schemeless = largeConfig(sandbox, 5600);
  (schemeless.partners.find((p) => p.kind === 'parchment') as { portalOrigin: string }).portalOrigin = 'portal.parchment';
  await importText(options, JSON.stringify(schemeless, null, 2));
  await expect(result).toContainText('partners[0].portalOrigin: write the full address, starting with https://');
  await expect(result).not.toContainText('Configuration imported');

  // A wildcard and <all_urls> for EHR sites: field errors, not an exception.
  const wildcard = { ...sandboxExtensionConfig(sandbox), ehrSites: [{ origin: 'https://*.nhs.uk' }, { origin: '<all_urls>' }] };
  await importText(options, JSON.stringify(wildcard));
  await expect(result).toContainText('ehrSites[0].origin: must be one exact address');
  await expect(result).toContainText('ehrSites[1].origin: must be one exact address');
  await expect(result).not.toContainText('portalOrigin');

  // A catastrophic-backtracking label regex.
  const slowRegex = { ...sandboxExtensionConfig(sandbox), profiles: [{ name: 'demo-ehr', fields: { name: { label: '^(a+)+$' } } }] };
  await importText(options, JSON.stringify(slowRegex));
  await expect(result).toContainText('profiles[0].fields.name.label: could take too long on some pages');

  // Too large to keep: said with its size, not dropped in silence.
  const huge = largeConfig(sandbox, 120_000);
  await importText(options, JSON.stringify(huge));
  await expect(result).toContainText(/\(document\): is \d+\.\d MB, more than the 4\.0 MB EHR Launchpad can keep/);

  // The "Add EHR site" form answers the same mistakes with a field message.
  for (const origin of ['ehr.example-trust.nhs.uk', 'https://*.nhs.uk', '<all_urls>']) {
    await options.page.getByLabel('EHR origin').fill(origin);
    await options.page.getByRole('button', { name: 'Add EHR site' }).click();
    await expect(options.page.getByTestId('sites-result')).toContainText(/ehrSites\[1\]\.origin: (write the full address|must be one exact address)/);
  }

  expect(errors).toEqual([]);
  // Nothing of it was imported: the sandbox's configuration is still the one in force.
  await options.page.reload();
  await expect(options.page.getByTestId('ehr-sites')).toContainText(sandbox.ehr);
  await expect(options.page.getByTestId('ehr-sites')).not.toContainText('nhs.uk');
});
