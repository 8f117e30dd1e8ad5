import { idbStore } from '../storage/idb';
import type { KeyStore } from './vault-crypto';
import { storageKeys } from '../storage/storage-keys';

/** Keeps one CryptoKey in IndexedDB, which stores it without ever exposing non-extractable key bytes. */
export function idbKeyStore(name: string): KeyStore {
  const store = idbStore(storageKeys.sealingKeyDatabase.database, 'keys');
  return {
    load: () => store.get<CryptoKey>(name),
    save(key) {
      // Two contexts starting at once must not each make a key: the first one wins, the other reads it.
      return navigator.locks.request(`ehr-launchpad-keys/${name}`, async () => {
        const existing = await store.get<CryptoKey>(name);
        if (existing) return existing;
        await store.put(name, key);
        return key;
      });
    },
  };
}
