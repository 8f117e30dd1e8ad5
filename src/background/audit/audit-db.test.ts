import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, FhirAuditEvent, StoredAuditEntry } from '../../shared/audit';
import { AUDIT_DB, openAuditDb } from './audit-db';
import { createAuditForwarder } from './audit-forward';
import { createAuditLog } from './audit-log';

const entry = (n: number): AuditEntry => ({ time: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), event: 'launch', clinician: 'dr.jones', partnerId: 'parchment', nhsNumber: '9990000018', outcome: 'ok', ms: n });
const stored = (n: number): StoredAuditEntry => ({ id: `id-${n}`, ...entry(n) });
const event = (id: string) => ({ resourceType: 'AuditEvent', id }) as FhirAuditEvent;
const ENDPOINT = 'https://audit.example-trust.nhs.uk/fhir/AuditEvent';

/** Each open is a worker starting afresh over the same database. */
const openLog = (cap: number) => createAuditLog({ db: openAuditDb(), cap });
function openForwarder(cap: number, posted: string[] = []) {
  return createAuditForwarder({
    db: openAuditDb(),
    cap,
    now: () => 0,
    post: async (_endpoint, body) => {
      posted.push((JSON.parse(body) as FhirAuditEvent).id);
      return 201;
    },
    wake: () => undefined,
  });
}

type Writer = Record<string, (...args: unknown[]) => unknown>;
let restore: (() => void) | undefined;

/**
 * The worker stops at the nth write from now: that write's transaction never commits (as when the browser
 * stops a worker mid-transaction) and none of the worker's code runs on. Earlier, committed transactions stay.
 */
function stopAtWrite(n: number): void {
  let writes = 0;
  const patched: [Writer, string, Writer[string]][] = [];
  const patch = (proto: Writer, method: string, txOf: (self: never) => IDBTransaction) => {
    const original = proto[method]!;
    patched.push([proto, method, original]);
    proto[method] = function (this: never, ...args: unknown[]) {
      if (++writes === n) {
        txOf(this).abort();
        throw new Error('worker stopped');
      }
      return original.apply(this, args);
    };
  };
  for (const method of ['add', 'put', 'delete']) patch(IDBObjectStore.prototype as unknown as Writer, method, (store: IDBObjectStore) => store.transaction);
  patch(IDBCursor.prototype as unknown as Writer, 'delete', (cursor: IDBCursor) => (cursor.source as IDBObjectStore).transaction);
  restore = () => {
    for (const [proto, method, original] of patched) proto[method] = original;
    restore = undefined;
  };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => restore?.());

describe('audit appends are atomic', () => {
  // An append at the cap writes three times (the entry, the oldest's removal, the dropped count).
  for (const stopAt of [1, 2, 3]) {
    it(`a worker stopped at write ${stopAt} of an append leaves no entry for the next append to overwrite`, async () => {
      const log = openLog(2);
      await log.append(entry(1));
      await log.append(entry(2));
      stopAtWrite(stopAt);
      await expect(log.append(entry(3))).rejects.toThrow('worker stopped');
      restore!();

      const before = await openLog(2).list();
      await openLog(2).append(entry(4));
      const after = await openLog(2).list();
      // Whatever the stop left is still there, with the new entry on top and the count of drops matching.
      expect(after.entries.map((e) => e.ms)).toEqual([4, ...before.entries.map((e) => e.ms)].slice(0, 2));
      expect(after.dropped).toBe(before.dropped + before.entries.length + 1 - 2);
    });
  }

  for (const stopAt of [1, 2, 3]) {
    it(`a worker stopped at write ${stopAt} of an enqueue leaves no event for the next enqueue to overwrite`, async () => {
      const forwarder = openForwarder(2);
      await forwarder.enqueue(event('a'));
      await forwarder.enqueue(event('b'));
      stopAtWrite(stopAt);
      await expect(forwarder.enqueue(event('c'))).rejects.toThrow('worker stopped');
      restore!();

      const before = await queuedIds();
      await openForwarder(2).enqueue(event('d'));
      const posted: string[] = [];
      await openForwarder(2, posted).flush(ENDPOINT);
      expect(posted).toEqual([...before, 'd'].slice(-2));
    });
  }
});

/** The events in the outbox as stored, oldest first. */
async function queuedIds(): Promise<string[]> {
  const db = await openDB(AUDIT_DB);
  const bodies = (await db.getAll('outbox')) as string[];
  db.close();
  return bodies.map((body) => (JSON.parse(body) as FhirAuditEvent).id);
}

describe('audit database upgrade from version 1', () => {
  /** The layout version 1 wrote: zero-padded sequence keys, with next and oldest kept in meta. */
  async function writeVersion1(): Promise<void> {
    const key = (seq: number) => String(seq).padStart(12, '0');
    const db = await openDB(AUDIT_DB, 1, {
      upgrade(v1) {
        for (const name of ['entries', 'meta', 'outbox']) v1.createObjectStore(name);
      },
    });
    const tx = db.transaction(['entries', 'meta', 'outbox'], 'readwrite');
    // Entries 3..11 kept (0..2 dropped); entry 12 was written by an append stopped before its counter.
    for (let seq = 3; seq <= 12; seq++) await tx.objectStore('entries').put(stored(seq), key(seq));
    await tx.objectStore('meta').put({ next: 12, oldest: 3, dropped: 3 }, 'log');
    for (const [seq, id] of [[7, 'x'], [8, 'y']] as const) await tx.objectStore('outbox').put(JSON.stringify(event(id)), key(seq));
    await tx.objectStore('meta').put({ next: 9, oldest: 7, dropped: 2, rejected: 1, failures: 3, nextAt: 5_000, lastError: 'the endpoint answered HTTP 503', lastSentAt: 1_000 }, 'outbox');
    await tx.done;
    db.close();
  }

  it('keeps every stored entry in order with its drop count, and appends after them', async () => {
    await writeVersion1();
    const log = openLog(10);
    let page = await log.list();
    expect(page.entries.map((e) => e.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((n) => `id-${n}`));
    expect(page.dropped).toBe(3);

    await log.append(entry(13));
    page = await log.list();
    expect(page.entries.map((e) => e.ms)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect(page.dropped).toBe(4);
  });

  it('keeps the outbox, its counters and its backoff, and sends the old events before new ones', async () => {
    await writeVersion1();
    const posted: string[] = [];
    const forwarder = openForwarder(10, posted);
    expect(await forwarder.status()).toEqual({ pending: 2, dropped: 2, rejected: 1, failures: 3, nextAt: 5_000, lastError: 'the endpoint answered HTTP 503', lastSentAt: 1_000 });

    await forwarder.enqueue(event('z'));
    await forwarder.resetBackoff();
    const status = await forwarder.flush(ENDPOINT);
    expect(posted).toEqual(['x', 'y', 'z']);
    expect(status).toMatchObject({ pending: 0, dropped: 2, rejected: 1, failures: 0, nextAt: null });
  });

  it('upgrades an empty version 1 database', async () => {
    const db = await openDB(AUDIT_DB, 1, {
      upgrade(v1) {
        for (const name of ['entries', 'meta', 'outbox']) v1.createObjectStore(name);
      },
    });
    db.close();
    const log = openLog(10);
    await log.append(entry(1));
    expect(await log.list()).toMatchObject({ entries: [{ ms: 1 }], dropped: 0 });
    expect(await openForwarder(10).status()).toMatchObject({ pending: 0, dropped: 0, failures: 0 });
  });
});
