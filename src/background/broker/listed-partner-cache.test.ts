import { describe, expect, it, vi } from 'vitest';
import { createListedPartnerCache } from './listed-partner-cache';

const parchment = [{ id: 'parchment', label: 'Parchment', kind: 'parchment' }];

describe('the broker list cache', () => {
  it('asks once per clinician within its time to live, and again after it', async () => {
    let now = 0;
    const cache = createListedPartnerCache({ ttlMs: 60_000, now: () => now });
    const load = vi.fn(async () => parchment);
    await cache.get('dr.jones', load);
    now = 59_999;
    expect(await cache.get('dr.jones', load)).toEqual(parchment);
    expect(load).toHaveBeenCalledTimes(1);
    now = 60_000;
    await cache.get('dr.jones', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never gives one clinician the list of another', async () => {
    const cache = createListedPartnerCache({ ttlMs: 60_000, now: () => 0 });
    await cache.get('dr.jones', async () => parchment);
    expect(await cache.get('dr.patel', async () => [])).toEqual([]);
  });

  it('forgets the list when cleared (sign-out)', async () => {
    const cache = createListedPartnerCache({ ttlMs: 60_000, now: () => 0 });
    await cache.get('dr.jones', async () => parchment);
    cache.clear();
    const load = vi.fn(async () => []);
    expect(await cache.get('dr.jones', load)).toEqual([]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed answer', async () => {
    const cache = createListedPartnerCache({ ttlMs: 60_000, now: () => 0 });
    await expect(cache.get('dr.jones', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('dr.jones', async () => parchment)).toEqual(parchment);
  });
});
