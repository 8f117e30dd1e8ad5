import type { BrowserContext, Page } from '@playwright/test';
import { PATIENTS } from '../sandbox/fixtures';
import { sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import { expect, test } from './fixtures';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage, PopupPage } from './pages/extension-pages';
import { PartnerStrip } from './pages/partner-strip';
import { ServiceWorkerInternals } from './pages/service-worker-internals';

/**
 * Partner tabs follow the EHR tab they were opened from: a tab opened for one patient is marked, closed or
 * relaunched (by its partner's setting) when the EHR moves on to another patient, closes, leaves the EHR, or
 * the clinician signs out.
 */

const [john, zoe, priya] = [PATIENTS[0]!, PATIENTS[1]!, PATIENTS[2]!];
const JOHN_RX = 'Open John Smith in Parchment';
const ZOE = "Zoë O'Brien-Smith";

/** The sandbox configuration with some partners' `staleTab` (and `readOnly`) set. */
function configWith(sandbox: SandboxUrls, settings: Record<string, { staleTab?: string; readOnly?: boolean }>) {
  const config = sandboxExtensionConfig(sandbox);
  return { ...config, partners: config.partners.map((p) => ({ ...p, ...(settings[p.id] ?? {}) })) };
}

/** The single-page demo EHR on a patient, with the bar drawn. */
async function spaOn(context: BrowserContext, sandbox: SandboxUrls, nhsNumber: string, button: string): Promise<EhrPage> {
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.page.goto(`${sandbox.ehr}/spa/${nhsNumber}`);
  await ehr.bar.waitForButton(button);
  return ehr;
}

/** The SPA switches patient in place, as the clinician picks another from its list. */
async function switchTo(ehr: EhrPage, nhsNumber: string, button: string): Promise<void> {
  await ehr.page.bringToFront();
  await ehr.page.getByTestId(`spa-patient-${nhsNumber}`).click();
  await ehr.bar.waitForButton(button);
}

/** John Smith's Parchment tab, opened from the SPA EHR, marked after the EHR switched to Zoë. */
async function markedJohnTab(context: BrowserContext, sandbox: SandboxUrls): Promise<{ ehr: EhrPage; rx: Page; strip: PartnerStrip }> {
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  const strip = new PartnerStrip(rx);
  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  await strip.waitForText(/Opened for John Smith/);
  return { ehr, rx, strip };
}

async function auditEvents(context: BrowserContext): Promise<{ event: string; partnerId: string; nhsNumber: string | null; nhsNumberNow?: string | null; outcome: string; code?: string }[]> {
  const options = await OptionsPage.open(context);
  const answer = (await options.page.evaluate(() => chrome.runtime.sendMessage({ type: 'audit.list', payload: {} }))) as { ok: boolean; data: { entries: never[] } };
  await options.page.close();
  return answer.data.entries;
}

const title = (page: Page) => page.evaluate(() => document.title);

test('the EHR switching patient marks the Parchment tab, and "Open … here" relaunches it for the new patient', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  await expect(rx.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  const strip = new PartnerStrip(rx);
  expect(await strip.snapshot()).toBeNull();

  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  const marked = await strip.waitForText(/Opened for John Smith \(999 000 0018\)/);
  expect(marked.text).toContain(`The EHR now shows ${ZOE} (999 123 4578)`);
  expect(marked.buttons.map((b) => b.name)).toEqual([`Open ${ZOE} here`, 'Close tab', 'Keep this tab']);
  await expect.poll(() => title(rx)).toMatch(/^⚠ /);

  // The EHR goes back to John: his tab is right again, and the strip goes.
  await switchTo(ehr, john.nhsNumber, JOHN_RX);
  await strip.waitForNone();
  await expect.poll(() => title(rx)).not.toMatch(/^⚠/);

  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  await strip.waitForText(/Opened for John Smith/);
  await strip.click(`Open ${ZOE} here`);
  await expect(rx.getByTestId('patient-nhs')).toHaveText(zoe.nhsNumber);
  await strip.waitForNone();
  expect(context.pages().filter((p) => p.url().startsWith(sandbox['parchment-portal']))).toHaveLength(1);

  // The audit entries are written just after what they describe: polled.
  await expect
    .poll(() => auditEvents(context))
    .toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'tab-marked', partnerId: 'parchment', nhsNumber: john.nhsNumber, nhsNumberNow: zoe.nhsNumber, outcome: 'ok', code: 'patient-changed' }),
        expect.objectContaining({ event: 'tab-relaunched', nhsNumber: john.nhsNumber, nhsNumberNow: zoe.nhsNumber, outcome: 'ok' }),
      ]),
    );
});

test('"Keep this tab" (from the keyboard) takes the strip away until the EHR moves again; "Close tab" closes it', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const { ehr, rx, strip } = await markedJohnTab(context, sandbox);
  await strip.press('Keep this tab');
  await strip.waitForNone();
  await expect.poll(() => title(rx)).not.toMatch(/^⚠/);

  await switchTo(ehr, priya.nhsNumber, 'Open Priya Patel in Parchment');
  await strip.waitForText(/The EHR now shows Priya Patel/);
  const closed = rx.waitForEvent('close');
  await strip.click('Close tab');
  await closed;
});

test('a partner set to close has its tab closed when the EHR switches patient', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: configWith(sandbox, { parchment: { staleTab: 'close' } }) });
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  const closed = rx.waitForEvent('close');
  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  await closed;
  await expect
    .poll(async () => (await auditEvents(context)).filter((e) => e.event === 'tab-closed'))
    .toEqual([expect.objectContaining({ partnerId: 'parchment', nhsNumber: john.nhsNumber, code: 'patient-changed' })]);
});

test('a read-only partner set to follow is relaunched for the new patient in the same tab', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: configWith(sandbox, { 'black-pear': { staleTab: 'follow', readOnly: true } }) });
  const ehr = await spaOn(context, sandbox, john.nhsNumber, 'Open John Smith in Black Pear');
  const app = await ehr.launch('Open John Smith in Black Pear');
  await expect(app.getByTestId('patient-nhs')).toHaveText(john.nhsNumber);
  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Black Pear`);
  await expect(app.getByTestId('patient-nhs')).toHaveText(zoe.nhsNumber);
  expect(await new PartnerStrip(app).snapshot()).toBeNull();
  await expect
    .poll(async () => (await auditEvents(context)).filter((e) => e.event === 'tab-followed'))
    .toEqual([expect.objectContaining({ partnerId: 'black-pear', nhsNumber: john.nhsNumber, nhsNumberNow: zoe.nhsNumber, outcome: 'ok' })]);
});

test('two EHR tabs with two patients each keep their own partner tabs', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const first = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const johns = await first.launch(JOHN_RX);
  const second = await spaOn(context, sandbox, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  const zoes = await second.launch(`Open ${ZOE} in Parchment`);

  await switchTo(first, priya.nhsNumber, 'Open Priya Patel in Parchment');
  await new PartnerStrip(johns).waitForText(/Opened for John Smith .*The EHR now shows Priya Patel/);
  expect(await new PartnerStrip(zoes).snapshot()).toBeNull();
});

test('the EHR tab closed marks the partner tabs it opened', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  await ehr.page.close();
  const strip = await new PartnerStrip(rx).waitForText(/The EHR tab it was opened from has been closed/);
  expect(strip.buttons.map((b) => b.name)).toEqual(['Close tab', 'Keep this tab']);
});

test('the EHR tab leaving the EHR marks the partner tabs it opened', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  await ehr.page.goto(`${sandbox.phpkb}/`);
  await new PartnerStrip(rx).waitForText(/has moved away from the patient record/);
});

test('sign-out marks or closes each partner tab by its setting', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension({ config: configWith(sandbox, { 'black-pear': { staleTab: 'close' } }) });
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  const bp = await ehr.launch('Open John Smith in Black Pear');
  const bpClosed = bp.waitForEvent('close');
  const popup = await PopupPage.open(context);
  await popup.page.getByRole('button', { name: 'Sign out' }).click();
  await bpClosed;
  await new PartnerStrip(rx).waitForText(/The clinician who opened it has signed out/);
});

test('a partner whose launch carries no patient (the knowledge base) is not marked when the EHR switches patient', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const kb = await ehr.launch('Open John Smith in Knowledge base');
  const rx = await ehr.launch(JOHN_RX);
  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  await new PartnerStrip(rx).waitForText(/Opened for John Smith/);
  expect(await new PartnerStrip(kb).snapshot()).toBeNull();
});

test('the worker stopped between the launch and the switch still marks the tab', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const ehr = await spaOn(context, sandbox, john.nhsNumber, JOHN_RX);
  const rx = await ehr.launch(JOHN_RX);
  const internals = await ServiceWorkerInternals.open(context);
  await internals.stop();
  await switchTo(ehr, zoe.nhsNumber, `Open ${ZOE} in Parchment`);
  await new PartnerStrip(rx).waitForText(/Opened for John Smith/);
});

test('a partner page that deletes the strip or strips the title gets them back', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const { rx, strip } = await markedJohnTab(context, sandbox);
  // Page script removes whatever it did not put there, and rewrites its title.
  await rx.evaluate(() => {
    for (const element of [...document.documentElement.children]) if (element !== document.head && element !== document.body) element.remove();
    document.title = 'Parchment';
  });
  await strip.waitForText(/Opened for John Smith/);
  await expect.poll(() => title(rx)).toMatch(/^⚠ /);
  // A reload of the partner page keeps the mark.
  await rx.reload();
  await strip.waitForText(/Opened for John Smith/);
});

test('the popup lists the partner tabs opened from the EHR tab, and switches to or closes them', async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const { ehr, rx } = await markedJohnTab(context, sandbox);
  const popup = await PopupPage.open(context);
  await ehr.page.bringToFront();
  await popup.page.reload();
  const list = popup.page.getByTestId('partner-tabs');
  await expect(list).toContainText('Parchment');
  await expect(list).toContainText('John Smith');
  await expect(list).toContainText('999 000 0018');
  await expect(list).toContainText(/Marked/);
  const closed = rx.waitForEvent('close');
  await popup.page.getByRole('button', { name: 'Close the Parchment tab for John Smith' }).click();
  await closed;
  await expect(list).toHaveCount(0);
});

test('a modal dialog the partner page opens does not cover the strip: it stays readable and clickable', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension }) => {
  await setUpExtension();
  const { rx, strip } = await markedJohnTab(context, sandbox);
  // A modal dialog is drawn above any z-index, and makes the rest of the page inert.
  await rx.evaluate(() => {
    const d = document.createElement('dialog');
    d.textContent = 'x';
    document.body.append(d);
    d.showModal();
  });
  await strip.waitForText(/Opened for John Smith/);
  // The strip took no focus from the page's dialog.
  expect(await rx.evaluate(() => document.activeElement?.localName)).toBe('dialog');
  await strip.click('Keep this tab');
  await strip.waitForNone();
  expect(await rx.evaluate(() => document.querySelector('dialog')?.matches(':modal'))).toBe(true);
});
