import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PARCHMENT, PATIENTS, PHPKB } from '../sandbox/fixtures';
import { EXTENSION_ID, launchWithExtension } from './browser';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage } from './pages/extension-pages';
import { secretsPolicy } from './policy-documents';
import { setUpExtension } from './setup-extension';

/**
 * Enterprise policy for real: Chromium on Linux reads managed policy files from this folder, including
 * policy for an extension by id ("3rdparty"). Writing there needs root, which CI has.
 */
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = join(POLICY_DIR, 'ehr-launchpad-e2e-secrets.json');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test.skip(!isRoot, 'writing Chromium policy files needs root');

test('partner secrets delivered by policy launch, are never shown, and a malformed entry is reported, not fatal', async ({ sandbox }) => {
  await mkdir(POLICY_DIR, { recursive: true });
  const policy = { '3rdparty': { extensions: { [EXTENSION_ID]: secretsPolicy() } } };
  await writeFile(POLICY_FILE, JSON.stringify(policy));
  const browser = await launchWithExtension({ getStartedTab: 'none' });
  try {
    await setUpExtension(browser.context, sandbox, { skipSecrets: true });
    const options = await OptionsPage.open(browser.context);
    await expect(options.page.getByText('Partner secret (set by your organisation)')).toBeVisible();
    await expect(options.page.getByText('Single sign-on secret token (set by your organisation)')).toBeVisible();
    await expect(options.page.getByTestId('policy-problems')).toContainText('secrets.parchment.bad name');
    const html = await options.page.content();
    expect(html).not.toContain(PARCHMENT.partnerSecret);
    expect(html).not.toContain(PHPKB.settings.secretToken);

    const ehr = new EhrPage(await browser.context.newPage(), sandbox.ehr);
    await ehr.openPatient(PATIENTS[0]!.nhsNumber);
    const portal = await ehr.launch('Open John Smith in Parchment');
    await expect(portal.getByTestId('patient-nhs')).toHaveText(PATIENTS[0]!.nhsNumber);
  } finally {
    await browser.close();
    await rm(POLICY_FILE, { force: true });
  }
});
