import { CLINICIANS, PATIENTS } from '../sandbox/fixtures';
import { ORG_IDP } from '../sandbox/org-idp-fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';

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
    await expect(popup.page.locator(`[data-verified="${field}"]`)).toHaveText('from your NHS Care Identity sign-in');
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
