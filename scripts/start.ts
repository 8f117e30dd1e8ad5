import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startSandbox } from '../tests/sandbox/server';
import { PATIENTS } from '../tests/sandbox/fixtures';
import type { SandboxUrls } from '../tests/sandbox/extension-config';
import { launchWithExtension } from '../tests/e2e/browser';
import { setUpExtension } from '../tests/e2e/setup-extension';
import { PopupPage } from '../tests/e2e/pages/extension-pages';
import { LaunchBar } from '../tests/e2e/pages/launch-bar';
import { NHS_LOGIN } from '../tests/sandbox/nhs-login-fixtures';
import { ORG_IDP } from '../tests/sandbox/org-idp-fixtures';
import { PKB } from '../tests/sandbox/pkb-fixtures';
import { SANDBOX_SECRETS, sandboxExtensionConfig } from '../tests/sandbox/extension-config';
import { BrokerProcess } from '../tests/e2e/broker-process';
import { tableLines } from './check/table';
import { firefoxTour, openFirefoxForUse } from './tour/firefox-tour';
import { BROKER_PARTNERS, capitalise, TOUR_PARTNERS, type Landing, type TourPartner } from './tour/tour-partners';
import type { TourRow } from './tour/tour-row';

/**
 * `npm start`: the extension (already built into dist-sandbox/), the partner sandbox and the demo EHR on
 * 127.0.0.1, and Chromium with the extension loaded and configured. With a display it opens a window for you
 * to use; without one (or with --headless) it takes a tour: every working launch once, a table of results,
 * screenshots in a folder. It exits non-zero if a launch it attempts fails.
 *
 * `npm start -- --broker`: the same, with the organisation's launch broker (`npm run broker`, in a process of its
 * own) in front of Parchment, the knowledge base and Black Pear: the extension holds no partner secret, Black Pear
 * trusts the broker's published keys, and the table says which launches went through the broker.
 *
 * `npm start -- --browser firefox`: the same in Firefox ESR, with the Firefox sandbox build (dist-firefox-sandbox/).
 */


const argv = process.argv.slice(2);
const args = new Set(argv);
const headless = args.has('--headless') || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const withBroker = args.has('--broker');
const browserName = argv.find((arg) => arg.startsWith('--browser='))?.slice('--browser='.length) ?? (args.has('--browser') ? argv[argv.indexOf('--browser') + 1] : 'chromium');
if (browserName !== 'chromium' && browserName !== 'firefox') {
  console.error(`npm start: --browser must be chromium or firefox, not ${browserName}`);
  process.exit(2);
}
async function launchOnce(context: BrowserContext, urls: SandboxUrls, partner: TourPartner, nhsNumber: string, shots: string, index: number): Promise<TourRow> {
  const patient = PATIENTS.find((p) => p.nhsNumber === nhsNumber)!;
  const name = `${patient.given} ${capitalise(patient.family)}`;
  const button = `Open ${name} in ${partner.label}`;
  const row: TourRow = { partner: partner.label, patient: `${name} (${nhsNumber})`, outcome: 'failed', ms: 0 };
  const slug = partner.label.toLowerCase().replace(/\W+/g, '-');
  const ehr = await context.newPage();
  try {
    await ehr.goto(`${urls.ehr}/patients/${nhsNumber}`);
    const bar = new LaunchBar(ehr);
    await bar.waitForButton(button);
    await ehr.screenshot({ path: join(shots, `${index}-ehr-${nhsNumber}.png`) });
    // The bar takes a click once it has been still a moment, as a person reading it gives it; not timed.
    await bar.settle(button);
    const started = performance.now();
    const opened = context.waitForEvent('page', { timeout: 30_000 });
    await bar.clickNow(button);
    const landing: Page = await opened;
    await landing.waitForLoadState('domcontentloaded');
    row.ms = Math.round(performance.now() - started);
    row.outcome = await partner.verify(landingOf(landing), nhsNumber);
    await landing.screenshot({ path: join(shots, `${index}-${slug}-${nhsNumber}.png`) });
    await landing.close();
  } catch (error) {
    row.outcome = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    await ehr.close();
  }
  return row;
}

function landingOf(page: Page): Landing {
  return {
    text: async (testId) => (await page.getByTestId(testId).textContent({ timeout: 5_000 }))?.trim(),
    waitForUrl: (pattern) => page.waitForURL(pattern, { timeout: 10_000 }),
  };
}

function printTable(rows: TourRow[]): void {
  const viaColumn = rows.some((r) => r.via !== undefined);
  const header = ['partner', ...(viaColumn ? ['via'] : []), 'patient', 'outcome', 'ms'];
  const cells = rows.map((r) => [r.partner, ...(viaColumn ? [r.via ?? ''] : []), r.patient, r.outcome, String(r.ms)]);
  for (const line of tableLines(header, cells)) console.log(line);
}

async function main(): Promise<number> {
  const sandbox = await startSandbox({ quiet: true });
  console.log(`Partner sandbox and demo EHR running: ${Object.entries(sandbox.urls).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  let broker: BrokerProcess | undefined;
  try {
    let config: unknown;
    let enrolBroker: (() => Promise<void>) | undefined;
    if (withBroker) {
      // The tour's broker keeps its audit and keys in memory (PGlite), whatever database this shell points at.
      delete process.env.DATABASE_URL;
      delete process.env.BROKER_DATA_DIR;
      const started = await BrokerProcess.start(sandbox.urls);
      broker = started;
      console.log(`Launch broker running: ${started.url} (${BROKER_PARTNERS.join(', ')} go through it)`);
      // The extension is told the broker's address and which partners go through it, and gets no partner secret.
      const base = sandboxExtensionConfig(sandbox.urls);
      config = { ...base, broker: { url: started.url }, partners: base.partners.map((p) => (BROKER_PARTNERS.includes(p.id) ? { ...p, via: 'broker' } : p)) };
      // Black Pear trusts the broker's published keys (its JWKS URL), as it would be enrolled once per organisation.
      enrolBroker = async () => {
        const enrolled = await fetch(`${sandbox.urls['black-pear']}/__sandbox/settings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jwksUrls: [`${started.url}/.well-known/jwks.json`] }),
        });
        if (!enrolled.ok) throw new Error(`Black Pear enrolment of the broker failed: ${enrolled.status}`);
      };
    }
    const setUp = { config, skipSecrets: withBroker, configured: enrolBroker };
    if (!headless) {
      console.log(`Pair with Patients Know Best from the toolbar menu: sign in as ${PKB.clinicians[0]!.username} / ${PKB.clinicians[0]!.password}.`);
      if (browserName === 'firefox') await openFirefoxForUse(sandbox.urls, setUp);
      else await openChromiumForUse(sandbox.urls, setUp);
      return 0;
    }
    const shots = resolve('tour-screenshots', new Date().toISOString().replace(/[:.]/g, '-'));
    await mkdir(shots, { recursive: true });
    const tour = browserName === 'firefox' ? await firefoxTour(sandbox.urls, { headless, shots, ...setUp }) : await chromiumTour(sandbox.urls, shots, setUp);
    const { rows, identity, brokerHealth } = tour;
    if (broker) for (const row of rows) row.via = BROKER_PARTNERS.includes(TOUR_PARTNERS.find((p) => p.label === row.partner)!.id) ? 'broker' : 'extension';
    console.log('');
    console.log(`Browser: ${browserName === 'firefox' ? 'Firefox ESR' : 'Chromium'}.`);
    console.log(`Verified clinician: ${identity.who} SDS user id ${identity.sds}; role ${identity.role}; signed in until ${identity.until}.`);
    console.log('');
    printTable(rows);
    if (broker) {
      // Stopped first: the broker writes what its log still holds as it exits.
      await broker.stop();
      const through = rows.filter((r) => r.via === 'broker');
      const leaked = SANDBOX_SECRETS.filter((secret) => broker!.log().includes(secret.value)).length;
      console.log(`\nThrough the launch broker: ${through.filter((r) => r.outcome.startsWith('ok')).length} of ${through.length} ok, with no partner secret in the extension; the popup said: "${brokerHealth}"; partner secrets in the broker's log: ${leaked}.`);
      if (leaked > 0) throw new Error('A partner secret appeared in the broker\'s log.');
    }
    console.log(`\nScreenshots: ${shots}`);
    const failed = rows.filter((r) => !r.outcome.startsWith('ok')).length;
    console.log(failed ? `${failed} launch(es) failed.` : `All ${rows.length} launches ok.`);
    return failed ? 1 : 0;
  } finally {
    await broker?.stop();
    await sandbox.close();
  }
}

interface SetUp {
  config?: unknown;
  skipSecrets: boolean;
  configured?: () => Promise<void>;
}

async function configureChromium(context: BrowserContext, urls: SandboxUrls, setUp: SetUp): Promise<void> {
  await setUpExtension(context, urls, { config: setUp.config, skipSecrets: setUp.skipSecrets });
  await setUp.configured?.();
}

async function openChromiumForUse(urls: SandboxUrls, setUp: SetUp): Promise<void> {
  const browser = await launchWithExtension({ headless: false });
  try {
    await configureChromium(browser.context, urls, setUp);
    const page = await browser.context.newPage();
    await page.goto(`${urls.ehr}/`);
    console.log('Chromium is open with EHR Launchpad loaded on the demo EHR. Close the browser window to stop.');
    const context = browser.context;
    await new Promise<void>((done) => context.on('close', () => done()));
  } finally {
    await browser.close().catch(() => undefined);
  }
}

async function chromiumTour(urls: SandboxUrls, shots: string, setUp: SetUp): Promise<{ rows: TourRow[]; identity: Record<'who' | 'sds' | 'role' | 'until', string>; brokerHealth?: string }> {
  const browser = await launchWithExtension({ headless: true });
  try {
    await configureChromium(browser.context, urls, setUp);
    const popup = await PopupPage.open(browser.context);
    // The clinician first proves who they are with the organisation's sign-in (the sandbox's CIS2-like
    // provider): Black Pear, Parchment and the knowledge base are then told the verified identity.
    const clinician = ORG_IDP.users[0]!;
    const verified = await popup.signInWithOrganisation(clinician.username, clinician.password);
    if (!verified.startsWith('Signed in')) throw new Error(`Organisation sign-in failed: ${verified}`);
    const identity = {
      who: (await popup.page.getByTestId('identity-who').innerText()).trim(),
      sds: (await popup.page.getByTestId('identity-sds').innerText()).trim(),
      role: (await popup.page.getByTestId('identity-role').innerText()).trim(),
      until: (await popup.page.getByTestId('identity-until').innerText()).trim(),
    };
    await popup.page.screenshot({ path: join(shots, '0-popup-verified-identity.png'), fullPage: true });
    let brokerHealth: string | undefined;
    if (setUp.config) {
      const health = popup.page.getByTestId('broker-health');
      await health.filter({ hasText: /answering/ }).waitFor({ timeout: 10_000 }).catch(() => undefined);
      brokerHealth = (await health.innerText()).trim();
    }
    // NHS login has a sign-in step: once, in the browser's auth window, as a clinician would from the popup.
    const signedIn = await popup.signInToPartner('nhs-login', 'NHS login', NHS_LOGIN.users[0]!.username, NHS_LOGIN.users[0]!.password);
    if (!signedIn.startsWith('Signed in')) throw new Error(`NHS login sign-in failed: ${signedIn}`);
    // PKB is paired once per clinician, also from the popup, through PKB's own sign-in page.
    const paired = await popup.pairWith('pkb', 'Patients Know Best', PKB.clinicians[0]!.username, PKB.clinicians[0]!.password);
    if (!paired.startsWith('Paired')) throw new Error(`PKB pairing failed: ${paired}`);
    await popup.page.close();
    const rows: TourRow[] = [];
    let index = 1;
    for (const partner of TOUR_PARTNERS) {
      for (const patient of PATIENTS) rows.push(await launchOnce(browser.context, urls, partner, patient.nhsNumber, shots, index++));
    }
    return { rows, identity, ...(brokerHealth !== undefined ? { brokerHealth } : {}) };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
