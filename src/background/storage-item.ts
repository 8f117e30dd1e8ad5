import browser from 'webextension-polyfill';

type Area = 'local' | 'session';

/**
 * One typed value in extension storage. Reads go through `parse`, so a value written by an older version
 * (or tampered with) comes back as the fallback instead of breaking the worker.
 */
export interface StorageItem<T> {
  readonly key: string;
  get(): Promise<T>;
  set(value: T): Promise<void>;
  remove(): Promise<void>;
}

export function storageItem<T>(area: Area, key: string, parse: (raw: unknown) => T | undefined, fallback: () => T): StorageItem<T> {
  const storage = browser.storage[area];
  return {
    key,
    async get() {
      const raw = (await storage.get(key))[key];
      if (raw === undefined) return fallback();
      return parse(raw) ?? fallback();
    },
    async set(value) {
      await storage.set({ [key]: value });
    },
    async remove() {
      await storage.remove(key);
    },
  };
}
