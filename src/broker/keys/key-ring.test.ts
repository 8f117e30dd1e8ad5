import { jwtVerify, createLocalJWKSet, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type BrokerStore } from '../store/store';
import { createKeyRing } from './key-ring';

const DAY = 86_400_000;
const HOUR = 3_600_000;

// PGlite starts in seconds, more while other test files run: generous limits.
describe('the broker\'s signing keys', { timeout: 60_000 }, () => {
  let store: BrokerStore;
  beforeAll(async () => {
    store = await openStore({});
  });
  afterAll(async () => store.close());

  const kek = crypto.getRandomValues(new Uint8Array(32));
  let now = 1_000 * DAY;
  const ring = (key = kek) => createKeyRing({ store, kek: key, now: () => now, rotateAfterDays: 90, overlapHours: 72, refreshMs: 0 });

  it('makes a key on first use, stores only its sealed private part, and signs what its JWKS verifies', async () => {
    const signer = await ring().signer('ES256');
    const [stored] = await store.listKeys();
    expect(stored).toMatchObject({ kid: signer.kid, alg: 'ES256', retiredAt: null });
    expect(JSON.stringify(stored)).not.toMatch(/"d":/);
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: signer.kid }).sign(signer.key);
    await jwtVerify(token, createLocalJWKSet(await ring().jwks()));
  });

  it('another instance with the same key-encryption key signs with the same key; with another it cannot', async () => {
    const first = await ring().signer('ES256');
    expect((await ring().signer('ES256')).kid).toBe(first.kid);
    await expect(ring(crypto.getRandomValues(new Uint8Array(32))).signer('ES256')).rejects.toThrow();
  });

  it('replaces a key older than rotateAfterDays and keeps the old one published for the overlap only', async () => {
    const old = await ring().signer('ES256');
    now += 91 * DAY;
    const fresh = await ring().signer('ES256');
    expect(fresh.kid).not.toBe(old.kid);
    expect((await ring().jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([old.kid, fresh.kid]));
    now += 73 * HOUR;
    expect((await ring().jwks()).keys.map((k) => k.kid)).not.toContain(old.kid);
  });

  it('rotates on demand', async () => {
    const before = await ring().signer('ES256');
    const kid = await ring().rotate('ES256');
    expect(kid).not.toBe(before.kid);
    expect((await ring().signer('ES256')).kid).toBe(kid);
  });
});
