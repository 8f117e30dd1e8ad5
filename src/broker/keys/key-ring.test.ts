import { jwtVerify, createLocalJWKSet, decodeProtectedHeader, SignJWT } from 'jose';
import { signJwt } from '../../connectors/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type BrokerStore, type StoredKey } from '../store/store';
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

  it('publishes a successor for the overlap before it signs, then keeps the old key published for the overlap only', async () => {
    const keyRing = ring();
    const old = await keyRing.signer('ES256');
    // 90 days less 72 hours: the successor is made and published beside the launch, but the old key still signs.
    now += 87 * DAY + HOUR;
    expect((await keyRing.signer('ES256')).kid).toBe(old.kid);
    await keyRing.maintain(['ES256']);
    const published = (await keyRing.jwks()).keys.filter((k) => k.alg === 'ES256').map((k) => k.kid);
    expect(published).toHaveLength(2);
    const successor = published.find((kid) => kid !== old.kid)!;
    // Once it has been published for the overlap, it signs; the old key stays published for the overlap more.
    now += 72 * HOUR;
    expect((await keyRing.signer('ES256')).kid).toBe(successor);
    await keyRing.maintain(['ES256']);
    expect((await keyRing.jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([old.kid, successor]));
    now += 73 * HOUR;
    expect((await keyRing.jwks()).keys.map((k) => k.kid)).not.toContain(old.kid);
    now += 90 * DAY;
    await keyRing.maintain(['ES256']);
  });

  it('opens keys sealed under the previous key-encryption key, seals new ones under the current, and rewraps them all once', async () => {
    const kekA = kek;
    const kekB = crypto.getRandomValues(new Uint8Array(32));
    const kekC = crypto.getRandomValues(new Uint8Array(32));
    const first = ring(kekA);
    await first.maintain(['ES256']);
    const made = await first.signer('ES256');
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
    const keyRing = ring();
    await keyRing.maintain(['ES256']);
    const before = await keyRing.signer('ES256');
    const kid = await keyRing.rotate('ES256');
    expect(kid).not.toBe(before.kid);
    expect((await keyRing.signer('ES256')).kid).toBe(kid);
  });
});

/** The key list alone, in memory: what the key ring asks of the store. */
function keyStore(): BrokerStore & { kept: StoredKey[] } {
  const kept: StoredKey[] = [];
  return {
    kept,
    listKeys: async () => kept.map((k) => ({ ...k })),
    addKey: async (key: StoredKey) => void kept.push({ ...key }),
    retireKey: async (kid: string, at: number) => void kept.filter((k) => k.kid === kid).forEach((k) => (k.retiredAt = at)),
  } as unknown as BrokerStore & { kept: StoredKey[] };
}

describe('signing key rotation', () => {
  const kek = crypto.getRandomValues(new Uint8Array(32));
  const ringOn = (store: BrokerStore, clock: () => number, rotateAfterDays = 90, overlapHours = 72) => createKeyRing({ store, kek, now: clock, rotateAfterDays, overlapHours, refreshMs: 0 });
  const published = async (ring: ReturnType<typeof ringOn>) => (await ring.jwks()).keys.map((k) => k.kid).sort();

  it('two instances that both make a successor: one signs, the other is retired and leaves the key set after the overlap', async () => {
    const store = keyStore();
    let now = 0;
    const first = await ringOn(store, () => now).signer('ES256');
    now = 88 * DAY;
    // Each instance read the list before the other wrote: both make a successor.
    const seen = await store.listKeys();
    const racing: BrokerStore = { ...store, listKeys: async () => seen.map((k) => ({ ...k })) };
    await ringOn(racing, () => now).maintain(['ES256']);
    now += 1000;
    await ringOn(racing, () => now).maintain(['ES256']);
    expect(store.kept.filter((k) => k.retiredAt === null)).toHaveLength(3);
    now = 88 * DAY + 73 * HOUR;
    const signing = await ringOn(store, () => now).signer('ES256');
    expect(signing.kid).not.toBe(first.kid);
    expect(store.kept.filter((k) => k.retiredAt === null).map((k) => k.kid)).toEqual([signing.kid]);
    now += 73 * HOUR;
    expect(await published(ringOn(store, () => now))).toEqual([signing.kid]);
  });

  it('an idle broker makes the successor on its own upkeep, and the old key signs until it has been published for the overlap', async () => {
    const store = keyStore();
    let now = 0;
    const ring = ringOn(store, () => now);
    const old = await ring.signer('RS256');
    // Nobody launched for 100 days: the old key is overdue, and no successor was published.
    now = 100 * DAY;
    await ring.maintain(['RS256']);
    expect(await published(ring)).toHaveLength(2);
    expect((await ring.signer('RS256')).kid).toBe(old.kid);
    now += 72 * HOUR;
    expect((await ring.signer('RS256')).kid).not.toBe(old.kid);
  });

  it('many launches at once when a successor falls due make one successor, and none waits for it or fails with it', async () => {
    const store = keyStore();
    let now = 0;
    const ring = ringOn(store, () => now);
    const old = await ring.signer('ES256');
    now = 88 * DAY;
    const signers = await Promise.all(Array.from({ length: 20 }, () => ring.signer('ES256')));
    expect(new Set(signers.map((signer) => signer.kid))).toEqual(new Set([old.kid]));
    await ring.maintain(['ES256']);
    expect(store.kept).toHaveLength(2);

    // The database failing during upkeep: the launch still signs with the published key; upkeep tries again later.
    const failing: BrokerStore = { ...store, addKey: () => Promise.reject(new Error('database down')), retireKey: () => Promise.reject(new Error('database down')) };
    const other = keyStore();
    other.kept.push(...store.kept.slice(0, 1));
    const flaky = ringOn({ ...failing, listKeys: other.listKeys } as BrokerStore, () => now);
    expect((await flaky.signer('ES256')).kid).toBe(old.kid);
    await expect(flaky.maintain(['ES256'])).rejects.toThrow('database down');
  });

  it('a key rotated on demand signs at once (a suspected compromise does not wait)', async () => {
    const store = keyStore();
    let now = 0;
    const ring = ringOn(store, () => now);
    const old = await ring.signer('ES256');
    now = DAY;
    const kid = await ring.rotate('ES256');
    expect((await ring.signer('ES256')).kid).toBe(kid);
    expect(await published(ring)).toEqual([kid, old.kid].sort());
  });

  it('a short key life publishes the successor half a life ahead when the overlap is longer', async () => {
    const store = keyStore();
    let now = 0;
    const ring = ringOn(store, () => now, 1, 72);
    const old = await ring.signer('ES256');
    now = 11 * HOUR;
    await ring.maintain(['ES256']);
    expect(await published(ring)).toEqual([old.kid]);
    now = 12 * HOUR;
    await ring.maintain(['ES256']);
    expect(await published(ring)).toHaveLength(2);
    expect((await ring.signer('ES256')).kid).toBe(old.kid);
    now = 24 * HOUR;
    expect((await ring.signer('ES256')).kid).not.toBe(old.kid);
  });
});
