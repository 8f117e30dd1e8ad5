import { jwtVerify, createLocalJWKSet, decodeProtectedHeader, SignJWT } from 'jose';
import { signJwt } from '../../connectors/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type BrokerStore } from '../store/store';
import { createKeyRing, KeyRingError, rewrapKeys } from './key-ring';

const DAY = 86_400_000;
const HOUR = 3_600_000;

// PGlite starts in seconds, more while other test files run: generous limits.
describe('the broker\'s signing keys', { timeout: 60_000 }, () => {
  let store: BrokerStore;
  beforeAll(async () => {
    store = await openStore({});
  });
  afterAll(async () => store.close());

  let kek = crypto.getRandomValues(new Uint8Array(32));
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

  it.each(['ES256', 'RS256'] as const)('%s: connectors\' tokens are signed with node:crypto, in the form WebCrypto gives, and its JWKS verifies them', async (alg) => {
    const signer = await ring().signer(alg);
    expect(signer.signBytes).toBeTypeOf('function');
    const claims = { iss: 'broker', sub: 'dr.jones', aud: 'https://partner.example', jti: 'j-1', iat: 1_700_000_000, exp: 1_700_000_060 };
    const token = await signJwt(signer, claims);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await ring().jwks()), { currentDate: new Date(1_700_000_010_000) });
    expect(payload).toEqual(claims);
    expect(protectedHeader).toEqual({ alg, kid: signer.kid, typ: 'JWT' });
    // The extension's path (WebCrypto through jose) makes the same header and claims.
    const viaWebCrypto = await signJwt({ alg, kid: signer.kid, key: signer.key }, claims);
    expect(decodeProtectedHeader(viaWebCrypto)).toEqual(protectedHeader);
    expect(viaWebCrypto.split('.').slice(0, 2)).toEqual(token.split('.').slice(0, 2));
    if (alg === 'ES256') expect(Buffer.from(token.split('.')[2]!, 'base64url')).toHaveLength(64);
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

  it('opens keys sealed under the previous key-encryption key, seals new ones under the current, and rewraps them all once', async () => {
    const kekA = kek;
    const kekB = crypto.getRandomValues(new Uint8Array(32));
    const kekC = crypto.getRandomValues(new Uint8Array(32));
    const made = await ring(kekA).signer('ES256');
    const kids = (await store.listKeys()).map((k) => k.kid);
    expect(kids.length).toBeGreaterThan(1);
    // Mid-rotation: B current, A previous. The key sealed under A still signs; B alone cannot open it yet.
    const rotating = () => createKeyRing({ store, kek: kekB, previousKek: kekA, now: () => now, rotateAfterDays: 90, overlapHours: 72, refreshMs: 0 });
    expect((await rotating().signer('ES256')).kid).toBe(made.kid);
    await expect(ring(kekB).signer('ES256')).rejects.toBeInstanceOf(KeyRingError);
    const sealedBefore = JSON.stringify(await store.listKeys());

    // Neither key opens them: refused, and nothing changed. The message names the kid and nothing secret.
    const refusal = await rewrapKeys({ store, kek: kekC }).then(() => undefined, (error: unknown) => error as Error);
    expect(refusal).toBeInstanceOf(KeyRingError);
    expect(refusal!.message).toContain(kids[0]);
    for (const secret of [kekA, kekB, kekC]) expect(refusal!.message).not.toContain(Buffer.from(secret).toString('base64url'));
    expect(JSON.stringify(await store.listKeys())).toBe(sealedBefore);

    expect(await rewrapKeys({ store, kek: kekB, previousKek: kekA })).toEqual({ resealed: kids.length, alreadyCurrent: 0 });
    // Idempotent: the second run finds every key already sealed under B.
    expect(await rewrapKeys({ store, kek: kekB, previousKek: kekA })).toEqual({ resealed: 0, alreadyCurrent: kids.length });
    expect(await rewrapKeys({ store, kek: kekB })).toEqual({ resealed: 0, alreadyCurrent: kids.length });
    const after = await store.listKeys();
    // Only the sealed part changed (every key's, retired ones too), and it still holds no private member in the clear.
    expect(after.map(({ sealedPrivate: _, ...rest }) => rest)).toEqual(JSON.parse(sealedBefore).map(({ sealedPrivate: _, ...rest }: { sealedPrivate: unknown }) => rest));
    expect(after.every((k, i) => k.sealedPrivate.data !== (JSON.parse(sealedBefore) as typeof after)[i]!.sealedPrivate.data)).toBe(true);
    expect(JSON.stringify(after)).not.toMatch(/"d":/);

    // B alone now opens the same key and its signature verifies against the JWKS; A alone no longer does.
    const signer = await ring(kekB).signer('ES256');
    expect(signer.kid).toBe(made.kid);
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: signer.kid }).sign(signer.key);
    await jwtVerify(token, createLocalJWKSet(await ring(kekB).jwks()));
    await expect(ring(kekA).signer('ES256')).rejects.toBeInstanceOf(KeyRingError);
    kek = kekB;
  });

  it('rotates on demand', async () => {
    const before = await ring().signer('ES256');
    const kid = await ring().rotate('ES256');
    expect(kid).not.toBe(before.kid);
    expect((await ring().signer('ES256')).kid).toBe(kid);
  });
});
