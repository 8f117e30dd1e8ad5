import type { AuditEntry, StoredAuditEntry } from '../../shared/audit';
import { addCapped, queueTx, readMeta, type AuditDb } from './audit-db';
import { inTransaction } from '../storage/idb';

/**
 * The audit trail: entries in order, at most `cap` of them. When full, the oldest entry is dropped and a
 * persistent count of dropped entries goes up, so an export always says how much history is missing.
 * Each append is one transaction, and IndexedDB runs overlapping ones in the order they were started, so
 * entries keep the order of the calls. Only the background writes.
 */

export const AUDIT_CAP = 5000;

export interface AuditPage {
  /** Newest first. */
  entries: StoredAuditEntry[];
  dropped: number;
  cap: number;
}

export function createAuditLog(deps: { db: AuditDb; cap?: number; newId?: () => string }) {
  const cap = deps.cap ?? AUDIT_CAP;
  const newId = deps.newId ?? (() => crypto.randomUUID());

  return {
    /** Appends one entry and answers it as stored (with its id). */
    async append(entry: AuditEntry): Promise<StoredAuditEntry> {
      const stored: StoredAuditEntry = { id: newId(), ...entry };
      const tx = queueTx(await deps.db(), 'entries', 'readwrite');
      await inTransaction(tx, () => addCapped(tx, 'entries', stored, cap));
      return stored;
    },

    async list(): Promise<AuditPage> {
      const tx = queueTx(await deps.db(), 'entries', 'readonly');
      const [entries, meta] = await inTransaction(tx, () => Promise.all([tx.objectStore('entries').getAll(), readMeta(tx, 'entries')]));
      return { entries: entries.reverse(), dropped: meta.dropped, cap };
    },
  };
}
