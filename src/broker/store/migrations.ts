/**
 * The store's schema, as ordered migrations. Each runs once, in its own transaction, recorded in
 * `schema_migrations`. Every transaction first takes a transaction-scoped advisory lock (per schema), so broker
 * instances starting together migrate one after another and each sees what the other applied.
 *
 * A migration is a list of single statements (PGlite's parameterised query runs one statement at a time).
 * Never edit a migration that has shipped: add the next one.
 */
import type { SqlClient } from './sql-store';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'audit, dpop_jti, rate_counters, installations, signing_keys',
    statements: [
      // The audit trail: append-only. `seq` keeps the order of appending for entries with the same time.
      `CREATE TABLE audit (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        time timestamptz NOT NULL,
        event text NOT NULL,
        clinician text,
        partner_id text NOT NULL,
        nhs_number text,
        outcome text NOT NULL,
        code text,
        ms double precision NOT NULL,
        identity jsonb,
        installation text
      )`,
      `CREATE INDEX audit_time ON audit (time DESC, seq DESC)`,
      // Rows are never changed or removed by the broker; the database refuses it too.
      `CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit trail is append-only';
      END
      $$`,
      `CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
      // DPoP proofs seen (replay protection), kept until they expire.
      `CREATE TABLE dpop_jti (
        jti text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE INDEX dpop_jti_expires_at ON dpop_jti (expires_at)`,
      // Fixed-window rate-limit counters shared by all instances.
      `CREATE TABLE rate_counters (
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        count integer NOT NULL,
        PRIMARY KEY (key, window_start)
      )`,
      `CREATE INDEX rate_counters_expires_at ON rate_counters (expires_at)`,
      // Enrolled installations (DPoP key thumbprints).
      `CREATE TABLE installations (
        jkt text PRIMARY KEY,
        label text NOT NULL,
        enrolled_at timestamptz NOT NULL DEFAULT now()
      )`,
      // The broker's own signing keys; the private part only ever sealed.
      `CREATE TABLE signing_keys (
        kid text PRIMARY KEY,
        alg text NOT NULL CHECK (alg IN ('ES256', 'RS256')),
        public_jwk jsonb NOT NULL,
        sealed_private jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        retired_at timestamptz
      )`,
    ],
  },
  {
    version: 2,
    name: 'audit_installation index',
    statements: [
      // An installation's newest launch (broker:admin enrolments) read from the index, not by scanning the
      // trail. Built at the first start of this version: on a large trail that start holds audit writes for the
      // seconds the build takes.
      `CREATE INDEX audit_installation ON audit (installation, time DESC) WHERE installation IS NOT NULL`,
    ],
  },
  {
    version: 3,
    name: 'audit_outbox',
    statements: [
      // Audit entries still to be forwarded to the organisation's endpoint (only written with forwarding on). A
      // table of its own: the trail stays append-only, and a sent entry leaves by deleting its outbox row.
      `CREATE TABLE audit_outbox (
        audit_id text PRIMARY KEY REFERENCES audit (id),
        queued_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
];

const LOCK = `SELECT pg_advisory_xact_lock(hashtext('ehr-launchpad broker migrations ' || coalesce(current_schema(), '')))`;

/** Applies the migrations not yet applied; returns the versions it applied (empty when up to date). */
export async function migrate(client: SqlClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = await client.transaction(async (tx) => {
      await tx.query(LOCK);
      await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows.length > 0) return false;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
