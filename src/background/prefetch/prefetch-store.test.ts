import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LaunchOutput } from '../../connectors/connector';
import { createPrefetchStore, EXPIRY_MARGIN_MS, type PrefetchBinding } from './prefetch-store';

const BINDING: PrefetchBinding = { tabId: 7, frameId: 0, documentId: 'doc-1', partnerId: 'pkb', fingerprint: '9990000018|1985-03-12|SMITH|John|Mr', clinician: 'dr.jones' };
const output = (n: number, expiresAt?: number): LaunchOutput => ({ instruction: { open: `https://pkb.example/otp.action?otpToken=otp-${n}` }, ...(expiresAt ? { expiresAt } : {}) });

describe('prefetched launches', () => {
  let clock = 1_000_000;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 1_000_000;
  });
  afterEach(() => vi.useRealTimers());
  const now = () => clock;

  it('gives a prefetched launch once, to exactly the binding it was fetched for', async () => {
    const store = createPrefetchStore(now);
    store.start(BINDING, async () => output(1, clock + 60_000));
    expect(await store.take(BINDING)).toEqual(output(1, clock + 60_000));
    expect(await store.take(BINDING)).toBeUndefined();
  });

  it.each([
    ['another frame', { frameId: 3 }],
    ['another document', { documentId: 'doc-2' }],
    ['another patient', { fingerprint: '9434765919|1970-01-01|DOE|Jane|' }],
    ['another clinician', { clinician: 'dr.patel' }],
  ])('refuses and discards it for %s', async (_what, change) => {
    const store = createPrefetchStore(now);
    store.start(BINDING, async () => output(1));
    const changed = { ...BINDING, ...change };
    expect(await store.take(changed)).toBeUndefined();
    // Discarded, not kept for later: the original binding cannot have it either.
    expect(await store.take(BINDING)).toBeUndefined();
  });

  it('another tab never gets it (and does not disturb it)', async () => {
    const store = createPrefetchStore(now);
    store.start(BINDING, async () => output(1));
    expect(await store.take({ ...BINDING, tabId: 8 })).toBeUndefined();
    expect(await store.take(BINDING)).toEqual(output(1));
  });

  it('does not fetch twice for the same binding, and replaces a fetch for an old patient', async () => {
    const store = createPrefetchStore(now);
    const build = vi.fn(async () => output(1));
    store.start(BINDING, build);
    store.start(BINDING, build);
    expect(build).toHaveBeenCalledTimes(1);
    const other = { ...BINDING, fingerprint: 'other' };
    store.start(other, async () => output(2));
    expect(await store.take(other)).toEqual(output(2));
  });

  it('a click during the fetch waits for it instead of fetching again', async () => {
    const store = createPrefetchStore(now);
    let resolve!: (o: LaunchOutput) => void;
    store.start(BINDING, () => new Promise((r) => (resolve = r)));
    const taken = store.take(BINDING);
    resolve(output(3));
    expect(await taken).toEqual(output(3));
  });

  it('never gives an expired or nearly expired credential, and drops it at expiry', async () => {
    const store = createPrefetchStore(now);
    store.start(BINDING, async () => output(1, clock + EXPIRY_MARGIN_MS - 1));
    expect(await store.take(BINDING)).toBeUndefined();

    store.start(BINDING, async () => output(2, clock + 60_000));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.size).toBe(1);
    clock += 60_000;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(store.size).toBe(0);
  });

  it('a failed prefetch gives nothing (the click then fetches its own)', async () => {
    const store = createPrefetchStore(now);
    store.start(BINDING, async () => {
      throw new Error('partner down');
    });
    expect(await store.take(BINDING)).toBeUndefined();
  });

  it('drops by tab (patient change or tab closed), by partner, and all at once', async () => {
    const store = createPrefetchStore(now);
    store.start(BINDING, async () => output(1));
    store.dropTab(7, BINDING.fingerprint, BINDING.documentId);
    expect(store.size).toBe(1);
    store.dropTab(7, 'another patient', BINDING.documentId);
    expect(store.size).toBe(0);
    store.start(BINDING, async () => output(1));
    store.dropTab(7, BINDING.fingerprint, 'doc-2');
    expect(store.size).toBe(0);
    store.start(BINDING, async () => output(1));
    store.dropPartner('pkb');
    expect(store.size).toBe(0);
    store.start(BINDING, async () => output(1));
    store.start({ ...BINDING, tabId: 9 }, async () => output(1));
    store.clear();
    expect(store.size).toBe(0);
  });
});
