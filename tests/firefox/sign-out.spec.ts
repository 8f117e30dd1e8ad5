import type { SandboxUrls } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';
import { NHS_LOGIN } from '../sandbox/nhs-login-fixtures';
import { ORG_IDP } from '../sandbox/org-idp-fixtures';
import { expect, sandboxUrls, test, useConfiguredFirefox } from './fixtures';
import type { Firefox } from './firefox-launcher';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';

/**
 * Sign-out in Firefox, as the Chromium specs do it from the popup (phpkb-launch.spec.ts for the clinician's
 * sign-out, org-identity.spec.ts for the organisation's): partner sessions end, the profile is forgotten, and
 * after an organisation sign-out a launch that needs the verified identity is refused until the next sign-in.
 *
 * Not run in Firefox: sign-out on screen lock (Firefox's idle API never reports "locked"; the options page
 * says so), and the audit trail's CSV export (a file download, which this BiDi harness does not collect).
 */

const john = PATIENTS[0]!;
const jones = ORG_IDP.users.find((u) => u.username === 'dr.jones')!;
const citizen = NHS_LOGIN.users[0]!;

const browser = useConfiguredFirefox();
let sandbox: SandboxUrls;
let firefox: Firefox;

test.beforeAll(() => {
  sandbox = sandboxUrls();
  firefox = browser.get();
});

interface RecordedRequest {
  method: string;
  query: Record<string, string>;
  status: number;
}

async function kbSignInRequests(): Promise<RecordedRequest[]> {
  return (await (await fetch(`${sandbox.phpkb}/__sandbox/requests?path=/sso.php`)).json()) as RecordedRequest[];
}

test('the clinician\'s sign-out ends the knowledge base session by POST and forgets the profile', async () => {
  const ehr = await EhrPage.open(firefox, sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const kb = await ehr.launch('Open John Smith in Knowledge base');
  await expect.poll(() => kb.text('[data-testid="signed-in-username"]')).toBe('dr.jones');

  await fetch(`${sandbox.phpkb}/__sandbox/requests`, { method: 'DELETE' });
  const popup = await PopupPage.open(firefox);
  expect(await popup.signOut()).toBe('Signed out of EHR Launchpad and its partners.');
  const logout = (await kbSignInRequests()).filter((r) => r.query.mode === 'logout');
  expect(logout.map((r) => [r.method, r.status])).toEqual([['POST', 200]]);
  await popup.editProfile();
  expect(await popup.tab.run(() => document.querySelector<HTMLInputElement>('input[name="username"]')!.value)).toBe('');

  await kb.reload();
  await expect.poll(async () => (await kb.locate('[data-testid="not-signed-in"]')).length).toBe(1);
});

test('the organisation\'s sign-out ends the verified identity and partner sign-ins; the next launch asks to sign in, and the next sign-in asks for credentials again', async () => {
  const popup = await PopupPage.open(firefox);
  expect(await popup.signInWithOrganisation(jones.username, jones.password)).toBe('Signed in with NHS Care Identity.');
  await expect.poll(() => popup.tab.text('[data-testid="identity-who"]')).toBe('Signed in with NHS Care Identity as Dr Alice Jones.');
  expect(await popup.signInToPartner('nhs-login', 'NHS login', citizen.username, citizen.password)).toBe('Signed in to NHS login.');

  const ehr = await EhrPage.open(firefox, sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const blackPear = await ehr.launch('Open John Smith in Black Pear');
  await expect.poll(() => blackPear.text('[data-testid="user-name"]')).toBe('Dr Alice Jones');

  await popup.tab.bringToFront();
  await popup.tab.reload();
  expect(await popup.signOut()).toContain('Signed out');
  await popup.tab.reload();
  await expect.poll(() => popup.tab.run(() => document.querySelector('[data-identity]')?.getAttribute('data-identity') ?? null)).toBe('none');
  await popup.tab.button('Sign in with NHS Care Identity');
  await expect.poll(() => popup.tab.text('[data-sign-in="nhs-login"]')).toContain('not signed in');

  await ehr.tab.bringToFront();
  await ehr.tab.reload();
  await ehr.launchRefused('Open John Smith in Black Pear', /Sign in with NHS Care Identity first/);

  // The provider's own session in this browser is still the signed-out clinician's: the next sign-in asks for
  // credentials again (prompt=login), whoever is at the keyboard.
  await popup.tab.bringToFront();
  expect(await popup.signInWithOrganisation(jones.username, jones.password)).toBe('Signed in with NHS Care Identity.');
  const asked = (await (await fetch(`${sandbox['org-idp']}/_sandbox/last-authorization`)).json()) as { prompt?: string };
  expect(asked.prompt).toBe('login');
});
