/**
 * The store over SQL: one implementation for PGlite and PostgreSQL, written against a tiny client interface
 * (./pglite-client, ./pg-client). Everything that must hold across instances is one statement: a jti is recorded
 * with INSERT ... ON CONFLICT DO NOTHING, a counter incremented with INSERT ... ON CONFLICT DO UPDATE ... RETURNING.
 * The audit table is only ever inserted into.
 */
import { randomUUID } from 'node:crypto';
import { AUDIT_EVENTS, AUDIT_OUTCOMES, type AuditEntry } from '../../shared/audit';
import { migrate } from './migrations';
import { admitMany } from './admit-many';
import { fromMs, NO_WAIT_FOR_DISK, toIso, toMs } from './sql-fragments';
import { createWriteBatcher } from './write-batcher';
import type { Admission, AdmitRequest, AuditBatchEntry, BrokerStore, Enrolment, StoredKey } from './store';

export interface SqlQueryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
}

export interface SqlClient extends SqlQueryable {
  /** Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * The database has a single session (PGlite): an open transaction holds every other statement, whoever sends
   * it, until it ends.
   */
  oneSession?: boolean;
}

export interface SqlStoreOptions {
  /** Whether close() closes the client (default true; false when several stores share one client). */
  closeClient?: boolean;
  /** Queue each audit entry for forwarding (audit_outbox) in the statement that appends it (default false). */
  forwardAudit?: boolean;
}

interface AuditRow {
  id: string;
  time: string;
  event: string;
  clinician: string | null;
  partner_id: string;
  nhs_number: string | null;
  outcome: string;
  code: string | null;
  ms: number;
  identity: unknown;
  installation: string | null;
}

interface EnrolmentRow {
  jkt: string;
  label: string;
  enrolled_at: string;
  last_used_at: string | null;
}

interface KeyRow {
  kid: string;
  alg: string;
  public_jwk: unknown;
  sealed_private: unknown;
  created_at: number;
  retired_at: number | null;
}

/** jsonb comes back parsed from both drivers; a string is parsed here should a driver leave it as text. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function finite(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${name} must be a finite number`);
  return value;
}

function text(name: string, value: string, max = 1024): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new TypeError(`${name} must be a string of 1 to ${max} characters`);
  return value;
}

const auditColumns = (table: string) =>
  `${table}.id, ${toIso(`${table}.time`)} AS time, ${table}.event, ${table}.clinician, ${table}.partner_id, ${table}.nhs_number, ${table}.outcome, ${table}.code, ${table}.ms, ${table}.identity, ${table}.installation`;

function auditEntryFrom(row: AuditRow): AuditBatchEntry {
  const entry: AuditBatchEntry = {
    id: row.id,
    time: row.time,
    event: row.event as AuditEntry['event'],
    clinician: row.clinician,
    partnerId: row.partner_id,
    nhsNumber: row.nhs_number,
    outcome: row.outcome as AuditEntry['outcome'],
    ms: Number(row.ms),
  };
  if (row.code !== null) entry.code = row.code;
  if (row.identity !== null) entry.identity = json<NonNullable<AuditEntry['identity']>>(row.identity);
  if (row.installation !== null) entry.installation = row.installation;
  return entry;
}

/** One audit row's values, in AUDIT_INSERT_COLUMNS order. */
type AuditRowValues = [string, string, string, string | null, string, string | null, string, string | null, number, string | null, string | null];

const AUDIT_INSERT_COLUMNS = [
  ['id', 'text'],
  ['time', 'timestamptz'],
  ['event', 'text'],
  ['clinician', 'text'],
  ['partner_id', 'text'],
  ['nhs_number', 'text'],
  ['outcome', 'text'],
  ['code', 'text'],
  ['ms', 'float8'],
  ['identity', 'jsonb'],
  ['installation', 'text'],
] as const;
/** Most audit entries in one statement, and most audit statements running at once (per store). */
const AUDIT_BATCH_MAX = 64;
const AUDIT_WRITES_IN_FLIGHT = 2;
/** Data exceptions and integrity violations (SQLSTATE classes 22 and 23) can be one item's doing in a batch. */
const oneItemsDoing = (error: unknown) => /^2[23]/.test(String((error as { code?: unknown } | undefined)?.code ?? ''));
/** Most admissions in one statement, and most admission statements running at once (per store). */
const ADMIT_BATCH_MAX = 64;
const ADMITS_IN_FLIGHT = 2;
// Rows from one array per column, in the order given (seq follows it); times and identities travel as text.
const AUDIT_COLUMN_NAMES = AUDIT_INSERT_COLUMNS.map(([name]) => name).join(', ');
/** How a value sent as text (or float8) becomes its column's type. */
const asColumn = (value: string, type: (typeof AUDIT_INSERT_COLUMNS)[number][1]) => (type === 'text' || type === 'float8' ? value : `${value}::${type}`);
const AUDIT_INSERT = `INSERT INTO audit (${AUDIT_COLUMN_NAMES})
  SELECT ${AUDIT_INSERT_COLUMNS.map(([name, type]) => asColumn(`r.${name}`, type)).join(', ')}
  FROM unnest(${AUDIT_INSERT_COLUMNS.map(([, type], i) => `$${i + 1}::${type === 'float8' ? 'float8' : 'text'}[]`).join(', ')})
    WITH ORDINALITY AS r(${AUDIT_COLUMN_NAMES}, n)
  ORDER BY r.n`;
const AUDIT_INSERT_ONE = `INSERT INTO audit (${AUDIT_COLUMN_NAMES})
  VALUES (${AUDIT_INSERT_COLUMNS.map(([, type], i) => asColumn(`$${i + 1}::${type === 'float8' ? 'float8' : 'text'}`, type)).join(', ')})`;
// Forwarding on: the entries and their places in the outbox in one statement, so neither exists without the other.
const AUDIT_INSERT_FORWARDED = `WITH a AS (${AUDIT_INSERT} RETURNING id) INSERT INTO audit_outbox (audit_id) SELECT id FROM a`;
const AUDIT_INSERT_ONE_FORWARDED = `WITH a AS (${AUDIT_INSERT_ONE} RETURNING id) INSERT INTO audit_outbox (audit_id) SELECT id FROM a`;

/**
 * Single-session databases (PGlite) forward one batch at a time per client: its transaction would hold every other
 * statement, launches included, for as long as the endpoint takes to answer, so the batch is read and cleared
 * outside one, and this chain keeps two batches of the one process from overlapping instead of row locks.
 */
const oneSessionForwarding = new WeakMap<SqlClient, Promise<unknown>>();

export function createSqlStore(client: SqlClient, options: SqlStoreOptions = {}): BrokerStore {
  let closed = false;
  // Audit entries written while others are in flight go in together (./write-batcher): one statement, in order of
  // arrival, whatever their number (one array per column). Each launch still waits for its own entry's commit.
  const appendAudits = createWriteBatcher<AuditRowValues>({
    maxBatch: AUDIT_BATCH_MAX,
    inFlight: AUDIT_WRITES_IN_FLIGHT,
    itemError: oneItemsDoing,
    write: async (rows) => {
      // One entry (light load: nearly always) takes the plain statement, cheaper to plan where nothing is prepared.
      if (rows.length === 1) return void (await client.query(options.forwardAudit ? AUDIT_INSERT_ONE_FORWARDED : AUDIT_INSERT_ONE, rows[0]!));
      const columns = AUDIT_INSERT_COLUMNS.map((_, column) => rows.map((row) => row[column]));
      await client.query(options.forwardAudit ? AUDIT_INSERT_FORWARDED : AUDIT_INSERT, columns);
    },
  });

  /** One admission alone (light load: nearly always): the statement below, prepared once per connection. */
  const admitOne = async (request: AdmitRequest): Promise<Admission> => {
    // As hitMany: distinct keys in a fixed order, so concurrent statements lock their counter rows in one order.
    const distinct = [...new Set(request.keys)].sort();
    const keyRows = distinct.length > 0 ? distinct.map((_, i) => `($${i + 7}::text)`).join(', ') : '(NULL::text)';
    // Data-modifying CTEs share one snapshot but read each other's RETURNING rows: the counters are touched only
    // when the jti was inserted (fresh) and the enrolment holds. The answer is one row per counter touched, and
    // marker rows (key NULL): count 1 when the jti was fresh, count 2 when the enrolment is required and holds.
    // It commits without waiting for the disk: until committed, the counter rows stay locked against every other
    // request of this clinician, so a disk flush there would queue them all; and a database server crash can
    // forget at most the last fraction of a second of spent jtis (whose proofs are refused as stale a minute
    // later anyway) and counts.
    const { rows } = await client.query<{ key: string | null; count: number | string }>(
      `WITH spent AS (
         INSERT INTO dpop_jti (jti, expires_at)
         SELECT $1, ${fromMs('$2')} FROM ${NO_WAIT_FOR_DISK}
         ON CONFLICT (jti) DO NOTHING RETURNING jti
       ), counted AS (
         INSERT INTO rate_counters (key, window_start, expires_at, count)
         SELECT k.key, ${fromMs('$5')}, ${fromMs('$6')}, 1 FROM (VALUES ${keyRows}) AS k(key)
         WHERE k.key IS NOT NULL AND EXISTS (SELECT 1 FROM spent)
           AND (NOT $4::boolean OR EXISTS (SELECT 1 FROM installations WHERE jkt = $3))
         ORDER BY k.key
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1
         RETURNING key, count
       )
       SELECT key, count FROM counted
       UNION ALL SELECT NULL, 1 FROM spent
       UNION ALL SELECT NULL, 2 WHERE $4::boolean AND EXISTS (SELECT 1 FROM installations WHERE jkt = $3)`,
      [request.jti, request.jtiExpiresAt, request.installation, request.requireEnrolment, request.windowStartMs, request.windowStartMs + request.windowMs, ...distinct],
    );
    const marker = (value: number) => rows.some((row) => row.key === null && Number(row.count) === value);
    const counts = new Map(rows.flatMap((row) => (row.key === null ? [] : [[row.key, Number(row.count)] as const])));
    return { fresh: marker(1), enrolled: marker(2), counts: counts.size === 0 ? [] : request.keys.map((key) => counts.get(key)!) };
  };

  // Admissions that arrive while others are in flight go in together (./write-batcher), as audit entries do: in a
  // burst, a few statements admit every request queued, instead of one round trip (and one database backend woken)
  // per request while the burst lasts.
  const admissions = createWriteBatcher<AdmitRequest, Admission>({
    maxBatch: ADMIT_BATCH_MAX,
    inFlight: ADMITS_IN_FLIGHT,
    itemError: oneItemsDoing,
    write: async (requests) => (requests.length === 1 ? [await admitOne(requests[0]!)] : admitMany(client, requests)),
  });

  const store: BrokerStore = {
    async migrate() {
      await migrate(client);
    },

    async appendAudit(entry) {
      const time = new Date(entry.time);
      if (Number.isNaN(time.getTime())) throw new TypeError('audit time must be an ISO 8601 time');
      if (!(AUDIT_EVENTS as readonly string[]).includes(entry.event)) throw new TypeError('unknown audit event');
      if (!(AUDIT_OUTCOMES as readonly string[]).includes(entry.outcome)) throw new TypeError('unknown audit outcome');
      finite('audit ms', entry.ms);
      const id = randomUUID();
      await appendAudits([
        id,
        time.toISOString(),
        entry.event,
        entry.clinician,
        entry.partnerId,
        entry.nhsNumber,
        entry.outcome,
        entry.code ?? null,
        entry.ms,
        entry.identity === undefined ? null : JSON.stringify(entry.identity),
        entry.installation ?? null,
      ]);
      return { id };
    },

    async listAudit({ limit, before }) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
      const columns = `id, ${toIso('time')} AS time, event, clinician, partner_id, nhs_number, outcome, code, ms, identity, installation`;
      const { rows } =
        before === undefined
          ? await client.query<AuditRow>(`SELECT ${columns} FROM audit ORDER BY audit.time DESC, seq DESC LIMIT $1`, [limit])
          : await client.query<AuditRow>(
              `SELECT ${columns} FROM audit
               WHERE (audit.time, seq) < (SELECT b.time, b.seq FROM audit b WHERE b.id = $2)
               ORDER BY audit.time DESC, seq DESC LIMIT $1`,
              [limit, before],
            );
      return rows.map(auditEntryFrom);
    },

    async forwardBatch(limit, send) {
      if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
      // Oldest first by order of appending. Not "after the last seq sent": identity values can commit out of
      // order across connections, so an entry committed late behind a higher seq would be skipped for ever.
      const select = `SELECT ${auditColumns('a')} FROM audit_outbox o JOIN audit a ON a.id = o.audit_id ORDER BY a.seq LIMIT $1`;
      const remove = 'DELETE FROM audit_outbox WHERE audit_id = ANY($1::text[])';
      const take = async (on: SqlQueryable, sql: string) => {
        const entries = (await on.query<AuditRow>(sql, [limit])).rows.map(auditEntryFrom);
        if (entries.length === 0) return { entries, done: [] as string[] };
        const batch = new Set(entries.map((e) => e.id));
        const done = [...new Set(await send(entries))].filter((id) => batch.has(id));
        if (done.length > 0) await on.query(remove, [done]);
        return { entries, done };
      };
      const counted = ({ entries, done }: { entries: unknown[]; done: unknown[] }) => ({ taken: entries.length, removed: done.length });
      if (client.oneSession) {
        const run = (oneSessionForwarding.get(client) ?? Promise.resolve()).then(() => take(client, select));
        oneSessionForwarding.set(client, run.catch(() => undefined));
        return counted(await run);
      }
      // The outbox rows stay locked until commit: another instance's batch skips them rather than sending them too,
      // and a failure rolls back, leaving them for the next try.
      return counted(await client.transaction((tx) => take(tx, `${select} FOR UPDATE OF o SKIP LOCKED`)));
    },

    async outboxSize() {
      const { rows } = await client.query<{ n: number | string }>('SELECT count(*) AS n FROM audit_outbox');
      return Number(rows[0]?.n ?? 0);
    },

    async useJti(jti, expiresAt) {
      text('jti', jti);
      finite('expiresAt', expiresAt);
      // Exactly one of any number of concurrent callers inserts the row; the others see the conflict.
      const { rows } = await client.query(
        `INSERT INTO dpop_jti (jti, expires_at) VALUES ($1, ${fromMs('$2')}) ON CONFLICT (jti) DO NOTHING RETURNING jti`,
        [jti, expiresAt],
      );
      return rows.length === 1;
    },

    async hit(key, windowStartMs, windowMs) {
      text('rate key', key);
      finite('windowStartMs', windowStartMs);
      if (!(finite('windowMs', windowMs) > 0)) throw new RangeError('windowMs must be positive');
      const { rows } = await client.query<{ count: number }>(
        `INSERT INTO rate_counters (key, window_start, expires_at, count)
         VALUES ($1, ${fromMs('$2')}, ${fromMs('$3')}, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1
         RETURNING count`,
        [key, windowStartMs, windowStartMs + windowMs],
      );
      return Number(rows[0]?.count);
    },

    async hitMany(keys, windowStartMs, windowMs) {
      for (const key of keys) text('rate key', key);
      finite('windowStartMs', windowStartMs);
      if (!(finite('windowMs', windowMs) > 0)) throw new RangeError('windowMs must be positive');
      // One row per distinct key (ON CONFLICT DO UPDATE cannot touch a row twice in one statement), in a fixed
      // order, so two instances counting overlapping keys lock their rows in the same order.
      const distinct = [...new Set(keys)].sort();
      if (distinct.length === 0) return [];
      const values = distinct.map((_, i) => `($${i + 3}, ${fromMs('$1')}, ${fromMs('$2')}, 1)`).join(', ');
      const { rows } = await client.query<{ key: string; count: number }>(
        `INSERT INTO rate_counters (key, window_start, expires_at, count)
         VALUES ${values}
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counters.count + 1
         RETURNING key, count`,
        [windowStartMs, windowStartMs + windowMs, ...distinct],
      );
      const counts = new Map(rows.map((row) => [row.key, Number(row.count)]));
      return keys.map((key) => counts.get(key)!);
    },

    async admit(request) {
      text('jti', request.jti);
      finite('jtiExpiresAt', request.jtiExpiresAt);
      text('installation', request.installation, 256);
      for (const key of request.keys) text('rate key', key);
      finite('windowStartMs', request.windowStartMs);
      if (!(finite('windowMs', request.windowMs) > 0)) throw new RangeError('windowMs must be positive');
      return admissions(request);
    },

    async isEnrolled(jkt) {
      const { rows } = await client.query('SELECT 1 FROM installations WHERE jkt = $1', [jkt]);
      return rows.length > 0;
    },

    async enrol(jkt, label) {
      text('jkt', jkt, 256);
      await client.query(
        `INSERT INTO installations (jkt, label) VALUES ($1, $2)
         ON CONFLICT (jkt) DO UPDATE SET label = EXCLUDED.label`,
        [jkt, label],
      );
    },

    async listEnrolments() {
      // One index probe per installation (audit_installation), however long the trail.
      const { rows } = await client.query<EnrolmentRow>(
        `SELECT i.jkt, i.label, ${toIso('i.enrolled_at')} AS enrolled_at, ${toIso('lu.time')} AS last_used_at
         FROM installations i
         LEFT JOIN LATERAL (SELECT a.time FROM audit a WHERE a.installation = i.jkt ORDER BY a.time DESC LIMIT 1) lu ON true
         ORDER BY i.enrolled_at, i.jkt`,
      );
      return rows.map((row) => {
        const enrolment: Enrolment = { installation: row.jkt, label: row.label, enrolledAt: row.enrolled_at };
        if (row.last_used_at !== null) enrolment.lastUsedAt = row.last_used_at;
        return enrolment;
      });
    },

    async unenrol(jkt) {
      text('jkt', jkt, 256);
      const { rows } = await client.query('DELETE FROM installations WHERE jkt = $1 RETURNING jkt', [jkt]);
      return rows.length > 0;
    },

    async listKeys() {
      const { rows } = await client.query<KeyRow>(
        `SELECT kid, alg, public_jwk, sealed_private, ${toMs('created_at')} AS created_at, ${toMs('retired_at')} AS retired_at
         FROM signing_keys ORDER BY signing_keys.created_at DESC, kid`,
      );
      return rows.map((row) => ({
        kid: row.kid,
        alg: row.alg as StoredKey['alg'],
        publicJwk: json<JsonWebKey>(row.public_jwk),
        sealedPrivate: json<StoredKey['sealedPrivate']>(row.sealed_private),
        createdAt: Number(row.created_at),
        retiredAt: row.retired_at === null ? null : Number(row.retired_at),
      }));
    },

    async addKey(key) {
      text('kid', key.kid, 256);
      finite('createdAt', key.createdAt);
      if (key.retiredAt !== null) finite('retiredAt', key.retiredAt);
      const jwk = key.publicJwk as Record<string, unknown>;
      // The public half only: a private member would be a private key stored in the clear.
      if (['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in jwk)) throw new TypeError('publicJwk must be a public key');
      if (typeof key.sealedPrivate?.iv !== 'string' || typeof key.sealedPrivate?.data !== 'string') throw new TypeError('sealedPrivate must be { iv, data }');
      await client.query(
        `INSERT INTO signing_keys (kid, alg, public_jwk, sealed_private, created_at, retired_at)
         VALUES ($1, $2, $3::text::jsonb, $4::text::jsonb, ${fromMs('$5')}, ${fromMs('$6')})`,
        [key.kid, key.alg, JSON.stringify(key.publicJwk), JSON.stringify({ iv: key.sealedPrivate.iv, data: key.sealedPrivate.data }), key.createdAt, key.retiredAt],
      );
    },

    async retireKey(kid, retiredAt) {
      finite('retiredAt', retiredAt);
      const { rows } = await client.query(`UPDATE signing_keys SET retired_at = ${fromMs('$2')} WHERE kid = $1 RETURNING kid`, [kid, retiredAt]);
      if (rows.length === 0) throw new Error(`no signing key with kid ${JSON.stringify(kid.slice(0, 64))}`);
    },

    async resealKey(kid, sealedPrivate) {
      if (typeof sealedPrivate?.iv !== 'string' || typeof sealedPrivate?.data !== 'string') throw new TypeError('sealedPrivate must be { iv, data }');
      const { rows } = await client.query(`UPDATE signing_keys SET sealed_private = $2::text::jsonb WHERE kid = $1 RETURNING kid`, [
        kid,
        JSON.stringify({ iv: sealedPrivate.iv, data: sealedPrivate.data }),
      ]);
      if (rows.length === 0) throw new Error(`no signing key with kid ${JSON.stringify(kid.slice(0, 64))}`);
    },

    async ping() {
      await client.query('SELECT 1');
    },

    async close() {
      if (closed) return;
      closed = true;
      if (options.closeClient !== false) await client.close();
    },

    async sweep(now) {
      finite('now', now);
      await client.query(`DELETE FROM dpop_jti WHERE expires_at <= ${fromMs('$1')}`, [now]);
      await client.query(`DELETE FROM rate_counters WHERE expires_at <= ${fromMs('$1')}`, [now]);
    },
  };
  return store;
}
