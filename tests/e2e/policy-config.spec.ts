import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PARCHMENT, PHPKB, PATIENTS } from '../sandbox/fixtures';
import { SANDBOX_CLINICIAN, sandboxExtensionConfig, sandboxIdentity } from '../sandbox/extension-config';
import { EXTENSION_ID, extensionWorker, launchWithExtension } from './browser';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import { localConfigWithoutSignIn, lockedPartnersPolicy } from './policy-documents';

/**
 * Configuration by enterprise policy, for real: Chromium on Linux reads managed policy for an extension id
 * ("3rdparty") from files in this folder. Writing there needs root, which CI has.
 */
const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = join(POLICY_DIR, 'ehr-launchpad-e2e-config.json');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

test.skip(!isRoot, 'writing Chromium policy files needs root');

async function writePolicy(policy: Record<string, unknown>): Promise<void> {
  await mkdir(POLICY_DIR, { recursive: true });
  await writeFile(POLICY_FILE, JSON.stringify({ '3rdparty': { extensions: { [EXTENSION_ID]: policy } } }));
}

// Chromium re-reads a changed policy file about five seconds after it settles.
test.setTimeout(120_000);
test('policy locks settings and partners, shows them as managed, reports a malformed part and applies the rest', async ({ sandbox }) => {
  // Without the sign-in section: its Parchment mapping would name a partner the locked policy removes (reported).
  const local = localConfigWithoutSignIn(sandbox);
  const kb = local.partners.find((p) => p.id === 'knowledge-base')!;
  await writePolicy(lockedPartnersPolicy(sandbox));
  const browser = await launchWithExtension({ getStartedTab: 'none' });
  try {
    const options = await OptionsPage.open(browser.context);
    // Chromium loads extension policy shortly after start-up; the page shows it as soon as it arrives.
    await expect(options.page.getByTestId('policy-notice')).toBeVisible({ timeout: 20_000 });
    // The local configuration still names its EHR site and all the sandbox partners; policy decides the partners.
    expect(await options.importConfig(local)).toContain('Configuration imported');
    await expect(options.page.getByTestId('policy-notice')).toBeVisible();

    // Locked settings: shown, read-only, labelled.
    const idle = options.page.getByLabel(/Sign out after this many idle minutes/);
    await expect(idle).toHaveValue('15');
    await expect(idle).toBeDisabled();
    await expect(options.page.locator('label[for="idle-minutes"]')).toContainText('Managed by your organisation');
    await expect(options.page.getByLabel(/Sign out when the screen locks/)).toBeChecked();
    await expect(options.page.getByLabel(/Sign out when the screen locks/)).toBeDisabled();

    // Locked partners: only the policy's, managed, with no way to add, edit or remove one.
    const partners = options.page.getByTestId('partners');
    await expect(partners.locator('li')).toHaveCount(1);
    await expect(partners).toContainText('Trust KB');
    await expect(partners).toContainText('Managed by your organisation');
    await expect(options.page.getByRole('button', { name: 'Add partner' })).toHaveCount(0);
    await expect(options.page.getByRole('button', { name: /^Edit / })).toHaveCount(0);

    // The malformed parts are reported by field, and ignored.
    const problems = options.page.getByTestId('policy-problems');
    await expect(problems).toContainText('policy ehrSites[0].origin');
    await expect(problems).toContainText('policy partners[1].portalOrigin');
    await expect(options.page.getByTestId('diag-policy')).toContainText('Locked: signOut, partners');

    // ... and on the badge.
    const worker = await extensionWorker(browser.context);
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('!');

    // The rest applies: the policy's partner launches with the policy's secret.
    const popup = await PopupPage.open(browser.context);
    expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toContain('Profile saved');
    await popup.page.reload();
    await expect(popup.page.getByTestId('health')).toContainText('organisation');
    await popup.page.close();
    const ehr = new EhrPage(await browser.context.newPage(), sandbox.ehr);
    await ehr.openPatient(PATIENTS[0]!.nhsNumber);
    const bar = await ehr.bar.waitForButton('Open John Smith in Trust KB');
    expect(bar.buttons.map((b) => b.name)).toEqual(['Open John Smith in Trust KB']);
    const page = await ehr.launch('Open John Smith in Trust KB');
    expect(new URL(page.url()).origin).toBe(sandbox.phpkb);
    await expect(page.getByTestId('signed-in-username')).toHaveText('dr.jones');

    // A policy change applies live: unlocking sign-out and fixing the policy clears the problems and the badge.
    await writePolicy({ partners: [{ ...kb, label: 'Trust KB' }], lockedSettings: ['partners'], secrets: { 'knowledge-base': { secretToken: PHPKB.settings.secretToken } } });
    await expect(options.page.getByLabel(/Sign out after this many idle minutes/)).toBeEnabled({ timeout: 30_000 });
    await expect(options.page.getByTestId('policy-problems')).toHaveCount(0);
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: 10_000 }).toBe('');
  } finally {
    await browser.close();
    await rm(POLICY_FILE, { force: true });
  }
});

test('policy requires the organisation sign-in and locks it: a typed profile launches nothing that tells a partner who the clinician is', async ({ sandbox }) => {
  const local = sandboxExtensionConfig(sandbox);
  await writePolicy({
    identity: sandboxIdentity(sandbox, { required: true, maxHours: 8 }),
    lockedSettings: ['identity'],
    secrets: { 'knowledge-base': { secretToken: PHPKB.settings.secretToken } },
  });
  const browser = await launchWithExtension({ getStartedTab: 'none' });
  try {
    const options = await OptionsPage.open(browser.context);
    await expect(options.page.getByTestId('policy-notice')).toBeVisible({ timeout: 20_000 });
    // The user's document tries to turn the requirement off: the locked section ignores it.
    expect(await options.importConfig({ ...local, identity: { required: false } })).toContain('Configuration imported');
    const settings = options.page.getByTestId('identity-settings');
    await expect(settings).toContainText('Managed by your organisation');
    await expect(settings.getByTestId('identity-required')).toHaveText(/^Required/);
    await expect(settings.getByTestId('identity-redirect-uri')).toHaveText(`https://${EXTENSION_ID}.chromiumapp.org/org-idp`);
    await expect(settings).toContainText('at most 8 hours');

    const popup = await PopupPage.open(browser.context);
    expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toContain('Profile saved');
    await popup.page.reload();
    await expect(popup.page.getByText('Your organisation asks you to sign in with NHS Care Identity before launching partner apps.')).toBeVisible();
    const ehr = new EhrPage(await browser.context.newPage(), sandbox.ehr);
    await ehr.openPatient(PATIENTS[0]!.nhsNumber);
    await ehr.bar.waitForButton('Knowledge base: Sign in to launch');
    await ehr.bar.waitForButton('Black Pear: Sign in to launch');
    // The button opens the provider's sign-in, not the partner.
    const authWindow = browser.context.waitForEvent('page');
    await ehr.bar.click('Knowledge base: Sign in to launch');
    const auth = await authWindow;
    expect(new URL(auth.url()).origin).toBe(sandbox['org-idp']);
    await expect(auth.getByLabel('Username')).toBeVisible();
    await ehr.bar.waitForStatus(/Sign in in the window that opened/);
  } finally {
    await browser.close();
    await rm(POLICY_FILE, { force: true });
  }
});

test('policy sets and locks what happens to partner tabs: Parchment set to close is closed when the EHR switches patient', async ({ sandbox }) => {
  const local = sandboxExtensionConfig(sandbox);
  const { identity: _identity, ...withoutSignIn } = local;
  const parchment = local.partners.find((p) => p.id === 'parchment')!;
  await writePolicy({
    partners: [{ ...parchment, staleTab: 'close' }],
    lockedSettings: ['partners'],
    secrets: { parchment: { partnerSecret: PARCHMENT.partnerSecret, organizationSecret: PARCHMENT.organizationSecret } },
  });
  const browser = await launchWithExtension({ getStartedTab: 'none' });
  try {
    const options = await OptionsPage.open(browser.context);
    await expect(options.page.getByTestId('policy-notice')).toBeVisible({ timeout: 20_000 });
    // The user's document says mark: the locked partners are the policy's.
    expect(await options.importConfig({ ...withoutSignIn, partners: withoutSignIn.partners.map((p) => ({ ...p, staleTab: 'mark' })) })).toContain('Configuration imported');
    await expect(options.page.getByTestId('partners')).toContainText('Managed by your organisation');
    const popup = await PopupPage.open(browser.context);
    expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toContain('Profile saved');
    await popup.page.close();

    const ehr = new EhrPage(await browser.context.newPage(), sandbox.ehr);
    await ehr.page.goto(`${sandbox.ehr}/spa/${PATIENTS[0]!.nhsNumber}`);
    const rx = await ehr.launch('Open John Smith in Parchment');
    await expect(rx.getByTestId('patient-nhs')).toHaveText(PATIENTS[0]!.nhsNumber);
    const closed = rx.waitForEvent('close');
    await ehr.page.bringToFront();
    await ehr.page.getByTestId(`spa-patient-${PATIENTS[1]!.nhsNumber}`).click();
    await closed;
  } finally {
    await browser.close();
    await rm(POLICY_FILE, { force: true });
  }
});
