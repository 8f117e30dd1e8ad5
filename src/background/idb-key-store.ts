import type { KeyStore } from './vault-crypto';

/** Keeps CryptoKey objects in IndexedDB, which stores them without ever exposing non-extractable key bytes. */
export function idbKeyStore(name: string, dbName = 'ehr-launchpad-keys'): KeyStore {
  function open(): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore('keys');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB open failed'));
    });
  }
  async function run<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const request = body(db.transaction('keys', mode).objectStore('keys'));
        request.onsuccess = () => resolve(request.result as T);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
      });
    } finally {
      db.close();
    }
  }
  return {
    load: () => run<CryptoKey | undefined>('readonly', (store) => store.get(name)),
    save(key) {
      // Two contexts starting at once must not each make a key: the first one wins, the other reads it.
      return navigator.locks.request(`${dbName}/${name}`, async () => {
        const existing = await run<CryptoKey | undefined>('readonly', (store) => store.get(name));
        if (existing) return existing;
        await run('readwrite', (store) => store.put(key, name));
        return key;
      });
    },
  };
}
