import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/audit';
import { openAuditDb } from './audit-db';
import { createAuditLog } from './audit-log';

const entry = (n: number): AuditEntry => ({ time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), event: 'launch', clinician: 'dr.jones', partnerId: 'parchment', nhsNumber: '9990000018', outcome: 'ok', ms: n });

function log(cap: number) {
  let id = 0;
  return createAuditLog({ db: openAuditDb(), cap, newId: () => `id-${++id}` });
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('audit log', () => {
  it('gives each entry an id and lists them newest first', async () => {
    const audit = log(10);
    const stored = await audit.append(entry(1));
    await audit.append(entry(2));
    expect(stored).toEqual({ id: 'id-1', ...entry(1) });
    const page = await audit.list();
    expect(page.entries.map((e) => e.ms)).toEqual([2, 1]);
    expect(page).toMatchObject({ dropped: 0, cap: 10 });
  });

  it('keeps at most the cap, dropping the oldest and counting them', async () => {
    const audit = log(3);
    for (let n = 1; n <= 7; n++) await audit.append(entry(n));
    const page = await audit.list();
    expect(page.entries.map((e) => e.ms)).toEqual([7, 6, 5]);
    expect(page.dropped).toBe(4);
  });

  it('keeps order and loses nothing when writes overlap, and a list started after them sees them all', async () => {
    const audit = log(100);
    const [, page] = await Promise.all([Promise.all(Array.from({ length: 20 }, (_, i) => audit.append(entry(i)))), audit.list()]);
    expect(page.entries.map((e) => e.ms)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
  });

  it('keeps its counters across restarts (a new log over the same database)', async () => {
    const first = log(2);
    for (let n = 1; n <= 3; n++) await first.append(entry(n));
    const second = log(2);
    await second.append(entry(4));
    const page = await second.list();
    expect(page.entries.map((e) => e.ms)).toEqual([4, 3]);
    expect(page.dropped).toBe(2);
  });
});
