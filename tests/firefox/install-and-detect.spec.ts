import { NO_PATIENT_LAYOUTS, PATIENT_LAYOUTS } from '../e2e/demo-layouts';
import type { SandboxUrls } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';
import { GECKO_ID } from '../sandbox/redirect-uris';
import { closeNewTabsAfterEach, expect, sandboxUrls, test, useFirefox } from './fixtures';
import type { Firefox } from './firefox-launcher';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';
import { setUpExtension } from './setup-extension';

/**
 * The Firefox build installs, is configured as people do (configuration imported and secrets typed in the
 * options page, the clinician's profile saved in the popup), and finds the patient on the demo EHR's layouts
 * (the same list as tests/e2e/detection.spec.ts), its bar naming the patient.
 *
 * Not run in Firefox, from detection.spec.ts: the checks that count the frames the extension's scripts run in
 * (they read Chromium's execution contexts over CDP, which Firefox does not offer), so the nested banner frame
 * and unnamed cross-origin frame cases; the busy page's in-place switches and the keyboard launch (they need the
 * page's own test hooks and focus inside the closed shadow root through CDP). The hostile pages are in
 * hostile.spec.ts; a page at another port of the EHR's host (Firefox registers content scripts by host name) is
 * in firefox-differences.spec.ts.
 */

const john = PATIENTS[0]!;
const nhs334 = (nhs: string) => `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;
/** A patient's name as the bar shows it: given name, then the family name in title case. */
const shown = (patient: { given: string; family: string }) => `${patient.given} ${patient.family.toLowerCase().replace(/(^|[-' ])\p{L}/gu, (m) => m.toUpperCase())}`;

const browser = useFirefox();
// Each detection test leaves only the tabs open after set-up (the first test sets up, and marks them).
const tabs = closeNewTabsAfterEach(browser);
let sandbox: SandboxUrls;
let firefox: Firefox;

test.beforeAll(() => {
  sandbox = sandboxUrls();
  firefox = browser.get();
});

test('the Firefox build installs, the administrator imports configuration and types secrets, and the clinician saves a profile', async () => {
  expect(firefox.extensionId).toBe(GECKO_ID);
  // Throws, naming the step, if an import, a secret or the profile is not accepted.
  await setUpExtension(firefox, sandbox);
  const popup = await PopupPage.open(firefox);
  await expect.poll(() => popup.tab.text('[data-testid="profile-summary"]')).toContain('Alice Jones');
  await popup.tab.close();
  await tabs.mark();
});

test.describe('demo EHR layouts', () => {
  test.beforeEach(() => {
    test.skip(!tabs.marked(), 'the extension was not set up');
  });

  for (const { layout, path, patient } of PATIENT_LAYOUTS) {
    test(`${layout}: the bar names the patient and offers the partners`, async () => {
      const ehr = await EhrPage.open(firefox, sandbox.ehr);
      await ehr.tab.goto(`${sandbox.ehr}${path}`);
      const bar = await ehr.bar.waitForButton(`Open ${shown(patient)} in Parchment`, 15_000);
      expect(bar.text).toContain(shown(patient));
      expect(bar.text).toContain(`NHS ${nhs334(patient.nhsNumber)}`);
      expect(bar.buttons.map((b) => b.name)).toEqual(expect.arrayContaining([`Open ${shown(patient)} in Knowledge base`, `Open ${shown(patient)} in Black Pear`]));
    });
  }

  test('single-page app: switching patients without a reload redraws the bar, and back switches it again', async () => {
    const zoe = PATIENTS[1]!;
    const ehr = await EhrPage.open(firefox, sandbox.ehr);
    await ehr.tab.goto(`${sandbox.ehr}/spa/${john.nhsNumber}`);
    await ehr.bar.waitForButton(`Open ${shown(john)} in Parchment`);
    await ehr.tab.click(await ehr.tab.waitForNode(`[data-testid="spa-patient-${zoe.nhsNumber}"]`));
    const bar = await ehr.bar.waitForButton(`Open ${shown(zoe)} in Parchment`);
    expect(bar.text).toContain(nhs334(zoe.nhsNumber));
    await ehr.tab.back();
    await ehr.bar.waitForButton(`Open ${shown(john)} in Parchment`);
  });

  for (const { layout, why } of NO_PATIENT_LAYOUTS) {
    test(`${layout}: no launch, and the bar's small tab opens to say why`, async () => {
      const ehr = await EhrPage.open(firefox, sandbox.ehr);
      await ehr.openPatient(john.nhsNumber, layout);
      const bar = await ehr.bar.waitForReason(why);
      expect(bar.buttons).toHaveLength(0);
    });
  }
});
