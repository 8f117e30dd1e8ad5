import { describe, expect, it } from 'vitest';
import type { LaunchOutput } from '../../connectors/connector';
import type { ListableArea } from '../storage/key-value-area';
import { createPrefetchStore, type PrefetchBinding } from './prefetch-store';
import { createPrefetchKeeper } from './prefetch-keeper';
import { createSealer, type KeyStore } from '../vault/vault-crypto';

const BINDING: PrefetchBinding = { tabId: 7, frameId: 0, documentId: 'doc-1', partnerId: 'pkb', fingerprint: '9990000018|1985-03-12|SMITH|John|Mr', clinician: 'dr.jones' };
const OTP = 'otp-secret-1';
const output = (expiresAt: number): LaunchOutput => ({ instruction: { open: `https://pkb.example/otp.action?otpToken=${OTP}` }, expiresAt });

function memoryArea(): ListableArea & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    keys: async () => [...map.keys()],
    get: async (k) => structuredClone(map.get(k)),
    set: async (k, v) => void map.set(k, structuredClone(v)),
    remove: async (k) => void map.delete(k),
  };
}

function memoryKeys(): KeyStore {
  let key: CryptoKey | undefined;
  return { load: async () => key, save: async (k) => (key ??= k) };
}

/** One browser session: its session storage and sealing key outlive each worker (store) started on them. */
function session() {
  const area = memoryArea();
  const sealer = createSealer(memoryKeys());
  let clock = Date.now();
  const now = () => clock;
  return {
    area,
    advance: (ms: number) => void (clock += ms),
    now,
    worker: () => createPrefetchStore(now, createPrefetchKeeper(area, sealer)),
  };
}

async function prefetchedIn(s: ReturnType<typeof session>) {
  const first = s.worker();
  first.start(BINDING, async () => output(s.now() + 60_000));
  // The fetch and its keeping finish before the worker is stopped.
  await first.take({ ...BINDING, tabId: 999 });
  await first.settled();
  return first;
}

describe('a prefetched credential outlives the worker being stopped', () => {
  it('a new worker gives it once, to exactly its binding', async () => {
    const s = session();
    await prefetchedIn(s);
    const second = s.worker();
    expect(await second.take(BINDING)).toEqual(output(s.now() + 60_000));
    expect(await second.take(BINDING)).toBeUndefined();
    expect(await s.worker().take(BINDING)).toBeUndefined();
  });

  it('is sealed at rest: the one-time password is not readable in session storage', async () => {
    const s = session();
    await prefetchedIn(s);
    expect(s.area.map.size).toBe(1);
    expect(JSON.stringify([...s.area.map])).not.toContain(OTP);
  });

  it.each([
    ['another frame', { frameId: 3 }],
    ['another document', { documentId: 'doc-2' }],
    ['another patient', { fingerprint: '9434765919|1970-01-01|DOE|Jane|' }],
    ['another clinician', { clinician: 'dr.patel' }],
  ])('is refused and discarded for %s after a restart', async (_what, change) => {
    const s = session();
    await prefetchedIn(s);
    const second = s.worker();
    expect(await second.take({ ...BINDING, ...change })).toBeUndefined();
    expect(await second.take(BINDING)).toBeUndefined();
  });

  it('a record moved to another key (another tab) does not open', async () => {
    const s = session();
    await prefetchedIn(s);
    const [[key, record]] = [...s.area.map] as [[string, { binding: PrefetchBinding }]];
    s.area.map.delete(key);
    s.area.map.set('prefetch:8:pkb', { ...record, binding: { ...record.binding, tabId: 8 } });
    expect(await s.worker().take({ ...BINDING, tabId: 8 })).toBeUndefined();
  });

  it('once spent in the worker that fetched it, a restarted worker cannot spend it again', async () => {
    const s = session();
    const first = await prefetchedIn(s);
    expect(await first.take(BINDING)).toBeDefined();
    expect(await s.worker().take(BINDING)).toBeUndefined();
  });

  it('the patient changing, the tab closing, sign-out: a restarted worker drops what the old one kept', async () => {
    for (const drop of [
      (w: ReturnType<ReturnType<typeof session>['worker']>) => w.dropTab(7, 'another|patient', 'doc-1'),
      (w: ReturnType<ReturnType<typeof session>['worker']>) => w.dropTab(7),
      (w: ReturnType<ReturnType<typeof session>['worker']>) => w.dropPartner('pkb'),
      (w: ReturnType<ReturnType<typeof session>['worker']>) => w.clear(),
    ]) {
      const s = session();
      await prefetchedIn(s);
      const second = s.worker();
      drop(second);
      await second.settled();
      expect(s.area.map.size).toBe(0);
    }
  });

  it('the same patient reported again keeps it', async () => {
    const s = session();
    await prefetchedIn(s);
    const second = s.worker();
    second.dropTab(7, BINDING.fingerprint, BINDING.documentId);
    await second.settled();
    expect(await second.take(BINDING)).toBeDefined();
  });

  it('an expired one is not given, and is swept', async () => {
    const s = session();
    await prefetchedIn(s);
    s.advance(61_000);
    const second = s.worker();
    expect(await second.take(BINDING)).toBeUndefined();
    expect(s.area.map.size).toBe(0);
  });

  it('a restarted worker asked to prefetch the same binding uses the kept one instead of fetching again', async () => {
    const s = session();
    await prefetchedIn(s);
    const second = s.worker();
    let fetched = 0;
    second.start(BINDING, async () => {
      fetched++;
      return output(s.now() + 60_000);
    });
    expect(await second.take(BINDING)).toEqual(output(s.now() + 60_000));
    expect(fetched).toBe(0);
    expect(s.area.map.size).toBe(0);
  });
});
