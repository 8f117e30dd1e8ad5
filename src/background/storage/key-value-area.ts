import { browser } from '../../shared/browser-api';

/** One storage area as plain get/set/remove, so stores can be tested on a Map. */
export interface KeyValueArea {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** An area that can also list its keys (to find every pairing at sign-out). */
export interface ListableArea extends KeyValueArea {
  keys(): Promise<string[]>;
}

export function browserArea(name: 'local' | 'session'): ListableArea {
  const area = browser.storage[name];
  return {
    keys: async () => Object.keys(await area.get(null)),
    get: async (key) => (await area.get(key))[key],
    set: (key, value) => area.set({ [key]: value }),
    remove: (key) => area.remove(key),
  };
}
