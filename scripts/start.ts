import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startSandbox } from '../tests/sandbox/server';
import { PARCHMENT, PATIENTS } from '../tests/sandbox/fixtures';
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

/**
 * `npm start`: the extension (already built into dist-sandbox/), the partner sandbox and the demo EHR on
 * 127.0.0.1, and Chromium with the extension loaded and configured. With a display it opens a window for you
 * to use; without one (or with --headless) it takes a tour: every working launch once, a table of results,
 * screenshots in a folder. It exits non-zero if a launch it attempts fails.
 *
 * `npm start -- --broker`: the same, with the organisation's launch broker (`npm run broker`, in a process of its
 * own) in front of Parchment, the knowledge base and Black Pear: the extension holds no partner secret, Black Pear
 * trusts the broker's published keys, and the table says which launches went through the broker.
 */

interface TourRow {
  partner: string;
  patient: string;
  outcome: string;
  ms: number;
  /** 'broker' or 'extension' (the --broker tour only). */
  via?: string;
}

const args = new Set(process.argv.slice(2));
const headless = args.has('--headless') || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const withBroker = args.has('--broker');
/** Partners the broker launches in the --broker tour (the kinds it can run; the others sign in on the desktop). */
const BROKER_PARTNERS = ['parchment', 'knowledge-base', 'black-pear'];

function capitalise(family: string): string {
  return family.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, sep: string, letter: string) => sep + letter.toUpperCase());
}

interface TourPartner {
  /** The partner's id in the sandbox configuration. */
  id: string;
  label: string;
  /** Checks the partner's landing page: 'ok…' or what was wrong. */
  verify(landing: Page, nhsNumber: string): Promise<string>;
}

const TOUR_PARTNERS: TourPartner[] = [
  {
    id: 'parchment',
    label: 'Parchment',
    async verify(landing, nhsNumber) {
      const user = (await landing.getByTestId('signed-in-user').textContent({ timeout: 5_000 }))?.trim() ?? '';
      const linked = PARCHMENT.patients.some((p) => p.nhsNumber === nhsNumber && p.organizationId === PARCHMENT.organizationId);
      // A patient Parchment does not know lands on the dashboard (and the bar says so); others on their record.
      const shown = linked
        ? (await landing.getByTestId('patient-nhs').textContent({ timeout: 5_000 }))?.trim()
        : (await landing.getByTestId('page-kind').textContent({ timeout: 5_000 }))?.trim();
      const expected = linked ? nhsNumber : 'dashboard';
      if (shown !== expected || !user.includes('Alice Jones')) return `wrong landing (${shown ?? 'nothing'}, ${user})`;
      return linked ? 'ok' : 'ok (dashboard: not linked)';
    },
  },
  {
    id: 'knowledge-base',
    label: 'Knowledge base',
    async verify(landing) {
      const user = (await landing.getByTestId('signed-in-username').textContent({ timeout: 5_000 }))?.trim();
      // The knowledge base signs in the verified username: the SDS user id under the CIS2 preset.
      return user === ORG_IDP.users[0]!.uid ? 'ok' : `wrong landing (${user ?? 'not signed in'})`;
    },
  },
  {
    id: 'nhs-login',
    label: 'NHS login',
    async verify(landing) {
      const user = (await landing.getByTestId('rp2-user').textContent({ timeout: 5_000 }))?.trim();
      const prompted = (await landing.getByTestId('rp2-prompt-shown').textContent({ timeout: 5_000 }))?.trim();
      return user === NHS_LOGIN.users[0]!.id && prompted === 'false' ? 'ok (no prompt)' : `wrong landing (${user ?? 'not signed in'})`;
    },
  },
  {
    id: 'pkb',
    label: 'Patients Know Best',
    async verify(landing, nhsNumber) {
      await landing.waitForURL(/patientSummary\.action/, { timeout: 10_000 });
      const shown = (await landing.getByTestId('pkb-patient-nhs').textContent({ timeout: 5_000 }))?.trim();
      const user = (await landing.getByTestId('pkb-user').textContent({ timeout: 5_000 }))?.trim();
      return shown === nhsNumber && user === 'Dr Alice Jones' ? 'ok' : `wrong landing (${shown ?? 'nothing'}, ${user ?? 'no user'})`;
    },
  },
  {
    id: 'black-pear',
    label: 'Black Pear',
    async verify(landing, nhsNumber) {
      const shown = (await landing.getByTestId('patient-nhs').textContent({ timeout: 5_000 }))?.trim();
      const user = (await landing.getByTestId('user-name').textContent({ timeout: 5_000 }))?.trim();
      return shown === nhsNumber && user === 'Dr Alice Jones' ? 'ok' : `wrong landing (${shown ?? 'nothing'}, ${user ?? 'no user'})`;
    },
  },
];

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
    row.outcome = await partner.verify(landing, nhsNumber);
    await landing.screenshot({ path: join(shots, `${index}-${slug}-${nhsNumber}.png`) });
    await landing.close();
  } catch (error) {
    row.outcome = `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  } finally {
    await ehr.close();
  }
  return row;
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
  let browser: Awaited<ReturnType<typeof launchWithExtension>> | undefined;
  try {
    if (withBroker) {
      // The tour's broker keeps its audit and keys in memory (PGlite), whatever database this shell points at.
      delete process.env.DATABASE_URL;
      delete process.env.BROKER_DATA_DIR;
      broker = await BrokerProcess.start(sandbox.urls);
      console.log(`Launch broker running: ${broker.url} (${BROKER_PARTNERS.join(', ')} go through it)`);
    }
    browser = await launchWithExtension({ headless });
    if (broker) {
      // The extension is told the broker's address and which partners go through it, and gets no partner secret.
      const base = sandboxExtensionConfig(sandbox.urls);
      const config = { ...base, broker: { url: broker.url }, partners: base.partners.map((p) => (BROKER_PARTNERS.includes(p.id) ? { ...p, via: 'broker' } : p)) };
      await setUpExtension(browser.context, sandbox.urls, { config, skipSecrets: true });
      // Black Pear trusts the broker's published keys (its JWKS URL), as it would be enrolled once per organisation.
      const enrolled = await fetch(`${sandbox.urls['black-pear']}/__sandbox/settings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jwksUrls: [`${broker.url}/.well-known/jwks.json`] }),
      });
      if (!enrolled.ok) throw new Error(`Black Pear enrolment of the broker failed: ${enrolled.status}`);
    } else {
      await setUpExtension(browser.context, sandbox.urls);
    }
    if (!headless) {
      console.log(`Pair with Patients Know Best from the toolbar menu: sign in as ${PKB.clinicians[0]!.username} / ${PKB.clinicians[0]!.password}.`);
      const page = await browser.context.newPage();
      await page.goto(`${sandbox.urls.ehr}/`);
      console.log('Chromium is open with EHR Launchpad loaded on the demo EHR. Close the browser window to stop.');
      const context = browser.context;
      await new Promise<void>((done) => context.on('close', () => done()));
      return 0;
    }
    const shots = resolve('tour-screenshots', new Date().toISOString().replace(/[:.]/g, '-'));
    await mkdir(shots, { recursive: true });
    const rows: TourRow[] = [];
    let index = 1;
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
    if (broker) {
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
    for (const partner of TOUR_PARTNERS) {
      for (const patient of PATIENTS) {
        const row = await launchOnce(browser.context, sandbox.urls, partner, patient.nhsNumber, shots, index++);
        if (broker) row.via = BROKER_PARTNERS.includes(partner.id) ? 'broker' : 'extension';
        rows.push(row);
      }
    }
    console.log('');
    console.log(`Verified clinician: ${identity.who} SDS user id ${identity.sds}; role ${identity.role}; signed in until ${identity.until}.`);
    console.log('');
    printTable(rows);
    if (broker) {
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
    await browser?.close().catch(() => undefined);
    await broker?.stop();
    await sandbox.close();
  }
}


main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
