import type { ListedPartner } from './broker-partners-client';

/**
 * The broker's list for the signed-in clinician, kept briefly so the popup, the options page and each launch do
 * not each ask the broker. One entry: it belongs to one clinician at one broker (the key), and a failed answer
 * is not kept (the next caller asks again).
 */
export interface ListedPartnerCache {
  /** The list for `key`, from the cache while younger than the time to live, else from `load`. */
  get(key: string, load: () => Promise<ListedPartner[]>): Promise<ListedPartner[]>;
  /** Forgets the list (sign-out, another clinician, a new token). */
  clear(): void;
}

export function createListedPartnerCache(options: { ttlMs: number; now: () => number }): ListedPartnerCache {
  let entry: { key: string; at: number; list: Promise<ListedPartner[]> } | undefined;
  return {
    get(key, load) {
      if (entry && entry.key === key && options.now() - entry.at < options.ttlMs) return entry.list;
      const current = { key, at: options.now(), list: load() };
      entry = current;
      current.list.catch(() => {
        if (entry === current) entry = undefined;
      });
      return current.list;
    },
    clear() {
      entry = undefined;
    },
  };
}
