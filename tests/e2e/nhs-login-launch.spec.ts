import { NHS_LOGIN } from '../sandbox/nhs-login-fixtures';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';

const john = PATIENTS[0]!;
const BUTTON = 'Open John Smith in NHS login';
const citizen = NHS_LOGIN.users[0]!;

test('sign in once to NHS login from the popup, then relying party 2 opens signed in with no prompt', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  // Before the sign-in the button says what to do, and launches nothing.
  await ehr.launchRefused(BUTTON, /Sign in to NHS login first/);

  const popup = await PopupPage.open(context);
  expect(await popup.signInToPartner('nhs-login', 'NHS login', citizen.username, citizen.password)).toBe('Signed in to NHS login.');

  await ehr.page.reload();
  const rp2 = await ehr.launch(BUTTON);
  await expect(rp2.getByTestId('rp2-user')).toHaveText(citizen.id);
  await expect(rp2.getByTestId('rp2-prompt-shown')).toHaveText('false');
});
