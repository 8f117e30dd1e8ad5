import { localConfigWithoutSignIn, lockedPartnersPolicy, secretsPolicy } from '../e2e/policy-documents';
import { SANDBOX_CLINICIAN } from '../sandbox/extension-config';
import { PARCHMENT, PATIENTS, PHPKB } from '../sandbox/fixtures';
import { expect, sandboxUrls, test } from './fixtures';
import { launchFirefox, type Firefox } from './firefox-launcher';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import type { Tab } from './pages/tab';
import { writeFirefoxPolicies } from './policies';

/**
 * Enterprise policy in Firefox, for real: each test writes its own policies.json (3rdparty.Extensions, the same
 * managed-storage documents as the Chromium policy specs) and starts a Firefox that reads it (tests/firefox/
 * policies.ts says how, without /etc). What the Chromium specs also check and these cannot:
 * - a policy change applying live: Firefox reads policies.json only at start-up;
 * - Chromium's managed schema: Firefox has none, so every value reaches the extension's own checks, which
 *   report what is malformed either way.
 */

const john = PATIENTS[0]!;

/** Starts Firefox with `managed` as the extension's policy; the test runs, then Firefox and the file go. */
async function withPolicy(managed: Record<string, unknown>, body: (firefox: Firefox) => Promise<void>): Promise<void> {
  const policy = await writeFirefoxPolicies(managed);
  try {
    const firefox = await launchFirefox({ ...policy.launchOptions, getStartedTab: 'none' });
    try {
      await body(firefox);
    } catch (error) {
      await test.info().attach('firefox-output', { body: firefox.output().slice(-20_000), contentType: 'text/plain' });
      throw error;
    } finally {
      await firefox.close();
    }
  } finally {
    await policy.remove();
  }
}

const textOf = (tab: Tab, testId: string) => () => tab.text(`[data-testid="${testId}"]`).then((text) => text ?? '');

/** The options page once the policy has reached it (Firefox hands managed storage over at once; the page may still be loading it). */
async function optionsWithPolicy(firefox: Firefox): Promise<OptionsPage> {
  const options = await OptionsPage.open(firefox);
  await expect.poll(async () => (await options.tab.locate('[data-testid="policy-notice"]')).length, { timeout: 20_000 }).toBe(1);
  return options;
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test('configuration and partner secrets from policy.json reach the extension: no import, secrets never shown, a malformed entry reported, and Parchment launches', async () => {
  const sandbox = sandboxUrls();
  await withPolicy({ ...localConfigWithoutSignIn(sandbox), ...secretsPolicy() }, async (firefox) => {
    const options = await optionsWithPolicy(firefox);
    const page = () => options.tab.run(() => document.body.innerText);
    await expect.poll(page).toContain('Partner secret (set by your organisation)');
    await expect.poll(page).toContain('Single sign-on secret token (set by your organisation)');
    await expect.poll(textOf(options.tab, 'policy-problems')).toContain('secrets.parchment.bad name');
    const html = await options.tab.run(() => document.documentElement.outerHTML);
    expect(html).not.toContain(PARCHMENT.partnerSecret);
    expect(html).not.toContain(PARCHMENT.organizationSecret);
    expect(html).not.toContain(PHPKB.settings.secretToken);
    await options.tab.close();

    const popup = await PopupPage.open(firefox);
    expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toContain('Profile saved');
    await popup.tab.close();

    const ehr = await EhrPage.open(firefox, sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    await ehr.bar.waitForButton('Open John Smith in Parchment', 20_000);
    const portal = await ehr.launch('Open John Smith in Parchment');
    await expect.poll(textOf(portal, 'patient-nhs')).toBe(john.nhsNumber);
  });
});

test('policy locks sign-out and the partners, shows them as managed, reports the malformed parts and applies the rest', async () => {
  const sandbox = sandboxUrls();
  await withPolicy(lockedPartnersPolicy(sandbox), async (firefox) => {
    const options = await optionsWithPolicy(firefox);
    // The local configuration still names its EHR site and all the sandbox partners; policy decides the partners.
    expect(await options.importConfig(localConfigWithoutSignIn(sandbox))).toContain('Configuration imported');

    // Locked settings: shown, read-only, labelled.
    const idle = () => options.tab.run(() => {
      const field = document.getElementById('idle-minutes') as HTMLInputElement | null;
      return field ? { value: field.value, disabled: field.disabled, label: document.querySelector<HTMLElement>('label[for="idle-minutes"]')?.innerText ?? '' } : null;
    });
    await expect.poll(idle).toEqual({ value: '15', disabled: true, label: expect.stringContaining('Managed by your organisation') });

    // Locked partners: only the policy's, managed, with no way to add one.
    const partners = () => options.tab.run(() => {
      const list = document.querySelector<HTMLElement>('[data-testid="partners"]');
      return { items: list?.querySelectorAll('li').length ?? 0, text: list?.innerText ?? '', add: [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Add partner') };
    });
    await expect.poll(partners).toEqual({ items: 1, text: expect.stringMatching(/Trust KB[\s\S]*Managed by your organisation|Managed by your organisation[\s\S]*Trust KB/), add: false });

    // The malformed parts are reported by field, and ignored; the badge says so.
    await expect.poll(textOf(options.tab, 'policy-problems')).toContain('policy ehrSites[0].origin');
    await expect.poll(textOf(options.tab, 'policy-problems')).toContain('policy partners[1].portalOrigin');
    await expect.poll(textOf(options.tab, 'diag-policy')).toContain('Locked: signOut, partners');
    await expect.poll(() => options.tab.run(() => (globalThis as unknown as { browser: typeof chrome }).browser.action.getBadgeText({}))).toBe('!');
    await options.tab.close();

    // The rest applies: the policy's partner launches with the policy's secret.
    const popup = await PopupPage.open(firefox);
    expect(await popup.saveProfile(SANDBOX_CLINICIAN)).toContain('Profile saved');
    await popup.tab.close();
    const ehr = await EhrPage.open(firefox, sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    const bar = await ehr.bar.waitForButton('Open John Smith in Trust KB', 20_000);
    expect(bar.buttons.map((b) => b.name)).toEqual(['Open John Smith in Trust KB']);
    const kb = await ehr.launch('Open John Smith in Trust KB');
    expect(new URL(await kb.url()).origin).toBe(sandbox.phpkb);
    await expect.poll(textOf(kb, 'signed-in-username')).toBe('dr.jones');
  });
});
