import { SANDBOX_CLINICIAN, sandboxExtensionConfig, sandboxIdentity } from '../sandbox/extension-config';
import { CLINICIANS, PATIENTS } from '../sandbox/fixtures';
import { NHS_LOGIN } from '../sandbox/nhs-login-fixtures';
import { ORG_IDP } from '../sandbox/org-idp-fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';

const john = PATIENTS[0]!;
const jones = ORG_IDP.users.find((u) => u.username === 'dr.jones')!;
const patel = ORG_IDP.users.find((u) => u.username === 'dr.patel')!;

test('signed in with the organisation, Black Pear and Parchment are told the verified clinician, not the typed one', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  // Someone at the keyboard typed a colleague's identifiers into the profile.
  const popup = await PopupPage.open(context);
  const patelTyped = CLINICIANS[1]!;
  expect(await popup.saveProfile({ sdsUserId: patelTyped.sdsUserId, roleProfileId: patelTyped.roleProfileId, parchmentUserId: patelTyped.parchmentUserId })).toContain('Profile saved');
  await expect(popup.page.getByTestId('profile-typed')).toHaveText('Typed here, not verified.');

  expect(await popup.signInWithOrganisation(jones.username, jones.password)).toBe('Signed in with NHS Care Identity.');
  await expect(popup.page.getByTestId('identity-who')).toHaveText('Signed in with NHS Care Identity as Dr Alice Jones.');
  await expect(popup.page.getByTestId('identity-role')).toHaveText('General Medical Practitioner (Y90001)');
  await expect(popup.page.getByTestId('profile-typed')).toHaveCount(0);
  // The verified fields show the sign-in's values and cannot be edited.
  for (const field of ['sdsUserId', 'roleProfileId', 'parchmentUserId', 'displayName']) {
    await expect(popup.page.locator(`[data-verified="${field}"]`)).toHaveText('from the sign-in with NHS Care Identity');
    await expect(popup.page.locator(`input[name="${field}"]`)).toBeDisabled();
  }
  await expect(popup.page.locator('input[name="sdsUserId"]')).toHaveValue(jones.uid);
  await popup.page.close();

  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const blackPear = await ehr.launch('Open John Smith in Black Pear');
  await expect(blackPear.getByTestId('user-id')).toHaveText('https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102');
  await expect(blackPear.getByTestId('user-name')).toHaveText('Dr Alice Jones');
  await expect(blackPear.getByTestId('user-role')).toHaveText('General Medical Practitioner');
  await blackPear.close();

  const parchment = await ehr.launch('Open John Smith in Parchment');
  await expect(parchment.getByTestId('signed-in-user')).toHaveText(`Dr Alice Jones (${CLINICIANS[0]!.parchmentUserId})`);
});

test('a clinician with two roles chooses one at sign-in and can switch; Black Pear is told the chosen role', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const popup = await PopupPage.open(context);
  expect(await popup.signInWithOrganisation(patel.username, patel.password, { role: 'Clinical Director' })).toBe('Signed in with NHS Care Identity.');
  await expect(popup.page.getByTestId('identity-role')).toHaveText('Clinical Director (Y90001)');

  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  let app = await ehr.launch('Open John Smith in Black Pear');
  await expect(app.getByTestId('user-role')).toHaveText('Clinical Director');
  await expect(app.getByTestId('user-id')).toHaveText('https://fhir.nhs.uk/Id/sds-role-profile-id|555000000203');
  await app.close();

  await popup.page.reload();
  expect(await popup.signInWithOrganisation(patel.username, patel.password, { role: 'General Medical Practitioner', switchRole: true })).toBe('Signed in with NHS Care Identity.');
  await expect(popup.page.getByTestId('identity-role')).toHaveText('General Medical Practitioner (Y90001)');
  app = await ehr.launch('Open John Smith in Black Pear');
  await expect(app.getByTestId('user-id')).toHaveText('https://fhir.nhs.uk/Id/sds-role-profile-id|555000000202');
});

const lee = ORG_IDP.users.find((u) => u.username === 'student.lee')!;

async function endProviderSessions(sandbox: { 'org-idp': string }): Promise<void> {
  const response = await fetch(`${sandbox['org-idp']}/_sandbox/end-sessions`, { method: 'POST' });
  if (!response.ok) throw new Error(`end-sessions: ${response.status}`);
}

test('a verified field cannot be changed: not in the popup, not by importing configuration, not by editing storage', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  const popup = await PopupPage.open(context);
  await popup.signInWithOrganisation(jones.username, jones.password);
  const patelTyped = CLINICIANS[1]!;

  // The form shows the verified role read-only; a page sending the background a colleague's role directly is
  // answered "saved", and the role stays the verified one.
  await expect(popup.page.locator('input[name="roleProfileId"]')).toBeDisabled();
  const answer = await popup.page.evaluate(
    (profile) => chrome.runtime.sendMessage({ type: 'clinician.set', payload: { profile } }),
    { ...SANDBOX_CLINICIAN, roleProfileId: patelTyped.roleProfileId, sdsUserId: patelTyped.sdsUserId },
  );
  expect(answer).toEqual({ ok: true, data: { ok: true, errors: [] } });

  // Organisation defaults and the stored profile, both rewritten from an extension page.
  const options = await OptionsPage.open(context);
  const config = { ...sandboxExtensionConfig(sandbox), clinicianDefaults: { sdsUserId: patelTyped.sdsUserId, roleProfileId: patelTyped.roleProfileId, roleName: 'Clinical Director' } };
  expect(await options.importConfig(config)).toContain('Configuration imported');
  await options.page.evaluate(async (profile) => chrome.storage.local.set({ clinician: profile }), { ...SANDBOX_CLINICIAN, ...{ sdsUserId: patelTyped.sdsUserId, roleProfileId: patelTyped.roleProfileId, displayName: 'Dr Raj Patel' } });

  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const app = await ehr.launch('Open John Smith in Black Pear');
  await expect(app.getByTestId('user-id')).toHaveText('https://fhir.nhs.uk/Id/sds-role-profile-id|555000000102');
  await expect(app.getByTestId('user-name')).toHaveText('Dr Alice Jones');
  await app.close();

  // A verified identity written into session storage by anything but the sign-in does not open: it counts as
  // no sign-in at all (with sign-in required, no launch), never as someone else.
  expect(await options.importConfig({ ...sandboxExtensionConfig(sandbox), identity: sandboxIdentity(sandbox, { required: true }) })).toContain('Configuration imported');
  await worker.evaluate(async () => {
    const { orgIdentity } = (await chrome.storage.session.get('orgIdentity')) as { orgIdentity: { iv: string; data: string } };
    const bytes = Uint8Array.from(atob(orgIdentity.data), (c) => c.charCodeAt(0));
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    await chrome.storage.session.set({ orgIdentity: { iv: orgIdentity.iv, data: btoa(String.fromCharCode(...bytes)) } });
  });
  await ehr.page.reload();
  await ehr.bar.waitForButton('Black Pear: Sign in to launch');
});

test('a user with no NHS role is told plainly why Black Pear will not open', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const popup = await PopupPage.open(context);
  await popup.signInWithOrganisation(lee.username, lee.password);
  await expect(popup.page.getByTestId('identity-role')).toHaveText('No NHS role');
  await expect(popup.page.locator('[data-partner="black-pear"]')).toContainText('needs an NHS role, and your NHS Care Identity account has none');
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.launchRefused('Open John Smith in Black Pear', /needs an NHS role, and your NHS Care Identity account has none/);
});

test('with sign-in required, a typed profile launches nothing that needs identity; the bar offers the sign-in and then launches', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: { ...sandboxExtensionConfig(sandbox), identity: sandboxIdentity(sandbox, { required: true }) } });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Black Pear: Sign in to launch');
  await ehr.bar.waitForButton('Parchment: Sign in to launch');
  // PKB signs the clinician in itself: it still asks only for its pairing.
  await ehr.bar.waitForButton('Open John Smith in Patients Know Best');

  const authWindow = context.waitForEvent('page');
  await ehr.bar.click('Black Pear: Sign in to launch');
  const auth = await authWindow;
  await auth.getByLabel('Username').fill(jones.username);
  await auth.getByLabel('Password').fill(jones.password);
  await auth.getByRole('button', { name: 'Continue', exact: true }).click();
  // The bar follows the sign-in without a reload.
  await ehr.bar.waitForButton('Open John Smith in Black Pear');
  const app = await ehr.launch('Open John Smith in Black Pear');
  await expect(app.getByTestId('user-name')).toHaveText('Dr Alice Jones');
});

test('the provider session checked silently: a live one keeps the identity, an ended one signs the clinician out and the next launch asks to sign in', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension({ skipClinician: true });
  const popup = await PopupPage.open(context);
  await popup.signInWithOrganisation(jones.username, jones.password);
  const checked = async () => (await worker.evaluate(async () => (await chrome.alarms.get('ehr-launchpad-identity'))?.scheduledTime ?? 0));
  const wake = () => worker.evaluate(async () => chrome.alarms.create('ehr-launchpad-identity', { when: Date.now() }));

  // Live session: a silent re-check (no window) extends the identity; the next check is scheduled later.
  const before = await checked();
  const pages = context.pages().length;
  await wake();
  await expect.poll(checked, { timeout: 15_000 }).toBeGreaterThan(Date.now() + 30_000);
  expect(before).toBeGreaterThan(0);
  expect(context.pages().length).toBe(pages);
  await popup.page.reload();
  await expect(popup.page.getByTestId('identity-who')).toHaveText('Signed in with NHS Care Identity as Dr Alice Jones.');

  // The provider's session ends (signed out elsewhere, smartcard removed): the next check ends everything here.
  await endProviderSessions(sandbox);
  await wake();
  await expect.poll(async () => (await popup.page.reload(), await popup.page.locator('[data-identity]').getAttribute('data-identity')), { timeout: 15_000 }).toBe('none');
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.launchRefused('Open John Smith in Black Pear', /Sign in with NHS Care Identity first/);
});

test('sign-out ends the verified identity, partner sign-ins and the profile; the audit trail records verified launches', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ skipClinician: true });
  const popup = await PopupPage.open(context);
  await popup.signInWithOrganisation(jones.username, jones.password);
  expect(await popup.signInToPartner('nhs-login', 'NHS login', NHS_LOGIN.users[0]!.username, NHS_LOGIN.users[0]!.password)).toBe('Signed in to NHS login.');
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  // Left open: a launch is audited ok once its page is seen to load (a tab closed before that is only "sent").
  await ehr.launch('Open John Smith in Black Pear');

  await popup.page.reload();
  await popup.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(popup.page.getByTestId('sign-out-result')).toContainText('Signed out');
  await popup.page.reload();
  await expect(popup.page.locator('[data-identity]')).toHaveAttribute('data-identity', 'none');
  await expect(popup.page.getByRole('button', { name: 'Sign in with NHS Care Identity' })).toBeVisible();
  await expect(popup.page.locator('[data-sign-in="nhs-login"]')).toContainText('not signed in');
  await ehr.page.reload();
  await ehr.launchRefused('Open John Smith in Black Pear', /Sign in with NHS Care Identity first/);

  // The provider's own session in this browser is still the signed-out clinician's: the next sign-in asks for
  // credentials again (prompt=login), whoever is at the keyboard.
  expect(await popup.signInWithOrganisation(jones.username, jones.password)).toBe('Signed in with NHS Care Identity.');
  const asked = (await (await fetch(`${sandbox['org-idp']}/_sandbox/last-authorization`)).json()) as { prompt?: string };
  expect(asked.prompt).toBe('login');

  const options = await OptionsPage.open(context);
  const csv = await options.auditCsv();
  const launch = csv.split('\r\n').find((line) => line.includes(',launch,') && line.includes(',black-pear,') && line.includes(',ok,'))!;
  expect(launch).toContain(`,verified,${sandbox['org-idp']},${jones.uid},555000000102`);
  expect(csv).toMatch(/,sign-in,.*,verified,/);
  expect(csv).toMatch(/,sign-out,.*,verified,/);
});
