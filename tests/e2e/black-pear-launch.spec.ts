import type { BrowserContext } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { freePort } from '../sandbox/free-port';
import { sandboxExtensionConfig } from '../sandbox/extension-config';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

const john = PATIENTS[0]!;
const BUTTON = 'Open John Smith in Black Pear';

/** The launch entries of the audit trail, newest first, as the options page gets them. */
async function launchAudit(context: BrowserContext): Promise<{ partnerId: string; nhsNumber: string | null; outcome: string; code?: string }[]> {
  const options = await OptionsPage.open(context);
  const answer = (await options.page.evaluate(() => chrome.runtime.sendMessage({ type: 'audit.list', payload: {} }))) as { data: { entries: { event: string; partnerId: string; nhsNumber: string | null; outcome: string; code?: string }[] } };
  await options.page.close();
  return answer.data.entries.filter((e) => e.event === 'launch');
}

test('a click posts two signed JWTs from a new tab and lands in Black Pear on the right patient, as the right user', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const app = await ehr.launch(BUTTON);
  await expect(app.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  expect(new URL(app.url()).origin).toBe(sandbox['black-pear']);
  await expect(app.getByTestId('birthdate')).toHaveText(john.birthDate);
  await expect(app.getByTestId('user-name')).toHaveText('Dr Alice Jones');
  await expect(app.getByTestId('user-role')).toHaveText('General Medical Practitioner');
  await expect(app.getByTestId('user-id')).toHaveText('https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102');
  await expect(app.getByTestId('organization')).toHaveText('Y90001');
  await expect(app.getByTestId('service-id')).toHaveText('svc-riverside-01');
  // Nothing secret travelled in a URL of ours: the launch page's address carried only a spent one-time id.
  expect(app.url()).not.toContain('client_assertion');
  // Succeeded, because the partner's page was seen to load.
  await expect.poll(async () => (await launchAudit(context))[0]).toMatchObject({ partnerId: 'black-pear', nhsNumber: john.nhsNumber, outcome: 'ok' });
  expect((await launchAudit(context))[0]!.code).toBeUndefined();
});

test('a launch that lands on Black Pear\'s refusal page is audited as failed and the bar says so', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  // Black Pear no longer trusts this installation's issuer: it answers the form with its refusal page (401).
  await control('black-pear', 'settings', { body: { issuers: ['https://someone-else.example'] } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const app = await ehr.launch(BUTTON);
  await expect(app.getByTestId('launch-error-status')).toHaveText('401');
  await ehr.page.bringToFront();
  await ehr.bar.waitForStatus(/Black Pear refused the launch: its page answered with an error, so the patient is not open there/);
  await expect.poll(async () => (await launchAudit(context))[0]).toMatchObject({ partnerId: 'black-pear', nhsNumber: john.nhsNumber, outcome: 'error', code: 'landing-http-401' });
});

test('an unreachable Black Pear stops the launch at the clock probe: the bar says why, no tab opens, the audit says failed', async ({ context, sandbox, setUpExtension }) => {
  // Nothing listens on this port: the partner's address refuses every connection.
  const closed = `http://127.0.0.1:${await freePort()}`;
  await setUpExtension({ config: sandboxExtensionConfig({ ...sandbox, 'black-pear': closed }) });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const pagesBefore = context.pages().length;
  await ehr.bar.click(BUTTON);
  // The status arrives only once the launch has ended, so no tab can open after it.
  await ehr.bar.waitForStatus(/Black Pear cannot be reached from this computer, so nothing was opened/);
  expect(context.pages()).toHaveLength(pagesBefore);
  await expect.poll(async () => (await launchAudit(context))[0]).toMatchObject({ partnerId: 'black-pear', nhsNumber: john.nhsNumber, outcome: 'error', code: 'partner-unreachable' });
});

test('the options page shows the JWKS to enrol, and a rotated key launches once enrolled while the old one stays listed', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  const options = await OptionsPage.open(context);
  const first = JSON.parse(await options.page.getByTestId('jwks').inputValue()) as { keys: { kid: string; kty: string; alg: string; d?: string }[] };
  expect(first.keys).toHaveLength(1);
  expect(first.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig' });
  expect(first.keys[0]!.d).toBeUndefined();
  expect(first.keys[0]!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await options.page.getByRole('button', { name: 'Rotate ES256 key' }).click();
  await expect(options.page.getByTestId('keys').locator('li')).toHaveCount(2);
  const second = JSON.parse(await options.page.getByTestId('jwks').inputValue()) as { keys: { kid: string }[] };
  expect(second.keys.map((k) => k.kid)).toContain(first.keys[0]!.kid);

  // Black Pear still knows only the old key: the launch is refused there, with its reason on the page.
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  let app = await ehr.launch(BUTTON);
  await expect(app.getByTestId('launch-error-code')).toHaveText('client_assertion.kid');
  await app.close();

  await control('black-pear', 'settings', { body: { jwks: second.keys } });
  app = await ehr.launch(BUTTON);
  await expect(app.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);

  await options.page.getByTestId('keys').getByRole('button', { name: 'Remove' }).click();
  await expect(options.page.getByTestId('keys').locator('li')).toHaveCount(1);
});

test('a desktop clock 20 minutes behind Black Pear still launches once the offset is known', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await control('black-pear', 'settings', { body: { clockOffsetSeconds: 20 * 60 } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const app = await ehr.launch(BUTTON);
  await expect(app.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
});

test('without the clinician NHS identity the bar says what is missing and nothing opens', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const popup = await PopupPage.open(context);
  await popup.saveProfile({ displayName: 'Dr Alice Jones', username: 'dr.jones', email: 'alice.jones@riverside.example.nhs.uk' });
  // The popup does not call Black Pear ready: it says what is missing before anyone clicks.
  await popup.page.reload();
  await expect(popup.page.locator('[data-partner="black-pear"]')).toContainText('Black Pear needs your NHS role: sign in with NHS Care Identity, or add it to your clinician profile');
  await popup.page.close();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.launchRefused(BUTTON, /Black Pear needs your NHS role/);
});
