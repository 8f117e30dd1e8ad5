/** A small promise wrapper over one IndexedDB object store. CryptoKey objects are stored as they are. */
export interface IdbStore {
  get<T>(key: string): Promise<T | undefined>;
  getAll<T>(): Promise<T[]>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export function idbStore(dbName: string, storeName: string): IdbStore {
  return idbStores(dbName, [storeName])[storeName]!;
}

/**
 * Several object stores of one database (created together at version 1), each used as an IdbStore. For data
 * that belongs together but is read separately, such as the audit trail's entries, counters and outbox.
 */
export function idbStores<Name extends string>(dbName: string, storeNames: readonly Name[]): Record<Name, IdbStore> {
  function open(): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName, 1);
      request.onupgradeneeded = () => {
        for (const name of storeNames) if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    });
  }
  function storeOf(storeName: Name): IdbStore {
    async function run<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest): Promise<T> {
      const db = await open();
      try {
        return await new Promise<T>((resolve, reject) => {
          const request = body(db.transaction(storeName, mode).objectStore(storeName));
          request.onsuccess = () => resolve(request.result as T);
          request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
        });
      } finally {
        db.close();
      }
    }
    return {
      get: (key) => run('readonly', (store) => store.get(key)),
      getAll: () => run('readonly', (store) => store.getAll()),
      put: async (key, value) => void (await run('readwrite', (store) => store.put(value, key))),
      delete: async (key) => void (await run('readwrite', (store) => store.delete(key))),
    };
  }
  return Object.fromEntries(storeNames.map((name) => [name, storeOf(name)])) as Record<Name, IdbStore>;
}

/** An IdbStore on a Map, for tests: values are cloned in and out, and getAll answers in key order like IndexedDB. */
export function memoryStore(): IdbStore & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    get: async <T>(key: string) => structuredClone(map.get(key)) as T | undefined,
    getAll: async <T>() => [...map.keys()].sort().map((key) => structuredClone(map.get(key)) as T),
    put: async (key, value) => void map.set(key, structuredClone(value)),
    delete: async (key) => void map.delete(key),
  };
}
