import type { AuditEntry, StoredAuditEntry } from '../shared/audit';
import type { IdbStore } from './idb';

/**
 * The audit trail: entries in order, at most `cap` of them. When full, the oldest entry is dropped and a
 * persistent count of dropped entries goes up, so an export always says how much history is missing.
 * Writes are serialised here; only the background writes.
 */

export const AUDIT_CAP = 5000;

interface LogMeta {
  /** Sequence number of the next entry. */
  next: number;
  /** Sequence number of the oldest entry kept. */
  oldest: number;
  dropped: number;
}

export interface AuditPage {
  /** Newest first. */
  entries: StoredAuditEntry[];
  dropped: number;
  cap: number;
}

const META_KEY = 'log';
const keyOf = (seq: number) => String(seq).padStart(12, '0');

export function createAuditLog(deps: { entries: IdbStore; meta: IdbStore; cap?: number; newId?: () => string }) {
  const cap = deps.cap ?? AUDIT_CAP;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  };
  const readMeta = async (): Promise<LogMeta> => (await deps.meta.get<LogMeta>(META_KEY)) ?? { next: 0, oldest: 0, dropped: 0 };

  return {
    /** Appends one entry and answers it as stored (with its id). */
    append(entry: AuditEntry): Promise<StoredAuditEntry> {
      return serial(async () => {
        const meta = await readMeta();
        const stored: StoredAuditEntry = { id: newId(), ...entry };
        await deps.entries.put(keyOf(meta.next), stored);
        meta.next += 1;
        while (meta.next - meta.oldest > cap) {
          await deps.entries.delete(keyOf(meta.oldest));
          meta.oldest += 1;
          meta.dropped += 1;
        }
        await deps.meta.put(META_KEY, meta);
        return stored;
      });
    },

    list(): Promise<AuditPage> {
      return serial(async () => {
        const [entries, meta] = await Promise.all([deps.entries.getAll<StoredAuditEntry>(), readMeta()]);
        return { entries: entries.reverse(), dropped: meta.dropped, cap };
      });
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
