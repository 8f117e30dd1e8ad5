import type { BrowserContext, Worker } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { PKB } from '../sandbox/pkb-fixtures';
import { sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { PopupPage } from './pages/extension-pages';
import { ServiceWorkerInternals } from './pages/service-worker-internals';

/**
 * Patients Know Best end to end: pair once from the popup (PKB's sign-in page in the browser's auth window),
 * then one click from the demo EHR lands on the patient's PKB summary, signed in as the clinician.
 */

const [john, zoe, priya] = [PATIENTS[0]!, PATIENTS[1]!, PATIENTS[2]!];
const jones = PKB.clinicians[0]!;
const LABEL = 'Patients Know Best';
const JOHN_BUTTON = 'Open John Smith in Patients Know Best';

interface PkbStats {
  tokenRequests: Record<string, number>;
  otpMinted: number;
  otpRedeemed: number;
  otpRefused: number;
  dataFromOtherOrgRequests: number;
}

async function stats(sandbox: SandboxUrls): Promise<PkbStats> {
  return (await (await fetch(`${sandbox.pkb}/_sandbox/stats`)).json()) as PkbStats;
}

function configWith(sandbox: SandboxUrls, pkb: Record<string, unknown>) {
  const config = sandboxExtensionConfig(sandbox);
  return { ...config, partners: config.partners.map((p) => (p.id === 'pkb' ? { ...p, ...pkb } : p)) };
}

async function pair(context: BrowserContext): Promise<void> {
  const popup = await PopupPage.open(context);
  expect(await popup.pairWith('pkb', LABEL, jones.username, jones.password)).toBe(`Paired with ${LABEL}.`);
  await popup.page.close();
}

/** Whether the access token the extension holds for Dr Jones has expired, by the worker's own clock (or there is none). */
async function accessTokenExpired(worker: Worker): Promise<boolean> {
  return worker.evaluate(async () => {
    const key = 'accessToken:pkb/dr.jones';
    const held = (await chrome.storage.session.get(key))[key] as { expiresAt?: unknown } | undefined;
    if (held === undefined) return true;
    if (typeof held.expiresAt !== 'number') throw new Error('The held access token has no expiry to wait for');
    return held.expiresAt <= Date.now();
  });
}

/** Keys the extension holds in an area, read in its own worker. */
async function storedKeys(worker: Worker, area: 'local' | 'session'): Promise<string[]> {
  return worker.evaluate(async (name) => Object.keys(await chrome.storage[name].get(null)), area);
}

test.beforeEach(async ({ control }) => {
  await control('pkb', 'reset', { method: 'POST' });
});

test('pair once from the popup, then one click opens the patient summary signed in as the clinician', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.launchRefused(JOHN_BUTTON, /Pair with Patients Know Best first/);

  await pair(context);
  // The refresh token is sealed at rest; the access token is only in session storage.
  expect(await storedKeys(worker, 'local')).toContain('pairing:pkb/dr.jones');
  expect(await storedKeys(worker, 'session')).toContain('accessToken:pkb/dr.jones');

  await ehr.page.reload();
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-user')).toHaveText(jones.name);
  await expect(summary.getByTestId('pkb-patient-nhs')).toHaveText(john.nhsNumber);
  expect(new URL(summary.url()).pathname).toBe('/clinician/patientSummary.action');
  const counted = await stats(sandbox);
  expect(counted.otpMinted).toBe(1);
  expect(counted.otpRedeemed).toBe(1);
});

test('the PKB button says when PKB holds data from other organisations, visibly and to screen readers', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  await pair(context);
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const bar = await ehr.bar.waitFor((b) => b.text.includes('other organisations'));
  expect(bar.buttons.find((b) => b.name === JOHN_BUTTON)?.description).toMatch(/holds data for this patient from other organisations/);
  await ehr.openPatient(zoe.nhsNumber);
  await ehr.bar.waitForButton(`Open Zoë O'Brien-Smith in ${LABEL}`);
  await expect.poll(async () => (await stats(sandbox)).dataFromOtherOrgRequests).toBe(2);
  // PKB has answered for Zoë (no other data). Then Priya, in another tab, is asked about and her answer (other
  // data) reaches her bar: by then Zoë's answer, given before Priya's page was even opened, has been read too.
  const later = new EhrPage(await context.newPage(), sandbox.ehr);
  await later.openPatient(priya.nhsNumber);
  await later.bar.waitFor((b) => b.text.includes('other organisations'));
  expect(await stats(sandbox)).toMatchObject({ dataFromOtherOrgRequests: 3 });
  expect((await ehr.bar.snapshot())?.text).not.toContain('other organisations');
});

test('a refused OTP is replaced once in the same tab; refused twice, the bar says so', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension();
  await pair(context);
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);

  await control('pkb', 'settings', { body: { refuseNextOtps: 1 } });
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-patient-nhs')).toHaveText(john.nhsNumber);
  let counted = await stats(sandbox);
  expect(counted.otpMinted).toBe(2);
  expect(counted.otpRefused).toBe(1);
  await summary.close();

  await control('pkb', 'settings', { body: { refuseNextOtps: 2 } });
  await ehr.bar.click(JOHN_BUTTON);
  await ehr.bar.waitForStatus(/refused the sign-in twice/);
  counted = await stats(sandbox);
  expect(counted.otpMinted).toBe(4);
  expect(counted.otpRefused).toBe(3);
});

test('an OTP endpoint that fails (5xx) or hangs ends in a readable error and no tab', async ({ context, sandbox, setUpExtension, control }) => {
  await setUpExtension({ config: configWith(sandbox, { timeoutMs: 3000 }) });
  await pair(context);
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await control('pkb', 'faults', { body: { path: '/api/sso/otp', status: 503 } });
  await ehr.launchRefused(JOHN_BUTTON, /Patients Know Best is not available right now\. Try again shortly\.$/);
  await control('pkb', 'faults', { method: 'DELETE' });
  await control('pkb', 'faults', { body: { path: '/api/sso/otp', delayMs: 35_000 } });
  const started = Date.now();
  await ehr.launchRefused(JOHN_BUTTON, /did not answer in time/);
  expect(Date.now() - started).toBeLessThan(30_000);
});

test('a revoked pairing shows "pair again" in the bar and the popup, with no retry loop; pairing again works', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  await pair(context);
  await fetch(`${sandbox.pkb}/_sandbox/revoke-refresh-tokens`, { method: 'POST' });
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.launchRefused(JOHN_BUTTON, /Patients Know Best pairing has ended/);
  const after = await stats(sandbox);
  expect(after.tokenRequests.refresh_token).toBe(1);

  const popup = await PopupPage.open(context);
  expect(await popup.pairingState('pkb')).toBe('pairing ended: pair again');
  expect(await popup.pairWith('pkb', LABEL, jones.username, jones.password, 'Pair again with')).toBe(`Paired with ${LABEL}.`);
  await ehr.page.reload();
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-user')).toHaveText(jones.name);
});

test('unpair and sign-out remove the pairing and every token from the extension, and revoke it at PKB', async ({ context, setUpExtension, worker }) => {
  await setUpExtension();
  await pair(context);
  let popup = await PopupPage.open(context);
  expect(await popup.unpair('pkb', LABEL)).toBe(`${LABEL} is no longer paired on this computer.`);
  expect((await storedKeys(worker, 'local')).filter((k) => k.startsWith('pairing:'))).toEqual([]);
  expect((await storedKeys(worker, 'session')).filter((k) => k.startsWith('accessToken:'))).toEqual([]);
  await popup.page.close();

  await pair(context);
  popup = await PopupPage.open(context);
  await popup.page.getByRole('button', { name: 'Sign out' }).click();
  await popup.page.getByTestId('sign-out-result').locator('p').waitFor();
  expect((await storedKeys(worker, 'local')).filter((k) => k.startsWith('pairing:'))).toEqual([]);
  expect((await storedKeys(worker, 'session')).filter((k) => k.startsWith('accessToken:'))).toEqual([]);
});

test('the worker stopped between pairing and launch keeps the pairing', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  await pair(context);
  const internals = await ServiceWorkerInternals.open(context);
  await internals.stop();
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-patient-nhs')).toHaveText(john.nhsNumber);
});

test('eager prefetch mints the OTP when the patient is detected, spends it on the click, and drops it on a patient change', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: configWith(sandbox, { prefetch: 'eager' }) });
  await pair(context);
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(zoe.nhsNumber);
  await expect.poll(async () => (await stats(sandbox)).otpMinted).toBe(1);
  // Another patient: the first OTP is dropped (never redeemed) and one is minted for the new patient.
  await ehr.openPatient(john.nhsNumber);
  await expect.poll(async () => (await stats(sandbox)).otpMinted).toBe(2);
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-patient-nhs')).toHaveText(john.nhsNumber);
  const counted = await stats(sandbox);
  expect(counted.otpMinted).toBe(2);
  expect(counted.otpRedeemed).toBe(1);
});

test('an eagerly prefetched OTP outlives the worker being stopped: the click after the restart spends it, and no second one is minted', async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension({ config: configWith(sandbox, { prefetch: 'eager' }) });
  await pair(context);
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await expect.poll(async () => (await stats(sandbox)).otpMinted).toBe(1);
  // Kept (sealed) in session storage before the worker goes, as it would be 30 s into reading the record.
  await expect.poll(async () => worker.evaluate(async () => Object.keys(await chrome.storage.session.get(null)).filter((k) => k.startsWith('prefetch:')).length)).toBe(1);
  const internals = await ServiceWorkerInternals.open(context);
  await internals.stop();
  expect(await internals.runningStatus()).toBe('STOPPED');

  await ehr.page.bringToFront();
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-patient-nhs')).toHaveText(john.nhsNumber);
  const counted = await stats(sandbox);
  expect(counted.otpMinted).toBe(1);
  expect(counted.otpRedeemed).toBe(1);
});

test('hover prefetch mints the OTP when the pointer reaches the button, not before', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: configWith(sandbox, { prefetch: 'hover' }) });
  await pair(context);
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  // The report's follow-up work (an eager prefetch would start first, then the hint lookup) has been to PKB and
  // back: John's hint is on the bar. No OTP was minted for it.
  await ehr.bar.waitFor((b) => b.buttons.some((button) => button.name === JOHN_BUTTON) && b.text.includes('other organisations'));
  expect((await stats(sandbox)).otpMinted).toBe(0);
  await ehr.bar.hover(JOHN_BUTTON);
  await expect.poll(async () => (await stats(sandbox)).otpMinted).toBe(1);
  const summary = await ehr.launch(JOHN_BUTTON);
  await expect(summary.getByTestId('pkb-patient-nhs')).toHaveText(john.nhsNumber);
  expect((await stats(sandbox)).otpMinted).toBe(1);
});

for (const grace of [60, 0]) {
  test(`the worker stopped during a refresh: ${grace ? 'PKB honours the lost rotation and the pairing survives' : 'a strict PKB refuses the replay and the bar asks to pair again, once'}`, async ({ context, sandbox, setUpExtension, control, worker }) => {
    await setUpExtension();
    await control('pkb', 'settings', { body: { accessTokenTtlSeconds: 2, refreshTokenReuseGraceSeconds: grace } });
    await pair(context);
    const internals = await ServiceWorkerInternals.open(context);
    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    // The page's own PKB hint has been looked up (it may have refreshed the 2-second token once), and the
    // token the extension holds has expired since: the click must refresh.
    await ehr.bar.waitFor((b) => b.buttons.some((button) => button.name === JOHN_BUTTON) && b.text.includes('other organisations'));
    await expect.poll(() => accessTokenExpired(worker)).toBe(true);
    // Counted from here.
    const before = (await stats(sandbox)).tokenRequests.refresh_token ?? 0;
    await control('pkb', 'faults', { body: { path: '/oauth/token', delayMs: 3_000, times: 1 } });
    await ehr.bar.click(JOHN_BUTTON);
    // The delay rule is used up when the refresh request reaches PKB, which holds it for 3 s.
    await expect.poll(() => control('pkb', 'faults')).toEqual([]);
    await internals.stop(); // the refresh request is at PKB; its answer will never be read
    await expect.poll(async () => (await stats(sandbox)).tokenRequests.refresh_token, { timeout: 10_000 }).toBe(before + 1);
    // The click's launch has ended with the worker (the bar no longer says it is opening), so the next click launches.
    await ehr.bar.waitFor((b) => !b.status.includes(`Opening ${LABEL}`));

    if (grace) {
      const summary = await ehr.launch(JOHN_BUTTON);
      await expect(summary.getByTestId('pkb-user')).toHaveText(jones.name);
      expect((await stats(sandbox)).tokenRequests.refresh_token).toBe(before + 2);
    } else {
      await ehr.launchRefused(JOHN_BUTTON, /pairing has ended/);
      await ehr.launchRefused(JOHN_BUTTON, /pairing has ended|Pair with|Pair again/);
      expect((await stats(sandbox)).tokenRequests.refresh_token).toBe(before + 2);
    }
  });
}
