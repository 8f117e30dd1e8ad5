import type { LaunchOutput } from '../connectors/connector';

/**
 * Launch credentials fetched before the click (a PKB one-time password on hover, or as soon as the patient is
 * detected). Each is bound to one tab, frame, document, patient, partner and clinician, is used at most once,
 * and is dropped when any of those change, when the tab closes, or when it expires. Memory only: a worker
 * restart just means the next click fetches its own.
 */

export interface PrefetchBinding {
  tabId: number;
  frameId: number;
  documentId?: string;
  partnerId: string;
  fingerprint: string;
  clinician: string;
}

interface Entry {
  binding: PrefetchBinding;
  output: Promise<LaunchOutput | undefined>;
  timer?: ReturnType<typeof setTimeout>;
}

/** A credential this close to its expiry is not worth opening: the partner could refuse it on arrival. */
export const EXPIRY_MARGIN_MS = 5_000;

const keyOf = (b: Pick<PrefetchBinding, 'tabId' | 'partnerId'>) => `${b.tabId}:${b.partnerId}`;

function sameBinding(a: PrefetchBinding, b: PrefetchBinding): boolean {
  return (
    a.tabId === b.tabId &&
    a.frameId === b.frameId &&
    (a.documentId ?? '') === (b.documentId ?? '') &&
    a.partnerId === b.partnerId &&
    a.fingerprint === b.fingerprint &&
    a.clinician === b.clinician
  );
}

export function createPrefetchStore(now: () => number = Date.now) {
  const entries = new Map<string, Entry>();

  function drop(key: string): void {
    const entry = entries.get(key);
    if (entry?.timer) clearTimeout(entry.timer);
    entries.delete(key);
  }

  function usable(output: LaunchOutput | undefined): output is LaunchOutput {
    return output !== undefined && (output.expiresAt === undefined || output.expiresAt - EXPIRY_MARGIN_MS > now());
  }

  return {
    /** Starts fetching unless the same binding already has one on the way or waiting. */
    start(binding: PrefetchBinding, build: () => Promise<LaunchOutput>): void {
      const key = keyOf(binding);
      const existing = entries.get(key);
      if (existing && sameBinding(existing.binding, binding)) return;
      drop(key);
      const entry: Entry = { binding, output: build().catch(() => undefined) };
      entries.set(key, entry);
      void entry.output.then((output) => {
        if (entries.get(key) !== entry) return;
        if (!usable(output)) return drop(key);
        // Dropped at expiry so an unused credential does not stay in memory.
        if (output.expiresAt !== undefined) entry.timer = setTimeout(() => entries.get(key) === entry && drop(key), output.expiresAt - now());
      });
    },

    /** The prefetched launch for exactly this binding, once; undefined when there is none worth using. */
    async take(binding: PrefetchBinding): Promise<LaunchOutput | undefined> {
      const key = keyOf(binding);
      const entry = entries.get(key);
      if (!entry) return undefined;
      drop(key);
      if (!sameBinding(entry.binding, binding)) return undefined;
      const output = await entry.output;
      return usable(output) ? output : undefined;
    },

    /** The tab's patient or document changed (or the tab closed): nothing fetched for it may be used. */
    dropTab(tabId: number, unlessFingerprint?: string, unlessDocumentId?: string): void {
      for (const [key, entry] of entries) {
        if (entry.binding.tabId !== tabId) continue;
        const stillValid = unlessFingerprint !== undefined && entry.binding.fingerprint === unlessFingerprint && (entry.binding.documentId ?? '') === (unlessDocumentId ?? '');
        if (!stillValid) drop(key);
      }
    },

    dropPartner(partnerId: string): void {
      for (const [key, entry] of entries) if (entry.binding.partnerId === partnerId) drop(key);
    },

    clear(): void {
      for (const key of [...entries.keys()]) drop(key);
    },

    get size(): number {
      return entries.size;
    },
  };
}

export type PrefetchStore = ReturnType<typeof createPrefetchStore>;
