/**
 * PostgreSQL through a `pg` pool (several broker instances sharing one database). Every connection gets a
 * statement timeout, so a stuck database fails requests (and readiness) instead of holding them.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SqlClient, SqlQueryable } from './sql-store';

export interface PgClientOptions {
  databaseUrl: string;
  /** Schema to use (search_path); the database's default when absent. */
  schema?: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Server-side statement timeout in milliseconds (default 10 000). */
  statementTimeoutMs?: number;
  /** Time to wait for a connection in milliseconds (default 5 000). */
  connectTimeoutMs?: number;
  /** Told about an idle connection's failure (the pool drops that connection); ignored by default. */
  onError?: (error: Error) => void;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** The broker runs a small fixed set of statements; a bound keeps a caller with ever-new SQL from growing the map. */
const MAX_NAMED = 256;

export function createPgClient(options: PgClientOptions): SqlClient {
  if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) throw new TypeError('schema must be a lower-case SQL identifier');
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new RangeError('poolSize must be a positive integer');
  const statementTimeout = options.statementTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: poolSize,
    statement_timeout: statementTimeout,
    // The client gives up a little after the server would have, should the server not answer at all.
    query_timeout: statementTimeout + 5_000,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    application_name: 'ehr-launchpad-broker',
    ...(options.schema !== undefined ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // Without a listener an idle connection's error (database restarted) would end the process.
  pool.on('error', (error) => options.onError?.(error));

  const query = async <T>(on: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]) => {
    const result = await on.query(sql, params === undefined ? undefined : [...params]);
    return { rows: result.rows as T[] };
  };
  // Outside transactions, each statement is prepared once per connection under a name derived from its text, then
  // only bound and run: the server does not parse and plan the same few statements at every request.
  const names = new Map<string, string>();
  const named = async <T>(sql: string, params?: readonly unknown[]) => {
    let name = names.get(sql);
    if (name === undefined) {
      name = `broker_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
      if (names.size < MAX_NAMED) names.set(sql, name);
    }
    const result = await pool.query({ name, text: sql, values: params === undefined ? [] : [...params] });
    return { rows: result.rows as T[] };
  };
  let closing: Promise<void> | undefined;

  return {
    query: (sql, params) => named(sql, params),

    async transaction(fn) {
      const connection = await pool.connect();
      let broken: Error | undefined;
      try {
        try {
          await connection.query('BEGIN');
        } catch (error) {
          broken = error instanceof Error ? error : new Error('BEGIN failed');
          throw error;
        }
        const tx: SqlQueryable = { query: (sql, params) => query(connection, sql, params) };
        try {
          const result = await fn(tx);
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await connection.query('ROLLBACK');
          } catch (rollbackError) {
            // A connection that cannot roll back is not given back to the pool.
            broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
          }
          throw error;
        }
      } finally {
        connection.release(broken);
      }
    },

    close() {
      closing ??= pool.end();
      return closing;
    },
  };
}
