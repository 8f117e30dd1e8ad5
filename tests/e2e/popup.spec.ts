import type { BrowserContext } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { PKB } from '../sandbox/pkb-fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';

const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];

/** The extension set up, John Smith's record open with his bar drawn, and the popup showing him. */
async function popupOnJohn(context: BrowserContext, ehrUrl: string, setUpExtension: () => Promise<void>): Promise<{ ehr: EhrPage; popup: PopupPage }> {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), ehrUrl);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');
  const popup = await popupFor(ehr);
  await expect(popup.page.getByTestId('patient-nhs')).toHaveText('999 000 0018');
  return { ehr, popup };
}

/** The popup speaks about the active tab: opened beside the EHR, then reloaded while the EHR tab is in front. */
async function popupFor(ehr: EhrPage): Promise<PopupPage> {
  const popup = await PopupPage.open(ehr.page.context());
  await ehr.page.bringToFront();
  await popup.page.reload();
  return popup;
}

test('the popup shows the tab\'s patient, no warning when all is well, and launches a partner for that patient', async ({ context, sandbox, setUpExtension, worker }) => {
  const { popup } = await popupOnJohn(context, sandbox.ehr, setUpExtension);
  await expect(popup.page.getByTestId('health')).toHaveCount(0);
  expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');

  const opened = context.waitForEvent('page');
  await popup.page.getByRole('button', { name: 'Open John Smith in Parchment' }).click();
  const portal = await opened;
  await portal.waitForLoadState('domcontentloaded');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
});

test('a launch from the popup is refused when the patient on the page is no longer the one it showed', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
  const { ehr, popup } = await popupOnJohn(context, sandbox.ehr, setUpExtension);
  // The EHR switches patient in place while the popup still shows John Smith.
  await ehr.page.evaluate((nhs) => {
    document.querySelector('.pt-name')!.textContent = "O'BRIEN-SMITH, Zoë (Ms)";
    document.querySelector('.pt-nhs')!.textContent = nhs;
    document.querySelector('.pt-dob')!.textContent = '04-Jul-1992';
  }, zoe.nhsNumber);
  const pages = context.pages().length;
  await popup.page.getByRole('button', { name: 'Open John Smith in Parchment' }).click();
  await expect(popup.page.getByTestId('launch-result-parchment')).toContainText('nothing was opened');
  expect(context.pages()).toHaveLength(pages);
});

test('a pairing that needs renewing puts a warning on the badge and the reason in the popup, until paired again', async ({ context, sandbox, setUpExtension, worker, control }) => {
  await setUpExtension();
  await control('pkb', 'reset', { method: 'POST' });
  const jones = PKB.clinicians[0]!;
  const popup = await PopupPage.open(context);
  expect(await popup.pairWith('pkb', 'Patients Know Best', jones.username, jones.password)).toBe('Paired with Patients Know Best.');
  await popup.page.close();
  await fetch(`${sandbox.pkb}/_sandbox/revoke-refresh-tokens`, { method: 'POST' });

  // The next launch finds the pairing revoked.
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.click('Open John Smith in Patients Know Best');
  await ehr.bar.waitForStatus(/[Pp]air again/);
  await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('!');
  expect(await worker.evaluate(() => chrome.action.getTitle({}))).toContain('needs attention');

  const again = await popupFor(ehr);
  await expect(again.page.getByTestId('health')).toContainText('Your Patients Know Best pairing has ended: pair again below.');
  expect(await again.pairWith('pkb', 'Patients Know Best', jones.username, jones.password, 'Pair again with')).toBe('Paired with Patients Know Best.');
  await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
});
