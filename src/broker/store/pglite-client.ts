/**
 * PGlite: PostgreSQL compiled to WebAssembly, in the broker's own process. In memory when no data directory is
 * given (tests, a throwaway broker), else kept in that directory. One process only may open a directory, so
 * several broker instances need PostgreSQL (DATABASE_URL) instead.
 */
import { PGlite } from '@electric-sql/pglite';
import type { SqlClient } from './sql-store';

export interface PgliteClientOptions {
  /** A directory to keep the database in; in memory when absent. */
  dataDir?: string;
}

export async function createPgliteClient(options: PgliteClientOptions = {}): Promise<SqlClient> {
  const db = await PGlite.create(options.dataDir !== undefined ? { dataDir: options.dataDir } : {});
  let closing: Promise<void> | undefined;
  return {
    inProcess: true,
    async query(sql, params) {
      const result = await db.query(sql, params === undefined ? undefined : [...params]);
      return { rows: result.rows as never[] };
    },
    transaction(fn) {
      return db.transaction((tx) =>
        fn({
          async query(sql, params) {
            const result = await tx.query(sql, params === undefined ? undefined : [...params]);
            return { rows: result.rows as never[] };
          },
        }),
      );
    },
    close() {
      closing ??= db.close();
      return closing;
    },
  };
}
