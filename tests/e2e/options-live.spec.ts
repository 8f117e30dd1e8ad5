import { PATIENTS } from '../sandbox/fixtures';
import { SANDBOX_SECRETS } from '../sandbox/extension-config';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import { switchToZoeAsTheClickLands } from './pages/switch-patient';

/**
 * The options page stays current while launches happen in other tabs, and the badge and popup show a partner
 * that is not set up on this computer.
 */

const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];

test('the audit list and the last refusals and errors update while launches happen in another tab, without a reload', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  const audit = options.page.getByTestId('audit');
  const diagnostics = options.page.getByTestId('diagnostics');
  await expect(audit).toContainText('No audit entries to show.');
  await expect(diagnostics).toContainText('None recorded.');

  // A launch in another tab: its entry appears in the open options page, and the tab's reading in diagnostics.
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await expect(options.page.getByTestId('diag-tabs')).toContainText('999 000 0018');
  const portal = await ehr.launch('Open John Smith in Parchment');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  await portal.close();
  const rows = options.page.getByTestId('audit-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText('succeeded');

  // A refused launch (the patient changes in place before the click lands): in the list and in diagnostics.
  await ehr.page.bringToFront();
  await ehr.bar.waitForButton('Open John Smith in Parchment');
  const box = await ehr.bar.settle('Open John Smith in Parchment');
  await switchToZoeAsTheClickLands(ehr.page, zoe.nhsNumber);
  await ehr.page.mouse.click(box.x, box.y);
  await ehr.bar.waitForStatus(/nothing was opened/);
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('refused (patient-changed)');
  await expect(options.page.getByTestId('diag-errors')).toContainText('refused (patient-changed)');
});

test('a partner not set up on this computer puts a warning on the badge and its name in the popup, until its secrets are typed', async ({ context, setUpExtension, worker }) => {
  await setUpExtension({ skipSecrets: true });
  await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('!');
  expect(await worker.evaluate(() => chrome.action.getTitle({}))).toContain('needs attention');

  const popup = await PopupPage.open(context);
  await expect(popup.page.getByTestId('health')).toContainText('Not set up on this computer (a secret has not been entered): Parchment and Knowledge base.');
  await expect(popup.page.locator('li[data-partner="parchment"]')).toContainText('Parchment is not set up on this computer yet');
  // Steps the clinician has not taken yet are in the partner list, not among the warnings.
  await expect(popup.page.locator('li[data-partner="pkb"]').getByRole('button', { name: 'Pair with Patients Know Best' })).toBeVisible();
  await expect(popup.page.getByTestId('health')).not.toContainText('Patients Know Best');
  await popup.page.close();

  const options = await OptionsPage.open(context);
  for (const secret of SANDBOX_SECRETS) expect(await options.setSecret(secret.partnerId, secret.name, secret.value)).toContain('saved. It will not be shown again');
  await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
  // No warning left; the tooltip still says a pairing or sign-in is waiting.
  expect(await worker.evaluate(() => chrome.action.getTitle({}))).toContain('pair or sign in');
  const again = await PopupPage.open(context);
  await expect(again.page.locator('li[data-partner="parchment"]')).toContainText('ready');
  await expect(again.page.getByTestId('health')).toHaveCount(0);
});
