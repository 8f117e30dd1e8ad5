import type { BrowserContext } from '@playwright/test';
import { extensionWorker } from '../../tests/e2e/browser';
import { resultFromReport, type Messages, type PageResult, type TabReport } from './format';

/**
 * Opens one page and reads what the real content script reported to the background for its tab, as the
 * popup would (chrome.storage.session `tab:<id>`, read in the service worker). A patient is taken once the
 * report has held still for a moment; "no patient" only when none appeared before the timeout, so a late
 * banner still counts.
 */

const NAVIGATION_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
/** A report must hold this long before a patient is taken: a page still drawing may change it. */
const SETTLED_MS = 500;
/** However short the timeout, the content script gets this long to send its first report. */
const FIRST_REPORT_MS = 5_000;

export async function readPage(context: BrowserContext, messages: Messages, input: string, url: string, timeoutMs: number): Promise<PageResult> {
  const page = await context.newPage();
  try {
    let status: number | undefined;
    let statusText = '';
    try {
      const response = await page.goto(url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
      status = response?.status();
      statusText = response?.statusText() ?? '';
    } catch (error) {
      return { input, url, outcome: 'not-loaded', patient: null, reason: navigationError(error) };
    }
    if (status !== undefined && status >= 400) return { input, url, outcome: 'not-loaded', patient: null, reason: `HTTP ${status}${statusText ? ` ${statusText}` : ''}` };

    const deadline = Date.now() + timeoutMs;
    const firstReportDeadline = Date.now() + Math.max(timeoutMs, FIRST_REPORT_MS);
    let last: TabReport | null = null;
    let lastKey = '';
    let changedAt = Date.now();
    for (;;) {
      const report = await tabReport(context, page.url());
      const key = JSON.stringify(report);
      if (key !== lastKey) {
        last = report;
        lastKey = key;
        changedAt = Date.now();
      }
      const now = Date.now();
      if (last?.context && now - changedAt >= SETTLED_MS) break;
      if (now >= deadline && (last || now >= firstReportDeadline)) break;
      await page.waitForTimeout(POLL_MS);
    }
    if (!last) {
      return { input, url: page.url(), outcome: 'not-read', patient: null, reason: 'the content script reported nothing for this page (is its address covered by the profile\'s paths?)' };
    }
    return resultFromReport(input, page.url(), last, messages);
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** The stored report of the one tab showing this address, or null while there is none. */
async function tabReport(context: BrowserContext, url: string): Promise<TabReport | null> {
  try {
    return await storedReport(context, url);
  } catch {
    // The service worker may have been stopped and restarted in between: ask the new one (once).
    return storedReport(context, url);
  }
}

async function storedReport(context: BrowserContext, url: string): Promise<TabReport | null> {
  const worker = await extensionWorker(context);
  return worker.evaluate(async (address) => {
    const tabs = (await chrome.tabs.query({})).filter((tab) => tab.url === address && tab.id !== undefined);
    if (tabs.length !== 1) return null;
    const key = `tab:${tabs[0]!.id}`;
    const stored = (await chrome.storage.session.get(key))[key] as TabReport | undefined;
    if (!stored) return null;
    const report: TabReport = { context: stored.context ?? null };
    if (stored.problem) report.problem = stored.problem;
    if (stored.reason) report.reason = stored.reason;
    return report;
  }, url);
}

/** `net::ERR_NAME_NOT_RESOLVED`, `Timeout 30000ms exceeded`: the first line of the browser's error. */
function navigationError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).replace(/^page\.goto:\s*/, '').replace(/ at https?:\/\/\S+$/, '').trim() || 'the page did not load';
}
