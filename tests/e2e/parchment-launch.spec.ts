import { PARCHMENT, PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';

const john = PATIENTS[0]!;
const johnInParchment = PARCHMENT.patients.find((p) => p.nhsNumber === john.nhsNumber)!;

test('a trusted click on the injected button opens Parchment signed in, on the right patient', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);

  const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
  // The bar says whom it launches for: name, NHS number as 3-3-4, date of birth.
  expect(bar.text).toContain('John Smith');
  expect(bar.text).toContain('NHS 999 000 0018');
  expect(bar.text).toContain('DOB 12-Mar-1985');

  const opened = context.waitForEvent('page');
  await ehr.bar.click('Open John Smith in Parchment');
  const portal = await opened;
  await portal.waitForLoadState('domcontentloaded');

  expect(new URL(portal.url()).origin).toBe(sandbox['parchment-portal']);
  expect(new URL(portal.url()).pathname).toBe(`/dashboard/patients/${johnInParchment.id}/prescriptions`);
  await expect(portal.getByTestId('signed-in-user')).toContainText('Dr Alice Jones');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  await expect(portal.getByTestId('patient-name')).toContainText('John Smith');
  await expect(portal.getByTestId('page-kind')).toHaveText('prescriptions');
});

test('a synthetic click from page script launches nothing', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await control('parchment-api', 'requests', { method: 'DELETE' });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');

  // Page script cannot reach into the closed shadow root; the most it can do is click the host element.
  const reached = await ehr.page.evaluate(() => {
    const host = document.querySelector('ehr-launchpad-bar');
    host?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    return { host: Boolean(host), shadow: host?.shadowRoot ?? null };
  });
  expect(reached).toEqual({ host: true, shadow: null });
  await ehr.page.waitForTimeout(500);
  expect(context.pages()).toHaveLength(2); // the blank start page and the EHR
  expect(await control('parchment-api', 'requests')).toEqual([]);
});

test('a patient without a Parchment id opens the dashboard, and the bar says so', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const unmapped = PATIENTS.find((p) => !PARCHMENT.patients.some((m) => m.nhsNumber === p.nhsNumber))!;
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(unmapped.nhsNumber);
  const name = `Open ${unmapped.given} ${unmapped.family.charAt(0)}${unmapped.family.slice(1).toLowerCase()} in Parchment`;
  const bar = await ehr.bar.waitFor((b) => b.buttons.some((x) => x.name.endsWith('in Parchment')));
  const button = bar.buttons.find((x) => x.name.endsWith('in Parchment'))!;
  expect(button.name.toLowerCase()).toBe(name.toLowerCase());

  const opened = context.waitForEvent('page');
  await ehr.bar.click(button.name);
  const portal = await opened;
  await portal.waitForLoadState('domcontentloaded');
  expect(new URL(portal.url()).pathname).toBe('/dashboard');
  await expect(portal.getByTestId('page-kind')).toHaveText('dashboard');
  await ehr.bar.waitForStatus(/not linked to a Parchment record/);
});

test('a partner error is shown readably and opens no tab', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await control('parchment-api', 'faults', { body: { path: '/external/v1/sso', status: 503 } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.click('Open John Smith in Parchment');
  const bar = await ehr.bar.waitForStatus(/Parchment is not available right now/);
  expect(bar.status).not.toMatch(/psk_|osk_|token/i);
  expect(context.pages()).toHaveLength(2);
});

test('without a clinician profile the button says what to do instead of launching', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment');
  await ehr.bar.click('Open John Smith in Parchment');
  await ehr.bar.waitForStatus(/clinician profile/);
  expect(context.pages()).toHaveLength(2);
});
