import { expect, test } from './fixtures';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import { EhrPage } from './pages/ehr-page';
import { PATIENTS } from '../sandbox/fixtures';

test('the options page renders the configuration and refuses an invalid one, naming the field', async ({ context, setUpExtension }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  await expect(options.page.getByRole('heading', { name: 'EHR sites' })).toBeVisible();
  await expect(options.page.getByTestId('ehr-sites')).toContainText('http://127.0.0.1:');
  await expect(options.page.getByTestId('partners')).toContainText('Parchment');
  await expect(options.page.getByText('Partner secret (set)')).toBeVisible();

  const result = await options.importConfig({ version: 1, partners: [{ kind: 'parchment', id: 'Bad Id', label: 'X' }] });
  expect(result).toContain('partners[0].id');
  // The valid configuration is still in force.
  await options.page.reload();
  await expect(options.page.getByTestId('partners')).toContainText('Parchment');
});

test('a secret is write-only: the options page never shows it again', async ({ context, setUpExtension }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  const html = await options.page.content();
  expect(html).not.toContain('psk_sbx');
  expect(html).not.toContain('osk_sbx');
  await expect(options.page.locator('#secret-parchment-partnerSecret')).toHaveValue('');
});

test('the popup shows the partners and the clinician profile, and validates the profile', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(PATIENTS[0]!.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');
  const popup = await PopupPage.open(context);
  await expect(popup.page.getByRole('heading', { name: 'Partners' })).toBeVisible();
  await expect(popup.page.locator('[data-partner="parchment"]')).toContainText('ready');
  await expect(popup.page.getByLabel('Username', { exact: true })).toHaveValue('dr.jones');

  const message = await popup.saveProfile({ email: 'not-an-email' });
  expect(message).toContain('email');
});
