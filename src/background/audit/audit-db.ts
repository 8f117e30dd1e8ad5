import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { StoredAuditEntry } from '../../shared/audit';
import { connection } from '../storage/idb';
import { storageKeys } from '../storage/storage-keys';

/**
 * The audit database: the trail (`entries`), the forwarding `outbox` of FHIR AuditEvents (JSON), and the
 * counters of each (`meta`, keyed by the queue's name). Both queues take keys from the store's own key
 * generator, and every change that touches a queue and its counters is one transaction, so a worker stopped
 * at any point leaves all of it or none of it: a later append can never land on an existing key.
 */

export const AUDIT_DB = storageKeys.auditDatabase.database;
const VERSION = 2;

export interface EntriesMeta {
  /** Entries dropped because the trail was full. */
  dropped: number;
}

export interface OutboxMeta {
  /** Events lost because the outbox was full, or refused for good by the endpoint. */
  dropped: number;
  rejected: number;
  /** Consecutive failed attempts, and when the next may run (epoch ms). */
  failures: number;
  nextAt: number;
  lastError: string | null;
  lastSentAt: number | null;
}

interface MetaOf {
  entries: EntriesMeta;
  outbox: OutboxMeta;
}

export interface AuditSchema extends DBSchema {
  entries: { key: number; value: StoredAuditEntry };
  outbox: { key: number; value: string };
  meta: { key: Queue; value: EntriesMeta | OutboxMeta };
}

export type Queue = keyof MetaOf;
export type AuditDb = () => Promise<IDBPDatabase<AuditSchema>>;
export type QueueTx<Mode extends IDBTransactionMode> = IDBPTransaction<AuditSchema, ('entries' | 'outbox' | 'meta')[], Mode>;

const FRESH: MetaOf = {
  entries: { dropped: 0 },
  outbox: { dropped: 0, rejected: 0, failures: 0, nextAt: 0, lastError: null, lastSentAt: null },
};

export function openAuditDb(name = AUDIT_DB): AuditDb {
  return connection((onBlocking) =>
    openDB<AuditSchema>(name, VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion === 0) return createStores(db);
        // Its requests belong to the upgrade transaction, which openDB waits for: a failed one aborts the
        // upgrade and openDB rejects, so nothing is lost by not awaiting the promise here.
        if (oldVersion < 2) void fromVersion1(db, tx as unknown as IDBPTransaction<unknown, string[], 'versionchange'>);
      },
      blocking: onBlocking,
    }),
  );
}

function createStores(db: IDBPDatabase<AuditSchema>): void {
  db.createObjectStore('entries', { autoIncrement: true });
  db.createObjectStore('outbox', { autoIncrement: true });
  db.createObjectStore('meta');
}

interface Version1Meta extends Partial<OutboxMeta> {
  next: number;
  oldest: number;
  dropped: number;
}

/**
 * Version 1 kept each queue under zero-padded sequence keys with the next and oldest sequence in `meta`
 * (written in separate transactions). Its stores cannot take a key generator, so they are rebuilt: every
 * entry and event present moves across in key order (also one written after a stop that never counted it),
 * and the counters keep what still means something.
 */
async function fromVersion1(db: IDBPDatabase<AuditSchema>, tx: IDBPTransaction<unknown, string[], 'versionchange'>): Promise<void> {
  const has = (store: string) => tx.objectStoreNames.contains(store);
  const read = (store: string) => (has(store) ? tx.objectStore(store).getAll() : Promise.resolve([]));
  const readOldMeta = async (key: string) => (has('meta') ? ((await tx.objectStore('meta').get(key)) as Version1Meta | undefined) : undefined);
  const [entries, outbox, logMeta, outboxMeta] = await Promise.all([read('entries'), read('outbox'), readOldMeta('log'), readOldMeta('outbox')]);
  for (const name of ['entries', 'outbox', 'meta'] as const) if (has(name)) db.deleteObjectStore(name);
  createStores(db);
  const moved = tx as unknown as IDBPTransaction<AuditSchema, ('entries' | 'outbox' | 'meta')[], 'versionchange'>;
  const { next: _next, oldest: _oldest, ...keptOutbox } = outboxMeta ?? { next: 0, oldest: 0, dropped: 0 };
  await Promise.all([
    ...entries.map((entry) => moved.objectStore('entries').add(entry as StoredAuditEntry)),
    ...outbox.map((event) => moved.objectStore('outbox').add(event as string)),
    moved.objectStore('meta').put({ dropped: logMeta?.dropped ?? 0 }, 'entries'),
    moved.objectStore('meta').put({ ...FRESH.outbox, ...keptOutbox }, 'outbox'),
  ]);
}

/** A transaction over one queue and the counters. */
export function queueTx<Mode extends IDBTransactionMode>(db: IDBPDatabase<AuditSchema>, queue: Queue, mode: Mode): QueueTx<Mode> {
  return db.transaction([queue, 'meta'], mode) as unknown as QueueTx<Mode>;
}

export async function readMeta<Q extends Queue>(tx: QueueTx<IDBTransactionMode>, queue: Q): Promise<MetaOf[Q]> {
  return ((await tx.objectStore('meta').get(queue)) as MetaOf[Q] | undefined) ?? structuredClone(FRESH[queue]);
}

/** Changes a queue's counters within the caller's transaction. */
export async function updateMeta<Q extends Queue>(tx: QueueTx<'readwrite'>, queue: Q, change: (meta: MetaOf[Q]) => void): Promise<MetaOf[Q]> {
  const meta = await readMeta(tx, queue);
  change(meta);
  await tx.objectStore('meta').put(meta, queue);
  return meta;
}

/**
 * Adds a value at the end of a queue and, past its cap, deletes the oldest and counts them as dropped, all
 * within the caller's transaction (which must include the queue and `meta`).
 */
export async function addCapped<Q extends Queue>(tx: QueueTx<'readwrite'>, queue: Q, value: AuditSchema[Q]['value'], cap: number): Promise<void> {
  const store = tx.objectStore(queue);
  await store.add(value);
  let excess = (await store.count()) - cap;
  if (excess <= 0) return;
  const dropped = excess;
  let cursor = await store.openCursor();
  while (cursor && excess > 0) {
    await cursor.delete();
    excess -= 1;
    cursor = await cursor.continue();
  }
  await updateMeta(tx, queue, (meta) => void (meta.dropped += dropped));
}
