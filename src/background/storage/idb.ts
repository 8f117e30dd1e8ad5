import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

/** One IndexedDB object store used as a key-value map. CryptoKey objects are stored as they are. */
export interface IdbStore {
  get<T>(key: string): Promise<T | undefined>;
  getAll<T>(): Promise<T[]>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Opens a database once and keeps the connection; a newer version opened elsewhere (an update of the
 * extension) closes it, and the next use opens again.
 */
export function connection<T>(open: (onBlocking: () => void) => Promise<IDBPDatabase<T>>): () => Promise<IDBPDatabase<T>> {
  let current: Promise<IDBPDatabase<T>> | undefined;
  const forget = () => {
    const closing = current;
    current = undefined;
    void closing?.then((db) => db.close()).catch(() => undefined);
  };
  return () =>
    (current ??= open(forget).catch((error: unknown) => {
      current = undefined;
      throw error;
    }));
}

export function idbStore(dbName: string, storeName: string): IdbStore {
  const db = connection((onBlocking) =>
    openDB(dbName, 1, {
      upgrade: (upgrading) => void upgrading.createObjectStore(storeName),
      blocking: onBlocking,
    }),
  );
  return {
    get: async (key) => (await db()).get(storeName, key),
    getAll: async () => (await db()).getAll(storeName),
    put: async (key, value) => void (await (await db()).put(storeName, value, key)),
    delete: async (key) => (await db()).delete(storeName, key),
  };
}

/**
 * Runs a body in a transaction and answers once it has committed. If the body throws, the transaction is
 * aborted, so none of its writes land: a failed step never leaves half an update behind. The body must only
 * await requests of this transaction (anything else lets it commit early).
 */
export async function inTransaction<S, N extends ArrayLike<StoreNames<S>>, M extends IDBTransactionMode, T>(
  tx: IDBPTransaction<S, N, M>,
  body: () => Promise<T>,
): Promise<T> {
  try {
    const result = await body();
    await tx.done;
    return result;
  } catch (error) {
    tx.done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    throw error;
  }
}
