import type { SandboxUrls } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, sandboxUrls, test, useFirefox } from './fixtures';
import type { Firefox } from './firefox-launcher';
import { EhrPage } from './pages/ehr-page';
import { LaunchBar } from './pages/launch-bar';
import { OptionsPage } from './pages/extension-pages';
import { Tab } from './pages/tab';
import { setUpExtension } from './setup-extension';

/**
 * What the Firefox build does differently, seen in Firefox: content scripts registered by host name (Firefox never
 * runs a match pattern with a port) still speak only for the configured origin, and the options page says what
 * Firefox cannot do. Chromium has neither difference, so this spec has no Chromium twin.
 */

const john = PATIENTS[0]!;
const browser = useFirefox();
let sandbox: SandboxUrls;
let firefox: Firefox;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  sandbox = sandboxUrls();
  firefox = browser.get();
  await setUpExtension(firefox, sandbox);
});

test('a patient banner on another port of the EHR host gets no bar; the EHR origin itself does', async () => {
  // The EHR's banner service: same host as the EHR (127.0.0.1), another port, a patient banner on the page.
  const elsewhere = await Tab.open(firefox, `${sandbox['ehr-banner']}/patients/${john.nhsNumber}/banner-frame`);
  await expect.poll(() => elsewhere.text('body')).toContain(john.nhsNumber.slice(0, 3));
  // The EHR page, opened after it, gets its bar: the script and the background have answered since.
  const ehr = await EhrPage.open(firefox, sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton('Open John Smith in Parchment', 15_000);
  await elsewhere.reload();
  await ehr.tab.reload();
  await ehr.bar.waitForButton('Open John Smith in Parchment', 15_000);
  expect(await new LaunchBar(elsewhere).snapshot()).toBeNull();
  expect(await elsewhere.locate('ehr-launchpad-bar')).toHaveLength(0);
  await elsewhere.close();
  await ehr.tab.close();
});

test('the options page says what Firefox cannot do: no sign-out on screen lock, no visibility verdict', async () => {
  const options = await OptionsPage.open(firefox);
  await expect.poll(() => options.tab.text('[data-testid="screen-lock-limit"]')).toContain('Firefox does not tell extensions when the screen locks');
  await expect.poll(() => options.tab.text('[data-testid="diag-browser-limits"]')).toContain('no sign-out when the screen locks');
  expect(await options.tab.text('[data-testid="diag-browser-limits"]')).toContain('no browser verdict on whether the launch bar is covered');
  expect(await options.tab.text('[data-testid="diagnostics"]')).toMatch(/Firefox \d+/);
  await options.tab.close();
});
