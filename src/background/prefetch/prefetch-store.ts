import type { LaunchOutput } from '../../connectors/connector';

/**
 * Launch credentials fetched before the click (a PKB one-time password on hover, or as soon as the patient is
 * detected). Each is bound to one tab, frame, document, patient, partner and clinician, is used at most once,
 * and is dropped when any of those change, when the tab closes, or when it expires. Kept in memory and, when a
 * keeper is given, in the worker's session storage too (prefetch-keeper.ts): the browser stops an idle worker
 * after 30 s, and a clinician typically reads the record for longer than that before clicking.
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

/** Where a fetched credential outlives the worker. `take` removes what it answers: one use, even across restarts. */
export interface PrefetchKeeper {
  save(key: string, binding: PrefetchBinding, output: LaunchOutput): Promise<void>;
  /** The kept credential for this key, if it was kept for exactly this binding; removed either way when `take`. */
  read(key: string, binding: PrefetchBinding, take: boolean): Promise<LaunchOutput | undefined>;
  remove(key: string): Promise<void>;
  /** Every kept key with its binding and expiry. */
  list(): Promise<{ key: string; binding: PrefetchBinding; expiresAt?: number }[]>;
}

/** A credential this close to its expiry is not worth opening: the partner could refuse it on arrival. */
export const EXPIRY_MARGIN_MS = 5_000;

const keyOf = (b: Pick<PrefetchBinding, 'tabId' | 'partnerId'>) => `${b.tabId}:${b.partnerId}`;

export function sameBinding(a: PrefetchBinding, b: PrefetchBinding): boolean {
  return (
    a.tabId === b.tabId &&
    a.frameId === b.frameId &&
    (a.documentId ?? '') === (b.documentId ?? '') &&
    a.partnerId === b.partnerId &&
    a.fingerprint === b.fingerprint &&
    a.clinician === b.clinician
  );
}

export function createPrefetchStore(now: () => number = Date.now, keeper?: PrefetchKeeper) {
  const entries = new Map<string, Entry>();
  // The keeper's work runs in call order, so a drop is done before a later take or save looks.
  let kept: Promise<unknown> = Promise.resolve();
  function inOrder<T>(work: (keeper: PrefetchKeeper) => Promise<T>): Promise<T | undefined> {
    if (!keeper) return Promise.resolve(undefined);
    const run = kept.then(() => work(keeper)).catch(() => undefined);
    kept = run;
    return run;
  }

  function drop(key: string): Promise<unknown> {
    const entry = entries.get(key);
    if (entry?.timer) clearTimeout(entry.timer);
    entries.delete(key);
    return inOrder((k) => k.remove(key));
  }

  /** Drops every kept credential (in memory or not) that matches. */
  function dropWhere(matches: (binding: PrefetchBinding) => boolean): void {
    for (const [key, entry] of entries) if (matches(entry.binding)) void drop(key);
    void inOrder(async (k) => {
      for (const item of await k.list()) {
        const expired = item.expiresAt !== undefined && item.expiresAt <= now();
        if (matches(item.binding) || expired) await k.remove(item.key);
      }
    });
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
      const previous = entries.get(key);
      if (previous?.timer) clearTimeout(previous.timer);
      entries.delete(key);
      // After a worker restart the same binding may already have one kept: use it rather than fetch another.
      let fromKeeper = false;
      const fetched = (
        keeper
          ? (async () => {
              const still = await inOrder((k) => k.read(key, binding, false));
              if (!usable(still)) return build();
              fromKeeper = true;
              return still;
            })()
          : build()
      ).catch(() => undefined);
      const entry: Entry = { binding, output: fetched };
      entries.set(key, entry);
      void entry.output.then((output) => {
        if (entries.get(key) !== entry) return;
        if (!usable(output)) return void drop(key);
        if (!fromKeeper) void inOrder((k) => k.save(key, binding, output));
        // Dropped at expiry so an unused credential does not stay in memory.
        if (output.expiresAt !== undefined) entry.timer = setTimeout(() => entries.get(key) === entry && void drop(key), output.expiresAt - now());
      });
    },

    /** The prefetched launch for exactly this binding, once; undefined when there is none worth using. */
    async take(binding: PrefetchBinding): Promise<LaunchOutput | undefined> {
      const key = keyOf(binding);
      const entry = entries.get(key);
      if (!entry) {
        // A worker that was stopped and started again: what it kept before, for exactly this binding.
        const kept = await inOrder((k) => k.read(key, binding, true));
        return usable(kept) ? kept : undefined;
      }
      // Removed from the keeper before it is used: a credential is spent once, even if the worker stops now.
      const removed = drop(key);
      if (!sameBinding(entry.binding, binding)) return undefined;
      const output = await entry.output;
      await removed;
      return usable(output) ? output : undefined;
    },

    /** The tab's patient or document changed (or the tab closed): nothing fetched for it may be used. */
    dropTab(tabId: number, unlessFingerprint?: string, unlessDocumentId?: string): void {
      dropWhere((binding) => {
        if (binding.tabId !== tabId) return false;
        const stillValid = unlessFingerprint !== undefined && binding.fingerprint === unlessFingerprint && (binding.documentId ?? '') === (unlessDocumentId ?? '');
        return !stillValid;
      });
    },

    dropPartner(partnerId: string): void {
      dropWhere((binding) => binding.partnerId === partnerId);
    },

    clear(): void {
      dropWhere(() => true);
    },

    /** Resolves once every drop and save asked for so far is done (sign-out waits for it). */
    settled(): Promise<unknown> {
      return inOrder(async () => undefined);
    },

    get size(): number {
      return entries.size;
    },
  };
}
