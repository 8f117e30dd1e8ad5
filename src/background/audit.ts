import browser from 'webextension-polyfill';

/** One line of the audit trail. Never a token, secret or URL: only who, what, for whom, how it went. */
export interface AuditEntry {
  time: string;
  event: 'launch' | 'pair' | 'unpair';
  clinician: string | null;
  partnerId: string;
  nhsNumber: string | null;
  outcome: 'ok' | 'refused' | 'error';
  code?: string;
  ms: number;
}

const KEY = 'audit';
const CAP = 1000;
let queue: Promise<void> = Promise.resolve();

/** Appends an entry; writes are serialised so concurrent launches do not overwrite each other. */
export function recordAudit(entry: AuditEntry): Promise<void> {
  queue = queue.then(async () => {
    const current = (await browser.storage.local.get(KEY))[KEY];
    const list = Array.isArray(current) ? (current as AuditEntry[]) : [];
    list.push(entry);
    await browser.storage.local.set({ [KEY]: list.slice(-CAP) });
  }).catch(() => undefined);
  return queue;
}

export async function readAudit(): Promise<AuditEntry[]> {
  const current = (await browser.storage.local.get(KEY))[KEY];
  return Array.isArray(current) ? (current as AuditEntry[]) : [];
}
