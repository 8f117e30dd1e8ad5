import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { PLANTED_GLOBALS } from './hostile-cases';
import { EhrPage } from './pages/ehr-page';

/**
 * A page can name elements after the extension's globals: `<form id="browser">` is a property of the window in
 * the content script's world too, and an input named `runtime` with an id gives it a `runtime.id`. Chromium's
 * `chrome` is a real property, which a named element cannot hide. The content script must keep using the
 * browser's own namespace (src/shared/browser-api.ts): the bar appears and launches as on a plain page.
 */

const [john] = [PATIENTS[0]!];
const JOHN = 'Open John Smith in Parchment';
const PLANTED = PLANTED_GLOBALS;

test.describe('hostile pages that name elements after the extension API', { tag: '@hostile' }, () => {
  test.beforeEach(async ({ setUpExtension }) => setUpExtension());

  test('a form named "browser" with an input named "runtime", and an element named "chrome": the bar still reads John and launches him', async ({ context, sandbox }) => {
    const page = await context.newPage();
    await page.route(`${sandbox.ehr}/patients/**`, async (route) => {
      const response = await route.fetch();
      const html = await response.text();
      await route.fulfill({ response, body: html.replace(/<body[^>]*>/, (tag) => `${tag}${PLANTED}`) });
    });
    const ehr = new EhrPage(page, sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    // The page's own view: the planted names are in place, as the content script's world sees them too.
    expect(await page.evaluate(() => (window as unknown as { browser: { runtime: { id: string } } }).browser.runtime.id)).toBe('planted-id');
    await ehr.bar.waitForButton(JOHN);
    const tab = await ehr.launch(JOHN);
    await expect(tab.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  });
});
