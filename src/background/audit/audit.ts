import { browser } from '../../shared/browser-api';
import { auditEventFor, type AuditEntry, type AuditSource } from '../../shared/audit';
import { announceAuditChange } from '../../shared/audit-channel';
import { openAuditDb } from './audit-db';
import { FIRST_RETRY_MS, createAuditForwarder, postAuditEvent } from './audit-forward';
import { createAuditLog, type AuditPage } from './audit-log';
import { configItem } from '../settings/settings';

export type { AuditEntry } from '../../shared/audit';

/**
 * The audit trail in IndexedDB (capped, with a count of dropped entries), and its optional forwarding to the
 * organisation's endpoint through a persistent outbox woken by an alarm.
 */

const db = openAuditDb();
export const auditLog = createAuditLog({ db });
export const AUDIT_ALARM = 'ehr-launchpad-audit-forward';

export const auditForwarder = createAuditForwarder({
  db,
  now: Date.now,
  post: postAuditEvent,
  wake: async (at) => {
    if (at === null) await browser.alarms.clear(AUDIT_ALARM);
    else await browser.alarms.create(AUDIT_ALARM, { when: at });
  },
});

export function auditSource(): AuditSource {
  return { observer: `EHR Launchpad ${browser.runtime.getManifest().version} (browser extension ${browser.runtime.id})` };
}

/** Where audit events go, if the configuration (or policy) turns forwarding on. */
export async function forwardingEndpoint(): Promise<string | null> {
  const forwarding = (await configItem.get()).auditForwarding;
  return forwarding?.enabled && forwarding.endpoint ? forwarding.endpoint : null;
}

// Entries written by versions that kept the trail in storage.local move into IndexedDB once.
const LEGACY_KEY = 'audit';
let migration: Promise<void> | undefined;
function migrateLegacy(): Promise<void> {
  migration ??= (async () => {
    const legacy = (await browser.storage.local.get(LEGACY_KEY))[LEGACY_KEY];
    if (!Array.isArray(legacy)) return;
    for (const entry of legacy as AuditEntry[]) await auditLog.append(entry);
    await browser.storage.local.remove(LEGACY_KEY);
  })().catch(() => undefined);
  return migration;
}

/**
 * Appends an entry (never throws: an audit failure must not turn a good launch into an error). With
 * forwarding on, the event also goes into the outbox, which is flushed now without holding up the caller; an
 * alarm is set first so that a worker stopped mid-send tries again.
 */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  try {
    await migrateLegacy();
    const stored = await auditLog.append(entry);
    // Open options pages show the trail live (IndexedDB has no change events of its own).
    announceAuditChange();
    const endpoint = await forwardingEndpoint();
    if (!endpoint) return;
    await auditForwarder.enqueue(auditEventFor(stored, auditSource()));
    await browser.alarms.create(AUDIT_ALARM, { when: Date.now() + FIRST_RETRY_MS });
    void auditForwarder.flush(endpoint).catch(() => undefined);
  } catch {
    // Nothing to report to: the entry is lost, the action it describes is not.
  }
}

export async function readAudit(): Promise<AuditPage> {
  await migrateLegacy();
  return auditLog.list();
}

/** Sends what is due (on the alarm, at start-up and when the endpoint changes). */
export async function flushAuditOutbox(): Promise<void> {
  await auditForwarder.flush(await forwardingEndpoint()).catch(() => undefined);
}
