import { readFile } from 'node:fs/promises';
import type { Worker } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { NHS_LOGIN } from '../sandbox/nhs-login-fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

const john = PATIENTS[0]!;

async function stored(worker: Worker, area: 'local' | 'session'): Promise<Record<string, unknown>> {
  return worker.evaluate(async (name) => chrome.storage[name].get(null), area);
}

test('an invalid configuration is refused with readable, field-named messages, and the valid one stays', async ({ context, setUpExtension }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  expect(await options.importConfig({ version: 1, ehrSites: [{ origin: 'https://ehr.example.org/patients' }], partners: [{ kind: 'phpkb', id: 'kb', label: 'KB', kbUrl: 'ftp://kb' }] })).toMatch(
    /ehrSites\[0\]\.origin: must be an origin only[\s\S]*partners\[0\]\.kbUrl: must be an https:\/\/ address/,
  );
  await options.page.getByLabel('Configuration document (JSON)').fill('{ "version": 1,');
  await options.page.getByRole('button', { name: 'Import configuration' }).click();
  await expect(options.page.getByTestId('import-result')).toContainText('The text is not valid JSON');
  await options.page.reload();
  await expect(options.page.getByTestId('partners')).toContainText('Parchment');
});

test('a partner is added, edited and removed through the form, which names the field at fault', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  const page = options.page;
  await page.getByLabel('New partner of kind').selectOption('phpkb');
  await page.getByRole('button', { name: 'Add partner' }).click();
  const form = page.getByTestId('partner-form');
  await form.getByLabel(/^id/).fill('second-kb');
  await form.getByLabel(/^label/).fill('Second KB');
  await form.getByLabel(/^kbUrl/).fill('ftp://kb.example');
  await form.getByRole('button', { name: 'Save partner' }).click();
  await expect(form.locator('#partner-kbUrl-error')).toContainText('partners[5].kbUrl: must be an https:// address');
  await expect(form.getByLabel(/^kbUrl/)).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel(/^kbUrl/).fill(sandbox.phpkb);
  await form.getByRole('button', { name: 'Save partner' }).click();
  await expect(page.getByTestId('partners-result')).toHaveText('Second KB added.');
  await expect(page.getByTestId('partners')).toContainText('Second KB (PHPKB knowledge base, id second-kb)');
  // The new partner needs its secret before its button is ready; the bar offers it anyway.
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Second KB');

  await page.bringToFront();
  await page.getByRole('button', { name: 'Edit Second KB' }).click();
  await expect(form.getByLabel(/^kbUrl/)).toHaveValue(sandbox.phpkb);
  await form.getByLabel(/^label/).fill('Reference KB');
  await form.getByRole('button', { name: 'Save partner' }).click();
  await expect(page.getByTestId('partners-result')).toHaveText('Reference KB saved.');

  await page.getByRole('button', { name: 'Remove Reference KB' }).click();
  await expect(page.getByTestId('partners-result')).toHaveText('Reference KB removed.');
  await expect(page.getByTestId('partners')).not.toContainText('Reference KB');
  await expect(page.getByTestId('partners').locator('li')).toHaveCount(5);
});

test('an EHR site is added and removed; the configuration exports as JSON', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  const page = options.page;
  // Another loopback origin (the sandbox build may use http://127.0.0.1); access to it is already granted.
  const extra = sandbox['parchment-portal'];
  await page.getByLabel('EHR origin').fill(`${extra}/some/path`);
  await page.getByRole('button', { name: 'Add EHR site' }).click();
  await expect(page.getByTestId('sites-result')).toContainText('ehrSites[1].origin: must be an origin only');
  await page.getByLabel('EHR origin').fill(extra);
  await page.getByRole('button', { name: 'Add EHR site' }).click();
  await expect(page.getByTestId('sites-result')).toHaveText(`${extra} added: the launch bar will appear there.`);
  await expect(page.getByTestId('ehr-sites')).toContainText(extra);
  // The background registered the content script there too.
  const matches = await worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts())[0]?.matches ?? []);
  expect(matches).toContain(`${extra}/*`);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration (JSON)' }).click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { version: number; ehrSites: { origin: string }[]; partners: { id: string }[] };
  expect(exported.version).toBe(1);
  expect(exported.ehrSites.map((s) => s.origin)).toEqual([sandbox.ehr, extra]);
  expect(exported.partners.map((p) => p.id)).toEqual(['parchment', 'knowledge-base', 'black-pear', 'nhs-login', 'pkb']);
  expect(JSON.stringify(exported)).not.toMatch(/psk_sbx|osk_sbx/);

  await page.getByRole('button', { name: `Remove ${extra}` }).click();
  await expect(page.getByTestId('sites-result')).toHaveText(`${extra} removed.`);
  await expect(page.getByTestId('ehr-sites')).not.toContainText(extra);
  await expect.poll(() => worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts())[0]?.matches ?? [])).not.toContain(`${extra}/*`);
});

test('sign out wipes the partner session and the clinician profile from storage, and is audited', async ({ context, setUpExtension, worker }) => {
  await setUpExtension();
  const citizen = NHS_LOGIN.users[0]!;
  const popup = await PopupPage.open(context);
  expect(await popup.signInToPartner('nhs-login', 'NHS login', citizen.username, citizen.password)).toBe('Signed in to NHS login.');
  expect(Object.keys(await stored(worker, 'session'))).toContain('partnerSession:nhs-login');
  expect(Object.keys(await stored(worker, 'local'))).toContain('clinician');

  await popup.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(popup.page.getByTestId('sign-out-result')).toContainText('Signed out');
  const session = await stored(worker, 'session');
  const local = await stored(worker, 'local');
  expect(Object.keys(session).filter((k) => /^(partnerSession|accessToken):/.test(k))).toEqual([]);
  expect(Object.keys(local).filter((k) => k === 'clinician' || k.startsWith('pairing:'))).toEqual([]);
  // What stays: the configuration and the sealed partner secrets (installation settings, not the clinician's).
  expect(Object.keys(local)).toEqual(expect.arrayContaining(['config', 'vault']));

  const options = await OptionsPage.open(context);
  await expect(options.page.getByTestId('audit-table').locator('tbody tr').first()).toContainText('sign-out');
  await expect(options.page.getByTestId('audit-table').locator('tbody tr').first()).toContainText('dr.jones');
});
