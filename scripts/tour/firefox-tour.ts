import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { launchFirefox, type Firefox } from '../../tests/firefox/firefox-launcher';
import { EhrPage } from '../../tests/firefox/pages/ehr-page';
import { PopupPage } from '../../tests/firefox/pages/extension-pages';
import type { Tab } from '../../tests/firefox/pages/tab';
import { setUpExtension } from '../../tests/firefox/setup-extension';
import { PATIENTS } from '../../tests/sandbox/fixtures';
import type { SandboxUrls } from '../../tests/sandbox/extension-config';
import { NHS_LOGIN } from '../../tests/sandbox/nhs-login-fixtures';
import { ORG_IDP } from '../../tests/sandbox/org-idp-fixtures';
import { PKB } from '../../tests/sandbox/pkb-fixtures';
import { capitalise, TOUR_PARTNERS, type Landing, type TourPartner } from './tour-partners';
import type { TourRow } from './tour-row';

/**
 * The tour in Firefox ESR (`npm start -- --browser firefox`): the Firefox sandbox build (dist-firefox-sandbox/)
 * installed in a fresh profile over WebDriver BiDi, configured as an administrator and a clinician would, then
 * every partner launched for every patient with real, trusted clicks. Without --headless and with a display, it
 * leaves Firefox open on the demo EHR instead.
 */

export interface FirefoxTourOptions {
  headless: boolean;
  shots: string;
  /** The configuration to import instead of the sandbox's own (the --broker tour's). */
  config?: unknown;
  skipSecrets?: boolean;
  /** Called once the extension is configured, before anything is launched (the --broker tour enrols the broker). */
  configured?: () => Promise<void>;
}

export interface FirefoxTour {
  rows: TourRow[];
  identity: Record<'who' | 'sds' | 'role' | 'until', string>;
  brokerHealth?: string;
}

function landingOf(tab: Tab): Landing {
  return {
    async text(testId) {
      const selector = `[data-testid="${testId}"]`;
      await tab.waitForNode(selector, 5_000);
      return (await tab.text(selector))?.trim();
    },
    async waitForUrl(pattern) {
      await expect.poll(() => tab.url(), { timeout: 10_000 }).toMatch(pattern);
    },
  };
}

async function screenshot(tab: Tab, path: string): Promise<void> {
  const { data } = await tab.firefox.client.send('browsingContext.captureScreenshot', { context: tab.context });
  await writeFile(path, Buffer.from(data, 'base64'));
}

async function launchOnce(firefox: Firefox, urls: SandboxUrls, partner: TourPartner, nhsNumber: string, shots: string, index: number): Promise<TourRow> {
  const patient = PATIENTS.find((p) => p.nhsNumber === nhsNumber)!;
  const name = `${patient.given} ${capitalise(patient.family)}`;
  const button = `Open ${name} in ${partner.label}`;
  const row: TourRow = { partner: partner.label, patient: `${name} (${nhsNumber})`, outcome: 'failed', ms: 0 };
  const slug = partner.label.toLowerCase().replace(/\W+/g, '-');
  const ehr = await EhrPage.open(firefox, urls.ehr);
  try {
    await ehr.openPatient(nhsNumber);
    await ehr.bar.waitForButton(button);
    await screenshot(ehr.tab, join(shots, `${index}-ehr-${nhsNumber}.png`));
    // The bar takes a click once it has been still a moment, as a person reading it gives it; not timed.
    await ehr.bar.settle(button);
    const started = performance.now();
    const landing = await ehr.launch(button);
    row.ms = Math.round(performance.now() - started);
    row.outcome = await partner.verify(landingOf(landing), nhsNumber);
    await screenshot(landing, join(shots, `${index}-${slug}-${nhsNumber}.png`));
    await landing.close();
  } catch (error) {
    row.outcome = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    await ehr.tab.close().catch(() => undefined);
  }
  return row;
}

/** Firefox with the extension configured, left open on the demo EHR until the person closes it. */
export async function openFirefoxForUse(urls: SandboxUrls, options: Pick<FirefoxTourOptions, 'config' | 'skipSecrets' | 'configured'>): Promise<void> {
  const firefox = await launchFirefox({ headless: false });
  try {
    await setUpExtension(firefox, urls, { config: options.config, skipSecrets: options.skipSecrets });
    await options.configured?.();
    await EhrPage.open(firefox, urls.ehr).then((ehr) => ehr.tab.goto(`${urls.ehr}/`));
    console.log('Firefox is open with EHR Launchpad installed on the demo EHR. Close the browser window to stop.');
    await firefox.closed();
  } finally {
    await firefox.close();
  }
}

export async function firefoxTour(urls: SandboxUrls, options: FirefoxTourOptions): Promise<FirefoxTour> {
  const firefox = await launchFirefox({ headless: options.headless });
  try {
    await setUpExtension(firefox, urls, { config: options.config, skipSecrets: options.skipSecrets });
    await options.configured?.();
    const popup = await PopupPage.open(firefox);
    const clinician = ORG_IDP.users[0]!;
    const verified = await popup.signInWithOrganisation(clinician.username, clinician.password);
    if (!verified.startsWith('Signed in')) throw new Error(`Organisation sign-in failed: ${verified}`);
    const read = async (testId: string) => (await popup.tab.text(`[data-testid="${testId}"]`))?.trim() ?? '';
    const identity = { who: await read('identity-who'), sds: await read('identity-sds'), role: await read('identity-role'), until: await read('identity-until') };
    await screenshot(popup.tab, join(options.shots, '0-popup-verified-identity.png'));
    let brokerHealth: string | undefined;
    if (options.config) {
      await expect.poll(() => read('broker-health'), { timeout: 10_000 }).toMatch(/answering/).catch(() => undefined);
      brokerHealth = await read('broker-health');
    }
    const signedIn = await popup.signInToPartner('nhs-login', 'NHS login', NHS_LOGIN.users[0]!.username, NHS_LOGIN.users[0]!.password);
    if (!signedIn.startsWith('Signed in')) throw new Error(`NHS login sign-in failed: ${signedIn}`);
    const paired = await popup.pairWith('pkb', 'Patients Know Best', PKB.clinicians[0]!.username, PKB.clinicians[0]!.password);
    if (!paired.startsWith('Paired')) throw new Error(`PKB pairing failed: ${paired}`);
    await popup.tab.close();
    const rows: TourRow[] = [];
    let index = 1;
    for (const partner of TOUR_PARTNERS) {
      for (const patient of PATIENTS) rows.push(await launchOnce(firefox, urls, partner, patient.nhsNumber, options.shots, index++));
    }
    return { rows, identity, ...(brokerHealth !== undefined ? { brokerHealth } : {}) };
  } finally {
    await firefox.close();
  }
}
