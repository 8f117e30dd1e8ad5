import type { SandboxUrls } from '../sandbox/extension-config';
import { PARCHMENT, PATIENTS } from '../sandbox/fixtures';
import { NHS_LOGIN } from '../sandbox/nhs-login-fixtures';
import { PKB } from '../sandbox/pkb-fixtures';
import { expect, sandboxUrls, test, useConfiguredFirefox } from './fixtures';
import type { Firefox } from './firefox-launcher';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';
import { Tab } from './pages/tab';

/**
 * Each of the five partners launched from the bar in Firefox to the right patient, checked on the partner's
 * landing page as the Chromium specs do (parchment-, phpkb-, black-pear-, nhs-login- and pkb-launch.spec.ts).
 * NHS login and PKB first need a sign-in and a pairing through identity.launchWebAuthFlow, whose redirect URI in
 * Firefox is https://<SHA-1 of the add-on id>.extensions.allizom.org/<path> (the sandbox accepts both browsers').
 *
 * Not run in Firefox, from those specs: the checks that read the extension's storage through Playwright's
 * service worker handle (Chromium only; Firefox runs the background as an event page), worker restarts, and the
 * refusal and fault cases, which exercise the same background code the Chromium suite covers.
 */

const john = PATIENTS[0]!;
const johnInParchment = PARCHMENT.patients.find((p) => p.nhsNumber === john.nhsNumber)!;
const citizen = NHS_LOGIN.users[0]!;
const jones = PKB.clinicians[0]!;

// Each test leaves only the tabs open after set-up: the partner tabs it opened are closed.
const browser = useConfiguredFirefox({ before: async (urls: SandboxUrls) => void (await fetch(`${urls.pkb}/__sandbox/reset`, { method: 'POST' })) });
let sandbox: SandboxUrls;
let firefox: Firefox;

test.beforeAll(() => {
  sandbox = sandboxUrls();
  firefox = browser.get();
});

/** The demo EHR on John's record, in a tab of its own. */
async function johnsRecord(): Promise<EhrPage> {
  const ehr = await EhrPage.open(firefox, sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  return ehr;
}

/** Waits for an element's text on a partner's page. */
const textOf = (tab: Tab, testId: string) => () => tab.text(`[data-testid="${testId}"]`);

test('Parchment opens signed in, on the right patient\'s prescriptions', async () => {
  const ehr = await johnsRecord();
  const bar = await ehr.bar.waitForButton('Open John Smith in Parchment');
  expect(bar.text).toContain('NHS 999 000 0018');
  expect(bar.text).toContain('DOB 12-Mar-1985');
  const portal = await ehr.launch('Open John Smith in Parchment');
  const url = new URL(await portal.url());
  expect(url.origin).toBe(sandbox['parchment-portal']);
  expect(url.pathname).toBe(`/dashboard/patients/${johnInParchment.id}/prescriptions`);
  await expect.poll(textOf(portal, 'patient-nhs')).toBe(john.nhsNumber);
  await expect.poll(textOf(portal, 'signed-in-user')).toContain('Dr Alice Jones');
  await expect.poll(textOf(portal, 'page-kind')).toBe('prescriptions');
});

test('the knowledge base (PHPKB) signs the clinician in with a verified hash', async () => {
  const ehr = await johnsRecord();
  const kb = await ehr.launch('Open John Smith in Knowledge base');
  expect(new URL(await kb.url()).origin).toBe(sandbox.phpkb);
  await expect.poll(textOf(kb, 'signed-in-username')).toBe('dr.jones');
  await expect.poll(textOf(kb, 'hash-verified')).toBe('true');
});

test('Black Pear opens on the right patient, as the right user and organisation', async () => {
  const ehr = await johnsRecord();
  const app = await ehr.launch('Open John Smith in Black Pear');
  await expect.poll(textOf(app, 'patient-nhs')).toBe(john.nhsNumber);
  expect(new URL(await app.url()).origin).toBe(sandbox['black-pear']);
  await expect.poll(textOf(app, 'birthdate')).toBe(john.birthDate);
  await expect.poll(textOf(app, 'user-name')).toBe('Dr Alice Jones');
  await expect.poll(textOf(app, 'organization')).toBe('Y90001');
  expect(await app.url()).not.toContain('client_assertion');
});

test('NHS login: refused before the sign-in; signed in once from the popup, relying party 2 opens with no prompt', async () => {
  const ehr = await johnsRecord();
  await ehr.launchRefused('Open John Smith in NHS login', /Sign in to NHS login first/);
  const popup = await PopupPage.open(firefox);
  expect(await popup.signInToPartner('nhs-login', 'NHS login', citizen.username, citizen.password)).toBe('Signed in to NHS login.');
  await popup.tab.close();
  await ehr.tab.bringToFront();
  await ehr.tab.reload();
  const rp2 = await ehr.launch('Open John Smith in NHS login');
  await expect.poll(textOf(rp2, 'rp2-user')).toBe(citizen.id);
  await expect.poll(textOf(rp2, 'rp2-prompt-shown')).toBe('false');
});

test('Patients Know Best: refused before pairing; paired once from the popup, one click opens the patient summary as the clinician', async () => {
  const ehr = await johnsRecord();
  await ehr.launchRefused('Open John Smith in Patients Know Best', /Pair with Patients Know Best first/);
  const popup = await PopupPage.open(firefox);
  expect(await popup.pairWith('pkb', 'Patients Know Best', jones.username, jones.password)).toBe('Paired with Patients Know Best.');
  await popup.tab.close();
  await ehr.tab.bringToFront();
  await ehr.tab.reload();
  const summary = await ehr.launch('Open John Smith in Patients Know Best');
  await expect.poll(textOf(summary, 'pkb-user')).toBe(jones.name);
  await expect.poll(textOf(summary, 'pkb-patient-nhs')).toBe(john.nhsNumber);
  expect(new URL(await summary.url()).pathname).toBe('/clinician/patientSummary.action');
});
