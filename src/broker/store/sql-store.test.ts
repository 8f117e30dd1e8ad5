/**
 * The store's contract, run against PGlite always and against PostgreSQL when DATABASE_URL is set: each test in a
 * fresh schema, dropped afterwards. PGlite in its default schema and in a data directory is opened as the broker
 * opens it, with openStore.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntry } from '../broker-test-fixtures';
import { admitMany } from './admit-many';
import { migrate, MIGRATIONS } from './migrations';
import { createPgClient } from './pg-client';
import { createPgliteClient } from './pglite-client';
import { createSqlStore, type SqlClient } from './sql-store';
import { openStore, type BrokerStore, type StoredKey } from './store';

/** One database, fresh for each test. */
interface Database {
  /** Another store on this database (as another broker instance would have). */
  open(options?: { migrate?: boolean; forwardAudit?: boolean }): Promise<BrokerStore>;
  /** SQL on the same database, for what the store's interface does not show. */
  sql<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

interface Backend {
  name: string;
  create(): Promise<Database>;
  /** A store with its own connection, closed by the test. */
  openAlone(): Promise<BrokerStore>;
}

/** A client whose every statement runs in `schema` (PGlite is one session: the search path is set each time). */
function inSchema(client: SqlClient, schema: string): SqlClient {
  const use = () => client.query(`SET search_path TO ${schema}`);
  return {
    async query(sql, params) {
      await use();
      return client.query(sql, params);
    },
    async transaction(fn) {
      await use();
      return client.transaction(fn);
    },
    close: async () => undefined,
  };
}

// Starting PGlite takes seconds: one instance serves the whole file, each test in a fresh schema of its own.
let sharedPglite: Promise<SqlClient> | undefined;
afterAll(async () => {
  await (await sharedPglite)?.close();
});

const pglite: Backend = {
  name: 'PGlite',
  async create() {
    const shared = await (sharedPglite ??= createPgliteClient());
    const schema = `test_${randomBytes(8).toString('hex')}`;
    await shared.query(`CREATE SCHEMA ${schema}`);
    // Stores on one PGlite database share its client (it is one process's database).
    const client = inSchema(shared, schema);
    return {
      async open(options = {}) {
        const store = createSqlStore(client, { closeClient: false, ...(options.forwardAudit ? { forwardAudit: true } : {}) });
        if (options.migrate !== false) await store.migrate();
        return store;
      },
      sql: async (sql, params) => (await client.query(sql, params)).rows as never[],
      dispose: async () => {
        await shared.query(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  },
  openAlone: () => openStore({}),
};

const databaseUrl = process.env.DATABASE_URL;

function postgres(url: string): Backend {
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'PostgreSQL',
    async create() {
      const schema = `test_${randomBytes(8).toString('hex')}`;
      await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
      const stores: BrokerStore[] = [];
      const raw: SqlClient = createPgClient({ databaseUrl: url, schema, poolSize: 2 });
      return {
        async open(options = {}) {
          const store = await openStore({ databaseUrl: url, schema, poolSize: 5, migrate: options.migrate ?? true, ...(options.forwardAudit ? { forwardAudit: true } : {}) });
          stores.push(store);
          return store;
        },
        sql: async (sql, params) => (await raw.query(sql, params)).rows as never[],
        async dispose() {
          await Promise.all(stores.map((s) => s.close()));
          await raw.close();
          await admin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
        },
      };
    },
    async openAlone() {
      // The database's default schema is left alone: the store only needs to answer ping().
      return openStore({ databaseUrl: url, migrate: false });
    },
  };
}

const backends: Backend[] = [pglite, ...(databaseUrl ? [postgres(databaseUrl)] : [])];

const entry = auditEntry;

const key = (kid: string, createdAt: number): StoredKey => ({
  kid,
  alg: 'ES256',
  publicJwk: { kty: 'EC', crv: 'P-256', x: `x-${kid}`, y: `y-${kid}` },
  sealedPrivate: { iv: `iv-${kid}`, data: `sealed-${kid}` },
  createdAt,
  retiredAt: null,
});

// Databases start in seconds (PGlite), more while other test files run: generous limits.
describe.each(backends)('broker store on $name', { timeout: 60_000 }, (backend) => {
  let db: Database;
  let store: BrokerStore;

  beforeEach(async () => {
    db = await backend.create();
    store = await db.open();
  });
  afterEach(async () => {
    await store.close();
    await db.dispose();
  });

  describe('migrations', () => {
    it('apply each migration once; migrating again changes nothing', async () => {
      const before = await db.sql<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version');
      expect(before.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      await store.migrate();
      await store.migrate();
      const after = await db.sql<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version');
      expect(after).toEqual(before);
      const tables = await db.sql<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['audit', 'audit_outbox', 'dpop_jti', 'installations', 'rate_counters', 'schema_migrations', 'signing_keys']);
    });

    it('bring a database made by an earlier version up to date, keeping its data', async () => {
      const fresh = await backend.create();
      try {
        const old = await fresh.open({ migrate: false });
        // The database as the first version of the broker left it: migration 1 only.
        const viaSql: SqlClient = { query: async (sql, params) => ({ rows: await fresh.sql(sql, params as unknown[]) }), transaction: (fn) => fn({ query: async (sql, params) => ({ rows: await fresh.sql(sql, params as unknown[]) }) }), close: async () => undefined };
        await migrate(viaSql, MIGRATIONS.filter((m) => m.version === 1));
        await old.enrol('jkt-kept', 'Reception');
        await old.appendAudit(entry({ installation: 'jkt-kept' }));
        await old.migrate();
        const rows = await fresh.sql<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
        expect(await old.listEnrolments()).toMatchObject([{ installation: 'jkt-kept', lastUsedAt: entry().time }]);
        const indexes = await fresh.sql<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'audit'`);
        expect(indexes.map((i) => i.indexname)).toContain('audit_installation');
        await old.close();
      } finally {
        await fresh.dispose();
      }
    });

    it('instances migrating the same empty database at once apply each migration once', async () => {
      const fresh = await backend.create();
      try {
        const stores = await Promise.all([1, 2, 3, 4].map(() => fresh.open({ migrate: false })));
        await Promise.all(stores.map((s) => s.migrate()));
        const rows = await fresh.sql<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
        await stores[0]!.appendAudit(entry());
        expect(await stores[3]!.listAudit({ limit: 10 })).toHaveLength(1);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await fresh.dispose();
      }
    });
  });

  describe('audit', () => {
    it('round-trips every field, and leaves absent optional fields absent', async () => {
      const full = entry({
        event: 'sign-in',
        outcome: 'refused',
        code: 'patient-changed',
        ms: 12.5,
        identity: { verified: true, issuer: 'https://idp.example.nhs.uk/', subject: 'abc-123', role: 'R8000' },
        installation: 'jkt-thumbprint-1',
      });
      const bare = entry({ time: '2025-03-04T05:06:06.000Z', clinician: null, nhsNumber: null, partnerId: '', event: 'sign-out', outcome: 'error' });
      const typed = entry({ time: '2025-03-04T05:06:05.000Z', identity: { verified: false } });
      const ids = [await store.appendAudit(full), await store.appendAudit(bare), await store.appendAudit(typed)].map((r) => r.id);
      expect(new Set(ids).size).toBe(3);
      const listed = await store.listAudit({ limit: 10 });
      expect(listed).toStrictEqual([
        { ...full, id: ids[0] },
        { ...bare, id: ids[1] },
        { ...typed, id: ids[2] },
      ]);
    });

    it('lists newest first, in pages continuing after an id', async () => {
      const times = ['2025-01-01T10:00:00.000Z', '2025-01-01T12:00:00.000Z', '2025-01-01T11:00:00.000Z', '2025-01-01T12:00:00.000Z', '2025-01-01T09:00:00.000Z'];
      const ids: string[] = [];
      for (const [i, time] of times.entries()) ids.push((await store.appendAudit(entry({ time, ms: i }))).id);
      // Same time: the one appended later is newer.
      const newestFirst = [3, 1, 2, 0, 4].map((i) => ids[i]);
      const first = await store.listAudit({ limit: 2 });
      expect(first.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
      const second = await store.listAudit({ limit: 2, before: first[1]!.id });
      expect(second.map((e) => e.id)).toEqual(newestFirst.slice(2, 4));
      const third = await store.listAudit({ limit: 2, before: second[1]!.id });
      expect(third.map((e) => e.id)).toEqual(newestFirst.slice(4));
      expect(await store.listAudit({ limit: 2, before: third[0]!.id })).toEqual([]);
      expect(await store.listAudit({ limit: 2, before: 'no-such-id' })).toEqual([]);
      await expect(store.listAudit({ limit: 0 })).rejects.toThrow(/limit/);
    });

    it('keeps times in UTC to the millisecond, whatever offset they were written with', async () => {
      await store.appendAudit(entry({ time: '2025-06-01T10:00:00.123+01:00' }));
      const [listed] = await store.listAudit({ limit: 1 });
      expect(listed?.time).toBe('2025-06-01T09:00:00.123Z');
    });

    it('refuses a malformed entry', async () => {
      await expect(store.appendAudit(entry({ time: 'yesterday' }))).rejects.toThrow(/time/);
      await expect(store.appendAudit(entry({ event: 'delete' as never }))).rejects.toThrow(/event/);
      await expect(store.appendAudit(entry({ outcome: 'maybe' as never }))).rejects.toThrow(/outcome/);
      expect(await store.listAudit({ limit: 10 })).toEqual([]);
    });

    it('keeps every entry appended at once, each under its own id (with forwarding, each queued)', async () => {
      const time = '2025-06-01T10:00:00.000Z';
      const ids = await Promise.all(Array.from({ length: 150 }, (_, i) => store.appendAudit(entry({ time, ms: i, code: `c${i}` }))));
      expect(new Set(ids.map((r) => r.id)).size).toBe(150);
      const listed = await store.listAudit({ limit: 200 });
      // Entries appended at once by different requests have no order among them; each is whole, under its id.
      expect(new Map(listed.map((e) => [e.id, e]))).toEqual(new Map(ids.map((r, i) => [r.id, { ...entry({ time, ms: i, code: `c${i}` }), id: r.id }])));
      const forwarding = await db.open({ forwardAudit: true });
      await Promise.all(Array.from({ length: 70 }, (_, i) => forwarding.appendAudit(entry({ ms: 1000 + i }))));
      expect(await forwarding.outboxSize()).toBe(70);
      await forwarding.close();
    });

    it('refuses only the entry the database refuses when it was written together with others', async () => {
      // jsonb refuses the NUL character (SQLSTATE 22P05): this entry's doing, not its neighbours'.
      const bad = entry({ ms: 99, identity: { verified: true, issuer: 'https://idp.example.org', subject: 'a\u0000b' } });
      const outcomes = await Promise.all(
        [entry({ ms: 1 }), entry({ ms: 2 }), bad, entry({ ms: 3 }), entry({ ms: 4 })].map((e) =>
          store.appendAudit(e).then(
            () => 'ok',
            () => 'refused',
          ),
        ),
      );
      expect(outcomes).toEqual(['ok', 'ok', 'refused', 'ok', 'ok']);
      expect((await store.listAudit({ limit: 10 })).map((e) => e.ms).sort()).toEqual([1, 2, 3, 4]);
    });

    it('is append-only: the database refuses to change or remove an entry', async () => {
      const { id } = await store.appendAudit(entry());
      await expect(db.sql(`UPDATE audit SET outcome = 'error' WHERE id = $1`, [id])).rejects.toThrow(/append-only/);
      await expect(db.sql('DELETE FROM audit WHERE id = $1', [id])).rejects.toThrow(/append-only/);
      expect((await store.listAudit({ limit: 1 }))[0]).toMatchObject({ id, outcome: 'ok' });
    });
  });

  describe('audit forwarding outbox', () => {
    it('queues entries only with forwarding on, in the statement that appends them', async () => {
      await store.appendAudit(entry());
      expect(await store.outboxSize()).toBe(0);
      const forwarding = await db.open({ forwardAudit: true });
      const { id } = await forwarding.appendAudit(entry({ ms: 1 }));
      expect(await db.sql<{ audit_id: string }>('SELECT audit_id FROM audit_outbox')).toEqual([{ audit_id: id }]);
      expect(await forwarding.outboxSize()).toBe(1);
      // A malformed entry leaves neither row.
      await expect(forwarding.appendAudit(entry({ outcome: 'maybe' as never }))).rejects.toThrow(/outcome/);
      expect(await forwarding.outboxSize()).toBe(1);
      expect(await store.listAudit({ limit: 10 })).toHaveLength(2);
      await forwarding.close();
    });

    it('gives the oldest first, removes what was sent, keeps the rest; the trail itself is untouched', async () => {
      const forwarding = await db.open({ forwardAudit: true });
      const ids: string[] = [];
      // Times out of order: the batch follows the order of appending, not the time written.
      for (const [i, time] of ['2025-01-01T12:00:00.000Z', '2025-01-01T10:00:00.000Z', '2025-01-01T11:00:00.000Z'].entries()) {
        ids.push((await forwarding.appendAudit(entry({ time, ms: i, code: `c${i}`, installation: `jkt-${i}` }))).id);
      }
      const given: string[][] = [];
      // Sends the first two; an id not in the batch is ignored.
      expect(await forwarding.forwardBatch(2, async (entries) => (given.push(entries.map((e) => e.id)), [...entries.map((e) => e.id), 'not-in-batch']))).toEqual({ taken: 2, removed: 2 });
      expect(given).toEqual([ids.slice(0, 2)]);
      let seen: unknown[] = [];
      expect(await forwarding.forwardBatch(10, async (entries) => ((seen = entries), []))).toEqual({ taken: 1, removed: 0 });
      expect(seen).toStrictEqual([{ ...entry({ time: '2025-01-01T11:00:00.000Z', ms: 2, code: 'c2', installation: 'jkt-2' }), id: ids[2] }]);
      expect(await forwarding.outboxSize()).toBe(1);
      expect(await forwarding.forwardBatch(10, async (entries) => entries.map((e) => e.id))).toEqual({ taken: 1, removed: 1 });
      expect(await forwarding.forwardBatch(10, () => Promise.reject(new Error('not called')))).toEqual({ taken: 0, removed: 0 });
      expect(await forwarding.listAudit({ limit: 10 })).toHaveLength(3);
      await expect(forwarding.forwardBatch(0, async () => [])).rejects.toThrow(/limit/);
      await forwarding.close();
    });

    it('keeps the whole batch when sending fails', async () => {
      const forwarding = await db.open({ forwardAudit: true });
      const { id } = await forwarding.appendAudit(entry());
      await expect(forwarding.forwardBatch(10, () => Promise.reject(new Error('endpoint down')))).rejects.toThrow(/endpoint down/);
      expect(await forwarding.outboxSize()).toBe(1);
      const again: string[] = [];
      await forwarding.forwardBatch(10, async (entries) => entries.map((e) => (again.push(e.id), e.id)));
      expect(again).toEqual([id]);
      expect(await forwarding.outboxSize()).toBe(0);
      await forwarding.close();
    });

    it('never gives one entry to two instances forwarding at once', async () => {
      const [a, b] = [await db.open({ forwardAudit: true }), await db.open({ forwardAudit: true })];
      const appended: string[] = [];
      for (let i = 0; i < 40; i += 1) appended.push((await (i % 2 ? a : b).appendAudit(entry({ ms: i }))).id);
      const sent: string[] = [];
      const forward = async (instance: BrokerStore) => {
        // Each batch takes a while, as POSTs do: the other instance's batches run meanwhile.
        while ((await instance.forwardBatch(3, async (entries) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return entries.map((e) => (sent.push(e.id), e.id));
        })).taken > 0);
      };
      await Promise.all([forward(a), forward(b), forward(a), forward(b)]);
      expect(sent).toHaveLength(40);
      expect(new Set(sent)).toEqual(new Set(appended));
      expect(await a.outboxSize()).toBe(0);
      await Promise.all([a.close(), b.close()]);
    });

    it('leaves the outbox out of the append-only rule, and an outbox row needs its entry', async () => {
      const forwarding = await db.open({ forwardAudit: true });
      const { id } = await forwarding.appendAudit(entry());
      await expect(db.sql('DELETE FROM audit WHERE id = $1', [id])).rejects.toThrow(/append-only/);
      await expect(db.sql(`INSERT INTO audit_outbox (audit_id) VALUES ('no-such-entry')`)).rejects.toThrow(/foreign key/);
      await forwarding.close();
    });
  });

  describe('DPoP jti', () => {
    it('is new once, then a replay', async () => {
      const expires = Date.now() + 300_000;
      expect(await store.useJti('jti-1', expires)).toBe(true);
      expect(await store.useJti('jti-1', expires)).toBe(false);
      expect(await store.useJti('jti-2', expires)).toBe(true);
    });

    it('is new for exactly one of many concurrent uses, across instances', async () => {
      const other = await db.open();
      const expires = Date.now() + 300_000;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).useJti('raced', expires)));
      expect(results.filter(Boolean)).toHaveLength(1);
      await other.close();
    });

    it('sweep removes expired jtis and keeps the others', async () => {
      const now = Date.now();
      await store.useJti('expired', now - 1);
      await store.useJti('at-now', now);
      await store.useJti('live', now + 60_000);
      await store.sweep(now);
      const rows = await db.sql<{ jti: string }>('SELECT jti FROM dpop_jti ORDER BY jti');
      expect(rows.map((r) => r.jti)).toEqual(['live']);
      expect(await store.useJti('live', now + 60_000)).toBe(false);
      expect(await store.useJti('expired', now + 60_000)).toBe(true);
    });
  });

  describe('admission (jti, enrolment and counters in one statement)', () => {
    const window = 1_700_000_040_000;
    const request = (jti: string, over: Partial<Parameters<BrokerStore['admit']>[0]> = {}) => ({
      jti,
      jtiExpiresAt: Date.now() + 300_000,
      installation: 'jkt-a',
      requireEnrolment: false,
      keys: ['installation:jkt-a', 'clinician:a'],
      windowStartMs: window,
      windowMs: 60_000,
      ...over,
    });

    it('spends the jti and counts every key, in the order given; a replay is refused and not counted', async () => {
      expect(await store.admit(request('j-1'))).toEqual({ fresh: true, enrolled: false, counts: [1, 1] });
      expect(await store.admit(request('j-2'))).toEqual({ fresh: true, enrolled: false, counts: [2, 2] });
      expect(await store.admit(request('j-1'))).toEqual({ fresh: false, enrolled: false, counts: [] });
      // The same rows as useJti and hitMany: each sees what the other did.
      expect(await store.useJti('j-2', Date.now() + 300_000)).toBe(false);
      expect(await store.hitMany(['clinician:a'], window, 60_000)).toEqual([3]);
      expect(await store.admit(request('j-3', { keys: ['clinician:a', 'installation:jkt-a', 'clinician:a'] }))).toEqual({ fresh: true, enrolled: false, counts: [4, 3, 4] });
    });

    it('with enrolment required counts only an enrolled installation, and spends the jti either way', async () => {
      expect(await store.admit(request('j-1', { requireEnrolment: true }))).toEqual({ fresh: true, enrolled: false, counts: [] });
      expect(await store.useJti('j-1', Date.now() + 300_000)).toBe(false);
      await store.enrol('jkt-a', 'Ward 7');
      expect(await store.admit(request('j-2', { requireEnrolment: true }))).toEqual({ fresh: true, enrolled: true, counts: [1, 1] });
    });

    it('with no keys spends the jti and reads the enrolment only', async () => {
      expect(await store.admit(request('j-1', { keys: [] }))).toEqual({ fresh: true, enrolled: false, counts: [] });
      expect(await store.admit(request('j-1', { keys: [] }))).toMatchObject({ fresh: false });
      expect(await db.sql('SELECT key FROM rate_counters')).toEqual([]);
    });

    it('admits exactly one of many concurrent uses of one jti, and counts the others exactly, across instances', async () => {
      const other = await db.open();
      const raced = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).admit(request('raced'))));
      expect(raced.filter((a) => a.fresh)).toHaveLength(1);
      const many = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : store).admit(request(`j-${i}`, { keys: i % 3 ? ['clinician:a', 'installation:jkt-a'] : ['installation:jkt-a', 'clinician:a'] }))));
      expect(many.every((a) => a.fresh)).toBe(true);
      expect(many.map((a, i) => a.counts[i % 3 ? 0 : 1]!).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
      await other.close();
    });

    describe('several in one statement (admissions arriving while others are in flight)', () => {
      const many = (requests: Parameters<BrokerStore['admit']>[0][]) => admitMany({ query: async (sql, params) => ({ rows: await db.sql(sql, params as unknown[]) as never[] }) }, requests);

      it('answers each as it would have been answered alone, in order: one use of a jti, successive counts', async () => {
        await store.admit(request('before'));
        const answers = await many([
          request('b-1'),
          request('b-2', { keys: ['clinician:a', 'installation:jkt-a', 'clinician:a'] }),
          request('b-1'),
          request('before'),
          request('b-3', { keys: [] }),
          request('b-4', { keys: ['clinician:b'] }),
          request('b-5'),
        ]);
        expect(answers).toEqual([
          { fresh: true, enrolled: false, counts: [2, 2] },
          { fresh: true, enrolled: false, counts: [3, 3, 3] },
          { fresh: false, enrolled: false, counts: [] },
          { fresh: false, enrolled: false, counts: [] },
          { fresh: true, enrolled: false, counts: [] },
          { fresh: true, enrolled: false, counts: [1] },
          { fresh: true, enrolled: false, counts: [4, 4] },
        ]);
        // Every counter row and spent jti is what seven admissions one by one would have left.
        expect(await store.hitMany(['installation:jkt-a', 'clinician:a', 'clinician:b'], window, 60_000)).toEqual([5, 5, 2]);
        expect(await store.useJti('b-3', Date.now() + 300_000)).toBe(false);
      });

      it('counts only the enrolled installations when enrolment is required, and keeps windows apart', async () => {
        await store.enrol('jkt-in', 'Ward 7');
        const answers = await many([
          request('e-1', { requireEnrolment: true, installation: 'jkt-out', keys: ['installation:jkt-out'] }),
          request('e-2', { requireEnrolment: true, installation: 'jkt-in', keys: ['installation:jkt-in'] }),
          request('e-3', { requireEnrolment: true, installation: 'jkt-in', keys: ['installation:jkt-in'], windowStartMs: window + 60_000 }),
          request('e-4', { requireEnrolment: true, installation: 'jkt-in', keys: ['installation:jkt-in'] }),
        ]);
        expect(answers).toEqual([
          { fresh: true, enrolled: false, counts: [] },
          { fresh: true, enrolled: true, counts: [1] },
          { fresh: true, enrolled: true, counts: [1] },
          { fresh: true, enrolled: true, counts: [2] },
        ]);
        expect(await db.sql('SELECT key FROM rate_counters WHERE key = $1', ['installation:jkt-out'])).toEqual([]);
      });

      it('goes through the store when admissions arrive together, and one refused request fails only its own', async () => {
        const answers = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => store.admit(request(i === 7 ? 'nul\u0000byte' : `c-${i}`))));
        expect(answers[7]!.status).toBe('rejected');
        const admitted = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
        expect(admitted).toHaveLength(11);
        expect(admitted.every((a) => a.fresh)).toBe(true);
        expect(admitted.map((a) => a.counts[0]!).sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
      });
    });

    it('refuses malformed input before any statement', async () => {
      await expect(store.admit(request(''))).rejects.toThrow(/jti/);
      await expect(store.admit(request('j', { keys: [''] }))).rejects.toThrow(/rate key/);
      await expect(store.admit(request('j', { windowMs: 0 }))).rejects.toThrow(/windowMs/);
    });
  });

  describe('rate counters', () => {
    it('count 50 concurrent hits exactly', async () => {
      const window = Date.now() - (Date.now() % 60_000);
      const counts = await Promise.all(Array.from({ length: 50 }, () => store.hit('clinician:abc', window, 60_000)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await store.hit('clinician:abc', window, 60_000)).toBe(51);
    });

    it('are shared by two instances on one database, per key and window', async () => {
      const other = await db.open();
      const window = 1_700_000_040_000;
      expect(await store.hit('jkt:1', window, 60_000)).toBe(1);
      expect(await other.hit('jkt:1', window, 60_000)).toBe(2);
      const counts = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).hit('jkt:1', window, 60_000)));
      expect(Math.max(...counts)).toBe(52);
      expect(await other.hit('jkt:1', window + 60_000, 60_000)).toBe(1);
      expect(await store.hit('jkt:2', window, 60_000)).toBe(1);
      await other.close();
    });

    it('count several keys in one statement, exactly, with instances counting the same keys at once', async () => {
      const other = await db.open();
      const window = 1_700_000_040_000;
      expect(await store.hitMany(['installation:b', 'clinician:a'], window, 60_000)).toEqual([1, 1]);
      expect(await store.hit('clinician:a', window, 60_000)).toBe(2);
      // Keys in either order from either instance: every hit counted once, no deadlock between them.
      const counts = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? other : store).hitMany(i % 3 ? ['clinician:a', 'installation:b'] : ['installation:b', 'clinician:a'], window, 60_000)),
      );
      const byKey = (key: 'clinician:a' | 'installation:b') => counts.map((pair, i) => pair[(i % 3 ? ['clinician:a', 'installation:b'] : ['installation:b', 'clinician:a']).indexOf(key)]!);
      expect([...byKey('clinician:a')].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 3));
      expect([...byKey('installation:b')].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
      // A key given twice counts once; another window starts again; no keys, no statement.
      expect(await store.hitMany(['x', 'x'], window, 60_000)).toEqual([1, 1]);
      expect(await other.hitMany(['clinician:a'], window + 60_000, 60_000)).toEqual([1]);
      expect(await store.hitMany([], window, 60_000)).toEqual([]);
      await expect(store.hitMany([''], window, 60_000)).rejects.toThrow(/rate key/);
      await other.close();
    });

    it('sweep removes counters whose window has ended', async () => {
      const now = 1_700_000_100_000;
      await store.hit('old', now - 120_000, 60_000);
      await store.hit('current', now - 30_000, 60_000);
      await store.sweep(now);
      const rows = await db.sql<{ key: string; count: number }>('SELECT key, count FROM rate_counters');
      expect(rows).toEqual([{ key: 'current', count: 1 }]);
      expect(await store.hit('old', now - 120_000, 60_000)).toBe(1);
      expect(await store.hit('current', now - 30_000, 60_000)).toBe(2);
    });

    it('refuses a window that is not a positive length', async () => {
      await expect(store.hit('k', 0, 0)).rejects.toThrow(/windowMs/);
      await expect(store.hit('k', Number.NaN, 1000)).rejects.toThrow(/windowStartMs/);
    });
  });

  describe('installations', () => {
    it('are enrolled by thumbprint; enrolling again relabels', async () => {
      expect(await store.isEnrolled('jkt-a')).toBe(false);
      await store.enrol('jkt-a', 'Ward 3 PC');
      expect(await store.isEnrolled('jkt-a')).toBe(true);
      expect(await store.isEnrolled('jkt-b')).toBe(false);
      const [first] = await db.sql<{ enrolled_at: Date }>('SELECT enrolled_at FROM installations');
      await store.enrol('jkt-a', 'Ward 4 PC');
      const rows = await db.sql<{ jkt: string; label: string; enrolled_at: Date }>('SELECT jkt, label, enrolled_at FROM installations');
      expect(rows).toEqual([{ jkt: 'jkt-a', label: 'Ward 4 PC', enrolled_at: first!.enrolled_at }]);
    });

    it('are listed in order of enrolment, each with its newest audited launch', async () => {
      expect(await store.listEnrolments()).toEqual([]);
      await store.enrol('jkt-b', 'Reception');
      await store.enrol('jkt-a', 'Ward 3 PC');
      // Enrolment times set apart (two enrolments in one millisecond would be listed by id instead).
      await db.sql(`UPDATE installations SET enrolled_at = '2025-01-02T03:04:05.006Z' WHERE jkt = 'jkt-b'`);
      await db.sql(`UPDATE installations SET enrolled_at = '2025-02-02T00:00:00.000Z' WHERE jkt = 'jkt-a'`);
      await store.appendAudit(entry({ time: '2025-03-04T05:06:07.089Z', installation: 'jkt-a' }));
      await store.appendAudit(entry({ time: '2025-03-05T01:02:03.004Z', installation: 'jkt-a', outcome: 'refused' }));
      await store.appendAudit(entry({ time: '2025-03-06T00:00:00.000Z', installation: 'jkt-other' }));
      await store.appendAudit(entry({ time: '2025-03-07T00:00:00.000Z' }));
      // Relabelling keeps the place in the list (the first enrolment time).
      await store.enrol('jkt-b', 'Reception desk');
      expect(await store.listEnrolments()).toStrictEqual([
        { installation: 'jkt-b', label: 'Reception desk', enrolledAt: '2025-01-02T03:04:05.006Z' },
        { installation: 'jkt-a', label: 'Ward 3 PC', enrolledAt: '2025-02-02T00:00:00.000Z', lastUsedAt: '2025-03-05T01:02:03.004Z' },
      ]);
    });

    it('are withdrawn by thumbprint, on every instance at once; the audit trail keeps their launches', async () => {
      const other = await db.open();
      await store.enrol('jkt-a', 'Ward 3 PC');
      await store.enrol('jkt-b', 'Reception');
      await store.appendAudit(entry({ installation: 'jkt-a' }));
      expect(await other.isEnrolled('jkt-a')).toBe(true);
      expect(await other.unenrol('jkt-a')).toBe(true);
      expect(await store.isEnrolled('jkt-a')).toBe(false);
      expect(await store.unenrol('jkt-a')).toBe(false);
      expect(await store.unenrol('jkt-never')).toBe(false);
      expect((await store.listEnrolments()).map((e) => e.installation)).toEqual(['jkt-b']);
      expect((await store.listAudit({ limit: 5 }))[0]).toMatchObject({ installation: 'jkt-a' });
      await expect(store.unenrol('')).rejects.toThrow(/jkt/);
      await other.close();
    });
  });

  describe('signing keys', () => {
    it('are added, listed newest first with every field, and retired', async () => {
      const older = key('k1', 1_700_000_000_123);
      const newer = { ...key('k2', 1_700_000_500_456), alg: 'RS256' as const, publicJwk: { kty: 'RSA', n: 'modulus', e: 'AQAB' } };
      await store.addKey(older);
      await store.addKey(newer);
      expect(await store.listKeys()).toStrictEqual([newer, older]);
      await store.retireKey('k1', 1_700_000_900_789);
      expect(await store.listKeys()).toStrictEqual([newer, { ...older, retiredAt: 1_700_000_900_789 }]);
    });

    it('refuse a kid already stored, an unknown kid to retire, and a private key in the clear', async () => {
      await store.addKey(key('k1', 1_700_000_000_000));
      await expect(store.addKey(key('k1', 1_700_000_000_001))).rejects.toThrow();
      await expect(store.retireKey('nope', Date.now())).rejects.toThrow(/no signing key/);
      const leaky = { ...key('k3', 1_700_000_000_000), publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'private' } };
      await expect(store.addKey(leaky)).rejects.toThrow(/public key/);
      expect((await store.listKeys()).map((k) => k.kid)).toEqual(['k1']);
    });

    it('are sealed again in place, every other field kept; an unknown kid is refused', async () => {
      const stored = { ...key('k1', 1_700_000_000_123), retiredAt: 1_700_000_100_000 };
      await store.addKey(stored);
      await store.addKey(key('k2', 1_700_000_000_000));
      await store.resealKey('k1', { iv: 'iv-new', data: 'sealed-new' });
      expect(await store.listKeys()).toStrictEqual([{ ...stored, sealedPrivate: { iv: 'iv-new', data: 'sealed-new' } }, key('k2', 1_700_000_000_000)]);
      await expect(store.resealKey('nope', { iv: 'a', data: 'b' })).rejects.toThrow(/no signing key/);
      await expect(store.resealKey('k1', { iv: 'a' } as never)).rejects.toThrow(/sealedPrivate/);
    });
  });

  describe('lifecycle', () => {
    it('ping answers while open; close is final and may be called twice', async () => {
      const alone = await backend.openAlone();
      await expect(alone.ping()).resolves.toBeUndefined();
      await alone.close();
      await alone.close();
      await expect(alone.ping()).rejects.toThrow();
    });
  });
});

describe('PGlite in a data directory', () => {
  it('keeps its state when reopened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'broker-store-'));
    try {
      const first = await openStore({ dataDir: dir });
      await first.enrol('jkt-kept', 'Reception');
      await first.appendAudit(entry());
      await first.close();
      const second = await openStore({ dataDir: dir });
      expect(await second.isEnrolled('jkt-kept')).toBe(true);
      expect(await second.listAudit({ limit: 5 })).toHaveLength(1);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Two PGlite start-ups from a data directory: seconds each, far more on a loaded machine.
  }, 60_000);
});

describe('PGlite forwarding in process', () => {
  it('reads and clears a batch outside a transaction, so statements of launches meanwhile are not held up', async () => {
    const store = await openStore({ forwardAudit: true });
    try {
      const { id } = await store.appendAudit(entry());
      let during: number | undefined;
      const result = await store.forwardBatch(10, async (entries) => {
        // A launch audited while the batch is out: it is written at once and waits for the next batch.
        await store.appendAudit(entry({ ms: 2 }));
        during = await store.outboxSize();
        return entries.map((e) => e.id);
      });
      expect(result).toEqual({ taken: 1, removed: 1 });
      expect(during).toBe(2);
      const next: string[] = [];
      await store.forwardBatch(10, async (entries) => entries.map((e) => (next.push(e.id), e.id)));
      expect(next).toHaveLength(1);
      expect(next[0]).not.toBe(id);
      // Two batches of one process at once do not share an entry.
      await store.appendAudit(entry());
      await store.appendAudit(entry());
      const sent: string[] = [];
      const send = async (entries: { id: string }[]) => (await new Promise((resolve) => setTimeout(resolve, 5)), entries.map((e) => (sent.push(e.id), e.id)));
      await Promise.all([store.forwardBatch(1, send), store.forwardBatch(1, send), store.forwardBatch(1, send)]);
      expect(sent).toHaveLength(2);
      expect(new Set(sent).size).toBe(2);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe.runIf(databaseUrl)('PostgreSQL client', () => {
  it('stops a statement at the statement timeout', async () => {
    const client = createPgClient({ databaseUrl: databaseUrl!, statementTimeoutMs: 200 });
    try {
      await expect(client.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
      await expect(client.query<{ one: number }>('SELECT 1 AS one')).resolves.toEqual({ rows: [{ one: 1 }] });
    } finally {
      await client.close();
    }
  });

  it('rolls a failed transaction back and gives its connection back', async () => {
    const client = createPgClient({ databaseUrl: databaseUrl!, poolSize: 1 });
    try {
      await expect(
        client.transaction(async (tx) => {
          await tx.query('CREATE TEMP TABLE t (x int)');
          await tx.query('SELECT no_such_column FROM t');
        }),
      ).rejects.toThrow(/no_such_column/);
      // Pool of one: the connection is back, and the temporary table went with the rollback.
      await expect(client.query(`SELECT to_regclass('pg_temp.t') AS t`)).resolves.toEqual({ rows: [{ t: null }] });
    } finally {
      await client.close();
    }
  });

  it("commits an admission without waiting for the disk, and leaves the connection's audit entries waiting for it", async () => {
    const schema = `store_${randomBytes(6).toString('hex')}`;
    const admin = createPgClient({ databaseUrl: databaseUrl! });
    await admin.query(`CREATE SCHEMA ${schema}`);
    // Pool of one: the admission, the audit entry and the check after them share one connection.
    const client = createPgClient({ databaseUrl: databaseUrl!, schema, poolSize: 1 });
    const seen: string[] = [];
    const watched: SqlClient = { ...client, query: (sql, params) => (seen.push(sql), client.query(sql, params)) };
    const store = createSqlStore(watched);
    try {
      await store.migrate();
      const admitted = await store.admit({ jti: 'j-1', jtiExpiresAt: Date.now() + 60_000, installation: 'jkt-a', requireEnrolment: false, keys: ['clinician:a'], windowStartMs: 0, windowMs: 60_000 });
      expect(admitted).toEqual({ fresh: true, enrolled: false, counts: [1] });
      expect(seen.at(-1)).toMatch(/set_config\('synchronous_commit', 'off', true\)/);
      // Local to the admission's own transaction: the session is back to waiting for the disk.
      await expect(client.query('SHOW synchronous_commit')).resolves.toEqual({ rows: [{ synchronous_commit: 'on' }] });
      await store.appendAudit(entry());
      expect(seen.at(-1)).not.toMatch(/synchronous_commit/);
      await expect(client.query('SHOW synchronous_commit')).resolves.toEqual({ rows: [{ synchronous_commit: 'on' }] });
    } finally {
      await store.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => createPgClient({ databaseUrl: databaseUrl!, schema: 'x; DROP TABLE audit' })).toThrow(/schema/);
  });
});
