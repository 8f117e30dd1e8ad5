import * as z from 'zod/mini';
import type { OAuthPairing, TokenSet } from '../../connectors/connector';
import { LaunchError, isLaunchError } from '../../shared/launch-error';
import type { KeyValueArea, ListableArea } from '../storage/key-value-area';
import { sealContext } from './seal-binding';
import type { Sealed } from './vault-crypto';
import { storageKeys } from '../storage/storage-keys';

/**
 * Pairings (OAuth 2.0 refresh tokens) per partner and clinician. Refresh tokens are durable in
 * chrome.storage.local, sealed with AES-GCM; access tokens live only in chrome.storage.session. A refresh is
 * single-flight: one promise per pairing in this context, and a Web Lock so two contexts cannot refresh at
 * once. With rotation the new refresh token is saved before the new access token is used. A refused refresh
 * token ends the pairing ("re-pair needed"); it is never retried.
 */

export interface Sealer {
  seal(plain: string, context: string): Promise<Sealed>;
  open(sealed: Sealed, context: string): Promise<string | undefined>;
}

/** The slice of the Web Locks API used here (navigator.locks in the worker). */
export interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export type PairingState = 'paired' | 'not-paired' | 're-pair-needed';

const sealedSchema = z.object({ iv: z.string(), data: z.string() });
const pairingSchema = z.object({
  clinician: z.string(),
  pairedAt: z.number(),
  refreshedAt: z.optional(z.number()),
  /** Absent once the partner refused it: the record then only says a re-pair is needed. */
  refreshToken: z.optional(sealedSchema),
  /** The refresh token is sealed bound to the partner's addresses (seal-binding.ts); absent on older records. */
  bound: z.optional(z.literal(true)),
});
type PairingRecord = z.infer<typeof pairingSchema>;
const accessSchema = z.object({ token: z.string(), expiresAt: z.number() });

export interface PairingKey {
  partnerId: string;
  clinician: string;
}

const slot = ({ partnerId, clinician }: PairingKey) => `${partnerId}/${encodeURIComponent(clinician)}`;
const pairingKey = (key: PairingKey) => `${storageKeys.pairing.prefix}${slot(key)}`;
const accessKey = (key: PairingKey) => `${storageKeys.accessToken.prefix}${slot(key)}`;

export interface TokenVaultDeps {
  local: ListableArea;
  session: KeyValueArea;
  sealer: Sealer;
  locks: Locks;
  now?: () => number;
  /**
   * The partner's binding as configured now (seal-binding.ts), undefined when the partner is gone. Without it
   * (unit tests of refresh behaviour) tokens are sealed to their slot only.
   */
  binding?: (partnerId: string) => Promise<string | undefined>;
}

export interface RefreshCall {
  /** The partner's name as clinicians know it, for messages. */
  label: string;
  pairing: OAuthPairing<unknown>;
  config: unknown;
  fetch: typeof fetch;
  signal: AbortSignal;
}

/** A lock that serialises callers in this context, for places without navigator.locks (unit tests). */
export function memoryLocks(): Locks {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request(name, callback) {
      const run = (tails.get(name) ?? Promise.resolve()).then(callback, callback);
      tails.set(name, run.catch(() => undefined));
      return run;
    },
  };
}

export function createTokenVault(deps: TokenVaultDeps) {
  const now = deps.now ?? Date.now;
  const inflight = new Map<string, Promise<string>>();

  /** The sealing context of this pairing's refresh token now; undefined: it cannot be opened (partner gone). */
  async function contextFor(key: PairingKey): Promise<string | undefined> {
    if (!deps.binding) return slot(key);
    const binding = await deps.binding(key.partnerId);
    return binding === undefined ? undefined : sealContext(slot(key), binding);
  }

  /** The refresh token, if it opens for the partner as configured now. Older unbound ones only open in migrateUnbound. */
  async function openRefreshToken(key: PairingKey, record: PairingRecord | undefined): Promise<string | undefined> {
    if (!record?.refreshToken || (deps.binding && !record.bound)) return undefined;
    const context = await contextFor(key);
    return context === undefined ? undefined : deps.sealer.open(record.refreshToken, context);
  }

  async function readPairing(key: PairingKey): Promise<PairingRecord | undefined> {
    const parsed = pairingSchema.safeParse(await deps.local.get(pairingKey(key)));
    return parsed.success ? parsed.data : undefined;
  }

  async function readAccess(key: PairingKey): Promise<z.infer<typeof accessSchema> | undefined> {
    const parsed = accessSchema.safeParse(await deps.session.get(accessKey(key)));
    return parsed.success && parsed.data.expiresAt > now() ? parsed.data : undefined;
  }

  async function saveTokens(key: PairingKey, record: PairingRecord, tokens: TokenSet): Promise<void> {
    // Durable first: if the worker stops right after this, the rotated refresh token is not lost.
    if (tokens.refreshToken) {
      const context = await contextFor(key);
      if (context === undefined) throw new LaunchError('unknown-partner', 'This partner is no longer configured.', ['launchPartnerNotConfigured']);
      await deps.local.set(pairingKey(key), { ...record, refreshedAt: now(), refreshToken: await deps.sealer.seal(tokens.refreshToken, context), ...(deps.binding ? { bound: true } : {}) });
    }
    await deps.session.set(accessKey(key), { token: tokens.accessToken, expiresAt: tokens.expiresAt });
  }

  async function markRepairNeeded(key: PairingKey, record: PairingRecord): Promise<void> {
    const { refreshToken: _dropped, ...rest } = record;
    await deps.local.set(pairingKey(key), rest);
    await deps.session.remove(accessKey(key));
  }

  async function refreshUnderLock(key: PairingKey, call: RefreshCall, rejected: string | undefined): Promise<string> {
    return deps.locks.request(`ehr-launchpad:${pairingKey(key)}`, async () => {
      // Another context may have refreshed while this one waited for the lock.
      const current = await readAccess(key);
      if (current && current.token !== rejected) return current.token;
      const record = await readPairing(key);
      if (!record) throw notPaired(call.label);
      // A token that does not open (the partner's address changed since pairing) is never sent: pair again.
      const refreshToken = await openRefreshToken(key, record);
      if (!refreshToken) throw repairNeeded(call.label);
      let tokens: TokenSet;
      try {
        tokens = await call.pairing.refresh({ config: call.config, refreshToken, fetch: call.fetch, signal: call.signal });
      } catch (error) {
        if (isLaunchError(error) && error.code === 're-pair-needed') await markRepairNeeded(key, record);
        throw error;
      }
      await saveTokens(key, record, tokens);
      return tokens.accessToken;
    });
  }

  return {
    async state(key: PairingKey): Promise<PairingState> {
      const record = await readPairing(key);
      if (!record) return 'not-paired';
      return (await openRefreshToken(key, record)) ? 'paired' : 're-pair-needed';
    },

    /**
     * Once, on an update from a version that sealed refresh tokens to their slot only: each is sealed again bound
     * to its partner as configured at that moment; those of partners no longer configured are dropped.
     */
    async migrateUnbound(): Promise<number> {
      let moved = 0;
      for (const storageKey of (await deps.local.keys()).filter((k) => k.startsWith(storageKeys.pairing.prefix))) {
        const [partnerId = '', clinician = ''] = storageKey.slice(storageKeys.pairing.prefix.length).split('/');
        const key = { partnerId, clinician: decodeURIComponent(clinician) };
        const record = await readPairing(key);
        if (!record || record.bound || !record.refreshToken) continue;
        const context = await contextFor(key);
        const refreshToken = context === undefined ? undefined : await deps.sealer.open(record.refreshToken, slot(key));
        if (context === undefined || refreshToken === undefined) {
          await deps.local.remove(storageKey);
          continue;
        }
        await deps.local.set(storageKey, { ...record, refreshToken: await deps.sealer.seal(refreshToken, context), bound: true });
        moved++;
      }
      return moved;
    },

    /** A new pairing replaces any earlier one for this partner and clinician. */
    async savePairing(key: PairingKey, tokens: TokenSet & { refreshToken: string }): Promise<void> {
      const record: PairingRecord = { clinician: key.clinician, pairedAt: now() };
      await saveTokens(key, record, tokens);
    },

    /**
     * A live access token. `rejected` is a token the partner just refused: a fresh one is fetched unless
     * another caller already replaced it. Concurrent callers share one refresh.
     */
    async accessToken(key: PairingKey, call: RefreshCall, rejected?: string): Promise<string> {
      const current = await readAccess(key);
      if (current && current.token !== rejected) return current.token;
      const id = slot(key);
      let running = inflight.get(id);
      if (!running) {
        running = refreshUnderLock(key, call, rejected).finally(() => inflight.delete(id));
        inflight.set(id, running);
      }
      return running;
    },

    /** Forgets the pairing and answers the refresh token, so the caller can revoke it at the partner. */
    async remove(key: PairingKey): Promise<string | undefined> {
      const record = await readPairing(key);
      const refreshToken = await openRefreshToken(key, record);
      await deps.local.remove(pairingKey(key));
      await deps.session.remove(accessKey(key));
      return refreshToken;
    },

    /**
     * Sign-out on a shared workstation: every pairing of every clinician goes, because the next person at the
     * keyboard could type any name into the clinician profile. Answers the refresh tokens, for revocation.
     */
    async removeAll(): Promise<{ partnerId: string; refreshToken: string }[]> {
      const removed: { partnerId: string; refreshToken: string }[] = [];
      for (const storageKey of (await deps.local.keys()).filter((k) => k.startsWith(storageKeys.pairing.prefix))) {
        const [partnerId = '', clinician = ''] = storageKey.slice(storageKeys.pairing.prefix.length).split('/');
        const refreshToken = await this.remove({ partnerId, clinician: decodeURIComponent(clinician) });
        if (refreshToken) removed.push({ partnerId, refreshToken });
      }
      return removed;
    },
  };
}


function notPaired(label: string): LaunchError {
  return new LaunchError('pairing-needed', `Pair with ${label} first: open the EHR Launchpad menu in the toolbar and choose Pair.`, ['launchPairFirst', label]);
}

function repairNeeded(label: string): LaunchError {
  return new LaunchError('re-pair-needed', `Your ${label} pairing has ended. Pair again from the EHR Launchpad menu in the toolbar.`, ['launchRepairNeeded', label]);
}
