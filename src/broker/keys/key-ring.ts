import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { JwtSigner } from '../../connectors/jwt';
import type { BrokerStore, StoredKey } from '../store/store';

/**
 * The broker's own signing keys (Black Pear's tokens): made here, kept in the store with the private part
 * sealed (AES-GCM) under the key-encryption key from the environment, replaced after `rotateAfterDays`, and
 * published in the JWKS until `overlapHours` after they were replaced. Every instance reads the same keys.
 */

type Alg = 'ES256' | 'RS256';

export interface KeyRingOptions {
  store: BrokerStore;
  kek: Uint8Array;
  now: () => number;
  rotateAfterDays: number;
  overlapHours: number;
  /** How long an instance trusts its copy of the key list before reading the store again. */
  refreshMs?: number;
}

export interface KeyRing {
  signer(alg: Alg): Promise<JwtSigner>;
  jwks(): Promise<{ keys: JWK[] }>;
  /** Makes a new key for this algorithm now; the old one is published until the overlap ends. */
  rotate(alg: Alg): Promise<string>;
}

async function kekKey(kek: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new Uint8Array(kek), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export function createKeyRing(options: KeyRingOptions): KeyRing {
  const refreshMs = options.refreshMs ?? 60_000;
  let cache: { at: number; keys: StoredKey[] } | undefined;
  const signers = new Map<string, Promise<JwtSigner>>();
  const kek = kekKey(options.kek);

  async function keys(): Promise<StoredKey[]> {
    if (!cache || options.now() - cache.at > refreshMs) cache = { at: options.now(), keys: await options.store.listKeys() };
    return cache.keys;
  }

  async function seal(jwk: JWK, kid: string): Promise<StoredKey['sealedPrivate']> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(`broker-key/${kid}`) }, await kek, new TextEncoder().encode(JSON.stringify(jwk)));
    return { iv: base64url.encode(iv), data: base64url.encode(new Uint8Array(data)) };
  }

  async function open(key: StoredKey): Promise<JWK> {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(base64url.decode(key.sealedPrivate.iv)), additionalData: new TextEncoder().encode(`broker-key/${key.kid}`) },
      await kek,
      new Uint8Array(base64url.decode(key.sealedPrivate.data)),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as JWK;
  }

  async function create(alg: Alg): Promise<StoredKey> {
    const pair = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
    const publicJwk = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const stored: StoredKey = {
      kid,
      alg,
      publicJwk: { ...publicJwk, kid, alg, use: 'sig' } as JsonWebKey,
      sealedPrivate: await seal(await exportJWK(pair.privateKey), kid),
      createdAt: options.now(),
      retiredAt: null,
    };
    await options.store.addKey(stored);
    cache = undefined;
    return stored;
  }

  async function current(alg: Alg): Promise<StoredKey> {
    const active = (await keys()).filter((k) => k.alg === alg && k.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt)[0];
    if (active && options.now() - active.createdAt < options.rotateAfterDays * 86_400_000) return active;
    // None yet, or too old: one new key. Two instances racing here each add one; both are published, the
    // newest signs, and the other is retired by the next rotation.
    const fresh = await create(alg);
    if (active) await options.store.retireKey(active.kid, options.now());
    cache = undefined;
    return fresh;
  }

  return {
    async signer(alg) {
      const key = await current(alg);
      let signer = signers.get(key.kid);
      if (!signer) {
        signer = (async () => ({ alg, kid: key.kid, key: (await importJWK(await open(key), alg, { extractable: false })) as CryptoKey }))();
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
  };
}
