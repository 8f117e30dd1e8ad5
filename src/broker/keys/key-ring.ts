import { createPrivateKey, sign as cryptoSign, type JsonWebKeyInput } from 'node:crypto';
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { JwtSigner } from '../../connectors/jwt';
import type { BrokerStore, StoredKey } from '../store/store';

/**
 * The broker's own signing keys (Black Pear's tokens): made here, kept in the store with the private part
 * sealed (AES-GCM) under the key-encryption key from the environment, replaced after `rotateAfterDays` by a key
 * published `overlapHours` before it signs, and published in the JWKS until `overlapHours` after they were
 * replaced. Every instance reads the same keys.
 *
 * The key-encryption key is rotated without downtime: with a previous one given, a key sealed under either opens,
 * and anything sealed uses the current one; `rewrapKeys` then seals every stored key under the current one.
 */

type Alg = 'ES256' | 'RS256';

export interface KeyRingOptions {
  store: BrokerStore;
  kek: Uint8Array;
  /** The key-encryption key being replaced: keys sealed under it still open (BROKER_KEK_PREVIOUS). */
  previousKek?: Uint8Array;
  now: () => number;
  rotateAfterDays: number;
  overlapHours: number;
  /** How long an instance trusts its copy of the key list before reading the store again. */
  refreshMs?: number;
}

export interface KeyRing {
  signer(alg: Alg): Promise<JwtSigner>;
  jwks(): Promise<{ keys: JWK[] }>;
  /**
   * Makes a new key for this algorithm that signs at once (a suspected compromise cannot wait for the lead time);
   * the old ones are published until the overlap ends.
   */
  rotate(alg: Alg): Promise<string>;
  /** Does what is due for these algorithms (a successor made, predecessors retired), as a launch would. */
  maintain(algs: readonly Alg[]): Promise<void>;
}

export class KeyRingError extends Error {}

async function kekKey(kek: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new Uint8Array(kek), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

interface Keks {
  current: Promise<CryptoKey>;
  previous?: Promise<CryptoKey>;
}

function kekKeys(options: { kek: Uint8Array; previousKek?: Uint8Array }): Keks {
  return { current: kekKey(options.kek), ...(options.previousKek ? { previous: kekKey(options.previousKek) } : {}) };
}

/** The private JWK sealed with AES-GCM, bound to its kid (a sealed key moved to another kid does not open). */
async function seal(kek: CryptoKey, jwk: JWK, kid: string): Promise<StoredKey['sealedPrivate']> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(`broker-key/${kid}`) }, kek, new TextEncoder().encode(JSON.stringify(jwk)));
  return { iv: base64url.encode(iv), data: base64url.encode(new Uint8Array(data)) };
}

async function openWith(key: StoredKey, kek: CryptoKey): Promise<JWK | undefined> {
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(base64url.decode(key.sealedPrivate.iv)), additionalData: new TextEncoder().encode(`broker-key/${key.kid}`) },
      kek,
      new Uint8Array(base64url.decode(key.sealedPrivate.data)),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as JWK;
  } catch {
    // Sealed under another key-encryption key (or damaged): AES-GCM's tag does not verify.
    return undefined;
  }
}

/** The private key, and whether it was sealed under the current key-encryption key. */
async function openKey(keks: Keks, key: StoredKey): Promise<{ jwk: JWK; current: boolean }> {
  const jwk = await openWith(key, await keks.current);
  if (jwk) return { jwk, current: true };
  const old = keks.previous ? await openWith(key, await keks.previous) : undefined;
  if (old) return { jwk: old, current: false };
  // The kid only: it is public (the JWKS publishes it); nothing about either key-encryption key.
  throw new KeyRingError(`signing key ${key.kid} cannot be opened with the key-encryption key${keks.previous ? 's' : ''} given`);
}

/**
 * Seals every stored key (retired ones too) under the current key-encryption key, reading each with the current
 * or the previous one. Nothing is changed unless every key opens. Running instances are unaffected: they hold
 * the keys they opened, and open either sealing. Answers how many were sealed again and how many already were.
 */
export async function rewrapKeys(options: { store: BrokerStore; kek: Uint8Array; previousKek?: Uint8Array }): Promise<{ resealed: number; alreadyCurrent: number }> {
  const keks = kekKeys(options);
  const stored = await options.store.listKeys();
  const opened = await Promise.all(stored.map(async (key) => ({ key, opened: await openKey(keks, key).catch(() => undefined) })));
  const unopened = opened.filter((o) => o.opened === undefined).map((o) => o.key.kid);
  if (unopened.length > 0) throw new KeyRingError(`${unopened.length} signing key(s) cannot be opened with BROKER_KEK or BROKER_KEK_PREVIOUS (kid ${unopened.join(', ')}); nothing was changed.`);
  let resealed = 0;
  for (const { key, opened: o } of opened) {
    if (o!.current) continue;
    await options.store.resealKey(key.kid, await seal(await keks.current, o!.jwk, key.kid));
    resealed += 1;
  }
  return { resealed, alreadyCurrent: stored.length - resealed };
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const refreshMs = options.refreshMs ?? 60_000;
  let cache: { at: number; keys: StoredKey[] } | undefined;
  const signers = new Map<string, Promise<JwtSigner>>();
  const keks = kekKeys(options);

  async function keys(): Promise<StoredKey[]> {
    if (!cache || options.now() - cache.at > refreshMs) cache = { at: options.now(), keys: await options.store.listKeys() };
    return cache.keys;
  }

  async function create(alg: Alg): Promise<StoredKey> {
    const pair = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const stored: StoredKey = {
      kid,
      alg,
      publicJwk: { ...publicJwk, kid, alg, use: 'sig' } as JsonWebKey,
      sealedPrivate: await seal(await keks.current, await exportJWK(pair.privateKey), kid),
      createdAt: options.now(),
      retiredAt: null,
    };
    await options.store.addKey(stored);
    cache = undefined;
    return stored;
  }

  const overlapMs = options.overlapHours * 3_600_000;
  const rotateMs = options.rotateAfterDays * 86_400_000;
  // A scheduled replacement is published this long before it signs, so a partner that caches the key set (or is
  // given it by hand) has the new key before the first token it signs. Half the key's life at most.
  const leadMs = Math.min(overlapMs, rotateMs / 2);

  async function liveKeys(alg: Alg): Promise<StoredKey[]> {
    return (await keys()).filter((k) => k.alg === alg && k.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * The key that signs now: the newest live key published for the lead time (or, when none has been, the oldest
   * live one: a first key, or one `rotate` made to sign at once).
   */
  function signingKey(live: readonly StoredKey[], now: number): StoredKey {
    return live.find((k) => now - k.createdAt >= leadMs) ?? live[live.length - 1]!;
  }

  /** Live keys older than the signing one are retired (they stay published for the overlap); a successor is due. */
  function upkeepDue(live: readonly StoredKey[], signing: StoredKey, now: number): { retire: StoredKey[]; successor: boolean } {
    // Two instances racing to make a successor each make one: the other is one of these.
    const retire = live.filter((k) => k !== signing && k.createdAt <= signing.createdAt);
    return { retire, successor: live[0] === signing && now - signing.createdAt >= rotateMs - leadMs };
  }

  /** One piece of upkeep per algorithm at a time in this instance: launches arriving meanwhile share it. */
  const upkeep = new Map<Alg, Promise<void>>();

  function upkeepFor(alg: Alg): Promise<void> {
    let running = upkeep.get(alg);
    if (!running) {
      running = (async () => {
        // Read afresh: what prompted this may have been done by another instance, or by the last upkeep here.
        cache = undefined;
        const now = options.now();
        const live = await liveKeys(alg);
        if (live.length === 0) {
          await create(alg);
          return;
        }
        const due = upkeepDue(live, signingKey(live, now), now);
        for (const key of due.retire) await options.store.retireKey(key.kid, now);
        if (due.successor) await create(alg);
        cache = undefined;
      })().finally(() => upkeep.delete(alg));
      upkeep.set(alg, running);
    }
    return running;
  }

  /**
   * The signing key. Upkeep that is due runs beside it: a launch neither waits for it nor fails with it, as the key
   * it signs with is already published (the hourly `maintain` retries what failed). Only a first key is waited for.
   */
  async function current(alg: Alg): Promise<StoredKey> {
    let live = await liveKeys(alg);
    if (live.length === 0) {
      await upkeepFor(alg);
      live = await liveKeys(alg);
      if (live.length === 0) throw new KeyRingError(`no ${alg} signing key could be made`);
    }
    const now = options.now();
    const signing = signingKey(live, now);
    const due = upkeepDue(live, signing, now);
    if (due.retire.length > 0 || due.successor) upkeepFor(alg).catch(() => undefined);
    return signing;
  }

  /** For each algorithm in use: the successor made and the predecessors retired on time, even with no launches. */
  async function maintain(algs: readonly Alg[]): Promise<void> {
    for (const alg of new Set(algs)) await upkeepFor(alg);
  }

  return {
    async signer(alg) {
      const key = await current(alg);
      let signer = signers.get(key.kid);
      if (!signer) {
        signer = (async () => {
          const { jwk } = await openKey(keks, key);
          const privateKey = createPrivateKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' });
          return {
            alg,
            kid: key.kid,
            key: (await importJWK(jwk, alg, { extractable: false })) as CryptoKey,
            // node:crypto in the request's own turn: a WebCrypto signature is a thread-pool job here (two a Black Pear launch).
            signBytes: (input: Uint8Array) => cryptoSign('sha256', input, alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey),
          };
        })();
        signers.set(key.kid, signer);
      }
      return signer;
    },
    async jwks() {
      const overlapMs = options.overlapHours * 3_600_000;
      const now = options.now();
      return { keys: (await keys()).filter((k) => k.retiredAt === null || now - k.retiredAt < overlapMs).map((k) => k.publicJwk as JWK) };
    },
    async rotate(alg) {
      const old = (await keys()).filter((k) => k.alg === alg && k.retiredAt === null);
      const fresh = await create(alg);
      for (const key of old) await options.store.retireKey(key.kid, options.now());
      cache = undefined;
      return fresh.kid;
    },
    maintain,
  };
}
