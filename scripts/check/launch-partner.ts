import type { BrowserContext, Page, Response } from '@playwright/test';
import { LaunchBar } from '../../tests/e2e/pages/launch-bar';
import type { Messenger } from './messenger';
import { launchRow, OPENING, type CheckRow, type LaunchSeen } from './outcome';

/**
 * One launch as a clinician makes it: the EHR page in a tab of its own, a real mouse click on the partner's
 * button once the bar has been still (as the headless tour in scripts/start.ts does), then what followed.
 */

const LAUNCH_TIMEOUT_MS = 30_000;
/** After a launch the extension recorded as sent, how long a partner tab may take to appear. */
const TAB_GRACE_MS = 5_000;
const POLL_MS = 100;
/** How long the bar may take to say why, once the audit has the outcome. */
const WORDS_WAIT_MS = 5_000;

interface AuditEntry {
  id: string;
  event: string;
  partnerId: string;
  outcome: string;
  code?: string;
}

async function launchEntries(messenger: Messenger, partnerId: string): Promise<AuditEntry[]> {
  const { entries } = await messenger.send<{ entries: AuditEntry[] }>('audit.list', {});
  return entries.filter((e) => e.event === 'launch' && e.partnerId === partnerId);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The main document's HTTP status of each page, kept as responses arrive (a new tab's first one included). */
function watchStatuses(context: BrowserContext): { statusOf(page: Page): number | undefined; stop(): void } {
  const statuses = new WeakMap<Page, number>();
  const onResponse = (response: Response) => {
    try {
      const frame = response.frame();
      if (response.request().isNavigationRequest() && frame === frame.page().mainFrame()) statuses.set(frame.page(), response.status());
    } catch {
      // A service worker's response has no frame.
    }
  };
  context.on('response', onResponse);
  return { statusOf: (page) => statuses.get(page), stop: () => context.off('response', onResponse) };
}

export async function launchPartner(context: BrowserContext, messenger: Messenger, pageUrl: string, partner: { id: string; label: string }): Promise<CheckRow> {
  const ehr = await context.newPage();
  const opened: Page[] = [];
  const onPage = (page: Page) => opened.push(page);
  const statuses = watchStatuses(context);
  try {
    await ehr.goto(pageUrl);
    const bar = new LaunchBar(ehr);
    const ready = await bar.waitFor((b) => b.buttons.some((button) => isFor(button.name, partner.label) && !button.disabled), 15_000);
    const name = ready.buttons.find((button) => isFor(button.name, partner.label) && !button.disabled)!.name;
    const before = new Set((await launchEntries(messenger, partner.id)).map((e) => e.id));
    // Not timed: a person reading the bar gives it this moment anyway.
    await bar.settle(name);
    context.on('page', onPage);
    const started = performance.now();
    await bar.clickNow(name);

    const seen: LaunchSeen = { audit: null, landing: null, barStatus: '', ms: 0, waitedMs: 0 };
    const deadline = Date.now() + LAUNCH_TIMEOUT_MS;
    let auditAt: number | null = null;
    while (Date.now() < deadline) {
      if (!seen.landing && opened[0]) {
        seen.landing = { url: await landed(opened[0], deadline) };
        seen.ms = Math.round(performance.now() - started);
      }
      if (!seen.audit) {
        const entry = (await launchEntries(messenger, partner.id)).find((e) => !before.has(e.id));
        if (entry) {
          seen.audit = { outcome: entry.outcome, ...(entry.code ? { code: entry.code } : {}) };
          auditAt = Date.now();
          if (!seen.landing) seen.ms = Math.round(performance.now() - started);
        }
      }
      if (seen.audit && (seen.landing || seen.audit.outcome !== 'ok' || Date.now() - auditAt! > TAB_GRACE_MS)) break;
      await sleep(POLL_MS);
    }
    seen.waitedMs = Math.round(performance.now() - started);
    if (!seen.audit) seen.ms = seen.waitedMs;
    if (seen.landing && opened[0]) {
      const status = statuses.statusOf(opened[0]);
      seen.landing = { url: opened[0].url(), ...(status !== undefined ? { status } : {}) };
    }
    // The bar's words are for a launch that did not work (reading the whole accessibility tree takes a moment).
    if (seen.audit?.outcome !== 'ok' || !seen.landing) seen.barStatus = await barWords(bar);
    return launchRow(partner.label, seen);
  } catch (error) {
    return { partner: partner.label, outcome: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, ms: null, failed: true };
  } finally {
    context.off('page', onPage);
    statuses.stop();
    for (const page of [...opened, ehr]) await page.close().catch(() => undefined);
  }
}

/**
 * The bar's words for the launch. The background writes the audit entry before it answers the bar, so on a busy
 * machine the line may still say "Opening…" when the audit already says failed: wait, briefly, for the words.
 */
async function barWords(bar: LaunchBar): Promise<string> {
  const said = await bar.waitFor((b) => b.status.trim() !== '' && !OPENING.test(b.status), WORDS_WAIT_MS).catch(() => null);
  return (said ?? (await bar.snapshot().catch(() => null)))?.status ?? '';
}

/** The bar names each launch button "Open <patient> in <partner>". */
function isFor(buttonName: string, label: string): boolean {
  return buttonName.startsWith('Open ') && buttonName.endsWith(` in ${label}`);
}

/** Waits for the tab's partner page to load: past the extension's own hand-off page, if the launch used one. */
async function landed(page: Page, deadline: number): Promise<string> {
  const timeout = () => Math.max(1, deadline - Date.now());
  await page.waitForLoadState('domcontentloaded', { timeout: timeout() }).catch(() => undefined);
  if (page.url().startsWith('chrome-extension:')) {
    await page.waitForURL((url) => url.protocol !== 'chrome-extension:', { timeout: timeout(), waitUntil: 'domcontentloaded' }).catch(() => undefined);
  }
  return page.url();
}
