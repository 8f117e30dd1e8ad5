import { PARCHMENT, PATIENTS } from '../sandbox/fixtures';
import { expect, test, type Fixtures } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

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

  const portal = await ehr.launch('Open John Smith in Parchment');

  expect(new URL(portal.url()).origin).toBe(sandbox['parchment-portal']);
  expect(new URL(portal.url()).pathname).toBe(`/dashboard/patients/${johnInParchment.id}/prescriptions`);
  await expect(portal.getByTestId('signed-in-user')).toContainText('Dr Alice Jones');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  await expect(portal.getByTestId('patient-name')).toContainText('John Smith');
  await expect(portal.getByTestId('page-kind')).toHaveText('prescriptions');
});

test('a synthetic click from page script launches nothing', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension, control }) => {
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
  // The user's own click on the same bar then launches once: had the page's click launched, that launch (begun
  // at least the settling time earlier) would show as a second tab and a second request.
  const portal = await ehr.launch('Open John Smith in Parchment');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  expect(context.pages()).toHaveLength(3); // the blank start page, the EHR and the one launch
  expect(await control('parchment-api', `requests?path=${encodeURIComponent('/external/v1/sso')}`)).toHaveLength(1);
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
  // Said before the click, on the button, not only after it.
  expect(button.description).toMatch(/not linked to a Parchment record, so Parchment opens at the dashboard/);

  const portal = await ehr.launch(button.name);
  expect(new URL(portal.url()).pathname).toBe('/dashboard');
  await expect(portal.getByTestId('page-kind')).toHaveText('dashboard');
  await ehr.bar.waitForStatus(/not linked to a Parchment record/);
});

const SSO = '/external/v1/sso';
const refusals: { title: string; setup: (control: Fixtures['control'], context: Fixtures['context']) => Promise<void>; status: RegExp }[] = [
  {
    title: 'wrong partner credentials',
    setup: async (_control, context) => {
      const options = await OptionsPage.open(context);
      await options.setSecret('parchment', 'partnerSecret', 'psk_wrong');
      await options.page.close();
    },
    // Our words for the documented 401; Parchment's own title and detail are not shown.
    status: /^Parchment did not accept this organisation's credentials\. Tell your IT service desk\.$/,
  },
  {
    title: 'a user Parchment does not know',
    setup: async (_control, context) => {
      const popup = await PopupPage.open(context);
      await popup.saveProfile({ parchmentUserId: 'usr_nobody' });
      await popup.page.close();
    },
    status: /^Parchment refused to sign you in\. Check your Parchment user id/,
  },
  {
    title: 'a missing Parchment user id (the header would be missing: nothing is sent)',
    setup: async (_control, context) => {
      const popup = await PopupPage.open(context);
      await popup.saveProfile({ parchmentUserId: '' });
      await popup.page.close();
    },
    status: /Parchment needs your Parchment user id/,
  },
  {
    title: 'a redirect_url on a foreign origin',
    setup: async (control) =>
      void (await control('parchment-api', 'faults', {
        body: { path: SSO, status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ success: true, data: { sso_token: 't', redirect_url: 'https://evil.example/auth/sso?token=t', expires_in: 300 } }) },
      })),
    status: /unexpected address, so it was not opened/,
  },
  {
    title: 'a 429 with a long Retry-After',
    setup: async (control) => void (await control('parchment-api', 'faults', { body: { path: SSO, status: 429, headers: { 'retry-after': '30' } } })),
    status: /Parchment is busy\. Try again in 30 seconds\./,
  },
  {
    title: 'a 503',
    setup: async (control) => void (await control('parchment-api', 'faults', { body: { path: SSO, status: 503 } })),
    // The sandbox's fault body ("Injected fault: HTTP 503") is the partner's text: never shown.
    status: /^Parchment is not available right now\. Try again shortly\.$/,
  },
];

for (const refusal of refusals) {
  test(`${refusal.title} is shown readably and opens no tab`, async ({ context, sandbox, setUpExtension, control }) => {
    await setUpExtension();
    await refusal.setup(control, context);
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    const bar = await ehr.launchRefused('Open John Smith in Parchment', refusal.status);
    expect(bar.status).not.toMatch(/psk_|osk_|token=|https?:\/\//i);
  });
}

test('a 429 with a short Retry-After is retried once and lands', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await control('parchment-api', 'faults', { body: { path: SSO, status: 429, headers: { 'retry-after': '1' }, times: 1 } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const portal = await ehr.launch('Open John Smith in Parchment');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
});

test('a reused sign-in link is refused by the portal, readably', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await control('parchment-portal', 'requests', { method: 'DELETE' });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const portal = await ehr.launch('Open John Smith in Parchment');
  await expect(portal.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  const redemptions = (await control('parchment-portal', 'requests?path=/auth/sso')) as { query: Record<string, string> }[];
  expect(redemptions).toHaveLength(1);
  const ssoLinks = [`${sandbox['parchment-portal']}/auth/sso?${new URLSearchParams(redemptions[0]!.query)}`];

  // The extension opens each link once; replaying it (from history, say) meets the portal's single-use check.
  const replay = await context.newPage();
  await replay.goto(ssoLinks[0]!);
  await expect(replay.getByTestId('sso-error')).toContainText(/used/i);
});

test('a sign-in link that expires before it can be opened is not opened, and the bar says so', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  // Parchment's links live 300 s; shrink that below the time the answer takes to arrive.
  await control('parchment-api', 'settings', { body: { tokenTtlSeconds: 0.001 } });
  await control('parchment-api', 'faults', { body: { path: SSO, delayMs: 20 } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.launchRefused('Open John Smith in Parchment', /expired before it could be opened/);
});
