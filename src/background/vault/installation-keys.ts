import { calculateJwkThumbprint, type JWK } from 'jose';
import type { JwtSigner } from '../../connectors/jwt';
import { LaunchError } from '../../shared/launch-error';
import { idbStore } from '../storage/idb';
import { storageKeys } from '../storage/storage-keys';

/**
 * This installation's signing keys for partners that trust signed tokens. Private keys are generated
 * non-extractable and live only in IndexedDB; `kid` is the RFC 7638 thumbprint of the public key. Rotation
 * makes a new active key and keeps the old one listed (partners may still hold it) until it is removed.
 */

export type SigningAlg = 'ES256' | 'RS256';

interface StoredKey {
  kid: string;
  alg: SigningAlg;
  privateKey: CryptoKey;
  publicJwk: JWK;
  createdAt: string;
  retired: boolean;
}

export interface PublicKeyInfo {
  kid: string;
  alg: SigningAlg;
  createdAt: string;
  active: boolean;
}

const store = idbStore(storageKeys.signingKeyDatabase.database, 'signing');

const PARAMS: Record<SigningAlg, RsaHashedKeyGenParams | EcKeyGenParams> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

async function generate(alg: SigningAlg): Promise<StoredKey> {
  // Non-extractable: the private key can sign but can never be exported, not even by us.
  const pair = (await crypto.subtle.generateKey(PARAMS[alg], false, ['sign', 'verify'])) as CryptoKeyPair;
  const exported = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JWK;
  const publicJwk: JWK = { kty: exported.kty, ...(alg === 'ES256' ? { crv: exported.crv, x: exported.x, y: exported.y } : { n: exported.n, e: exported.e }) };
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const key: StoredKey = { kid, alg, privateKey: pair.privateKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' }, createdAt: new Date().toISOString(), retired: false };
  await store.put(kid, key);
  return key;
}

async function allKeys(): Promise<StoredKey[]> {
  return (await store.getAll<StoredKey>()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function activeKey(alg: SigningAlg): Promise<StoredKey | undefined> {
  return (await allKeys()).filter((k) => k.alg === alg && !k.retired).at(-1);
}

/** The active key for an algorithm, made on first use (once, even if two launches ask at the same time). */
export async function signerFor(alg: SigningAlg): Promise<JwtSigner> {
  const key = (await activeKey(alg)) ?? (await navigator.locks.request(`installation-key/${alg}`, async () => (await activeKey(alg)) ?? generate(alg)));
  return { alg: key.alg, kid: key.kid, key: key.privateKey };
}

/** The public keys partners enrol (the JWKS), newest last. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  return { keys: (await allKeys()).map((k) => k.publicJwk) };
}

export async function listKeys(): Promise<PublicKeyInfo[]> {
  return (await allKeys()).map((k) => ({ kid: k.kid, alg: k.alg, createdAt: k.createdAt, active: !k.retired }));
}

/** Makes a new active key; the previous ones stay listed in the JWKS until removed. */
export async function rotateKey(alg: SigningAlg): Promise<PublicKeyInfo> {
  return navigator.locks.request(`installation-key/${alg}`, async () => {
    for (const key of await allKeys()) {
      if (key.alg === alg && !key.retired) await store.put(key.kid, { ...key, retired: true });
    }
    const fresh = await generate(alg);
    return { kid: fresh.kid, alg: fresh.alg, createdAt: fresh.createdAt, active: true };
  });
}

/** Removes a retired key for good (an active key cannot be removed: rotate first). */
export async function removeKey(kid: string): Promise<void> {
  const key = await store.get<StoredKey>(kid);
  if (!key) throw new LaunchError('unknown-key', 'There is no such key.', ['adminUnknownKey']);
  if (!key.retired) throw new LaunchError('key-active', 'The active key cannot be removed: rotate first, then remove the old key.', ['adminKeyActive']);
  await store.delete(kid);
}
