import { browser } from '../../shared/browser-api';

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
  // The parsed value is kept until storage says the key changed (from any context), so hot paths such as a
  // launch click do not re-read and re-validate the same document several times.
  let cached: Promise<T> | undefined;
  browser.storage.onChanged.addListener((changes, changedArea) => {
    if (changedArea === area && Object.hasOwn(changes, key)) cached = undefined;
  });
  async function read(): Promise<T> {
    const raw = (await storage.get(key))[key];
    if (raw === undefined) return fallback();
    return parse(raw) ?? fallback();
  }
  return {
    key,
    get() {
      const current = (cached ??= read());
      // A failed read is not kept.
      current.catch(() => {
        if (cached === current) cached = undefined;
      });
      return current;
    },
    async set(value) {
      cached = undefined;
      await storage.set({ [key]: value });
      cached = undefined;
    },
    async remove() {
      cached = undefined;
      await storage.remove(key);
      cached = undefined;
    },
  };
}
