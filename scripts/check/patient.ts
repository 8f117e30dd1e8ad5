import type { BrowserContext } from '@playwright/test';
import { extensionWorker } from '../../tests/e2e/browser';
import type { Messenger } from './messenger';

/**
 * Opens the EHR page and waits for the patient the extension reads there, as the popup sees it (`status.get`
 * for the page's tab). Answers the partners' states too, so the check knows which ones the bar offers.
 */

const WAIT_MS = 15_000;
/** A reading must hold this long: a page still drawing may change it. */
const SETTLED_MS = 500;

export interface PatientName {
  family: string;
  given: string;
  prefix?: string;
}

export interface PartnerState {
  id: string;
  label: string;
  state: string;
  message?: string;
}

export type PatientFound =
  | { found: true; nhsNumber: string; name: PatientName; partners: PartnerState[]; notSignedIn: string[] }
  | { found: false; reason: string };

interface Status {
  partners: PartnerState[];
  /** Partners with a sign-in step of their own, and whether the clinician has taken it. */
  signIns: { id: string; signedIn: boolean }[];
  tab: { context: { nhsNumber: string; name: PatientName } | null; problem: string | null; reason: string | null } | null;
}

export async function findPatient(context: BrowserContext, messenger: Messenger, pageUrl: string): Promise<PatientFound> {
  const page = await context.newPage();
  try {
    const response = await page.goto(pageUrl, { waitUntil: 'load', timeout: 30_000 }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (response instanceof Error) return { found: false, reason: `the page did not load: ${response.message.split('\n')[0]}` };
    if (response && response.status() >= 400) return { found: false, reason: `the page answered HTTP ${response.status()}` };
    const deadline = Date.now() + WAIT_MS;
    let last: Status | null = null;
    let lastKey = '';
    let changedAt = Date.now();
    for (;;) {
      const status = await tabStatus(context, messenger, page.url());
      const key = JSON.stringify(status?.tab ?? null);
      if (key !== lastKey) [last, lastKey, changedAt] = [status, key, Date.now()];
      const patient = last?.tab?.context;
      if (patient && Date.now() - changedAt >= SETTLED_MS) return { found: true, nhsNumber: patient.nhsNumber, name: patient.name, partners: last!.partners, notSignedIn: last!.signIns.filter((s) => !s.signedIn).map((s) => s.id) };
      if (Date.now() > deadline) {
        const why = last?.tab?.reason ?? last?.tab?.problem ?? "the extension reported nothing for this page (is it one of the configuration's EHR sites?)";
        return { found: false, reason: why };
      }
      await page.waitForTimeout(100);
    }
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** The popup's view of the one tab showing this address, or null while there is no such tab. */
async function tabStatus(context: BrowserContext, messenger: Messenger, url: string): Promise<Status | null> {
  const worker = await extensionWorker(context);
  const tabId = await worker
    .evaluate(async (address) => {
      const tabs = (await chrome.tabs.query({})).filter((tab) => tab.url === address && tab.id !== undefined);
      return tabs.length === 1 ? tabs[0]!.id! : null;
    }, url)
    // The worker may have been stopped in between: the next poll asks the new one.
    .catch(() => null);
  if (tabId === null) return null;
  return messenger.send<Status>('status.get', { tabId });
}
