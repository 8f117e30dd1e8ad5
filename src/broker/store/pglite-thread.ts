/**
 * The PGlite database's own thread (a worker_threads entry; see ./pglite-client). PGlite is PostgreSQL compiled to
 * WebAssembly: every statement is synchronous CPU work, so on the broker's event loop it would hold every request
 * for as long as the statement runs. Here it holds only this thread.
 *
 * The protocol is one request, one answer, matched by id:
 *   query  {sql, params, tx?}  → {rows}       (in transaction tx when given; else prepared once, ./pglite-prepared)
 *   begin                      → {tx}          (a transaction stays open until end)
 *   end    {tx, commit}        → {}            (commit, or roll back)
 *   close                      → {}
 * and any request may be answered {error: {message, code?}}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { createPreparedRunner, type PreparedRunner } from './pglite-prepared';
import type { PgliteThreadAnswer, PgliteThreadRequest, PgliteThreadStart } from './pglite-thread-protocol';

const port = parentPort;
if (!port) throw new Error('pglite-thread runs as a worker thread');
const start = workerData as PgliteThreadStart;

/** Thrown into a transaction's callback to roll it back; not a failure to report. */
const ROLL_BACK = Symbol('roll back');

interface OpenTransaction {
  tx: Transaction;
  finish(commit: boolean): void;
  settled: Promise<void>;
}

const transactions = new Map<number, OpenTransaction>();
let nextTx = 1;

const answer = (message: PgliteThreadAnswer) => port.postMessage(message);
const failure = (id: number, error: unknown): PgliteThreadAnswer => {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  return { id, error: { message: error instanceof Error ? error.message : String(error), ...(code !== undefined ? { code } : {}) } };
};

async function open(db: PGlite): Promise<number> {
  const id = nextTx++;
  return new Promise<number>((opened, failed) => {
    const settled = db
      .transaction(
        (tx) =>
          new Promise<void>((commit, rollBack) => {
            transactions.set(id, { tx, finish: (yes) => (yes ? commit() : rollBack(ROLL_BACK)), settled });
            opened(id);
          }),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          if (error !== ROLL_BACK) throw error;
        },
      )
      .finally(() => transactions.delete(id));
    // BEGIN itself failed: the callback never ran.
    settled.catch(failed);
  });
}

async function handle(db: PGlite, statements: PreparedRunner, request: PgliteThreadRequest): Promise<PgliteThreadAnswer> {
  switch (request.op) {
    case 'query': {
      if (request.tx === undefined) return { id: request.id, rows: (await statements.query(request.sql, request.params)).rows };
      const on = transactions.get(request.tx)?.tx;
      if (!on) throw new Error('no such transaction');
      const result = await on.query(request.sql, request.params);
      return { id: request.id, rows: result.rows };
    }
    case 'begin':
      return { id: request.id, tx: await open(db) };
    case 'end': {
      const ending = transactions.get(request.tx);
      if (!ending) throw new Error('no such transaction');
      ending.finish(request.commit);
      await ending.settled;
      return { id: request.id };
    }
    case 'close':
      await db.close();
      return { id: request.id };
  }
}

try {
  const db = await PGlite.create(start.dataDir !== undefined ? { dataDir: start.dataDir } : {});
  // A new 16 MB WAL segment is otherwise written full of zeros first (wal_init_zero): in memory, that held every
  // statement for about 80 ms each few thousand launches. PostgreSQL's documentation expects it off on file systems
  // that need no preallocation; the embedded database's in-memory one is such.
  await db.exec('SET wal_init_zero = off');
  const statements = createPreparedRunner(db);
  port.on('message', (request: PgliteThreadRequest) => {
    handle(db, statements, request).then(answer, (error: unknown) => answer(failure(request.id, error)));
  });
  answer({ id: 0 });
} catch (error) {
  answer(failure(0, error));
}
