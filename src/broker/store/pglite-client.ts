/**
 * PGlite: PostgreSQL compiled to WebAssembly, in the broker's own process. In memory when no data directory is
 * given (tests, a throwaway broker), else kept in that directory. One process only may open a directory, so
 * several broker instances need PostgreSQL (DATABASE_URL) instead.
 *
 * The database runs on a thread of its own (./pglite-thread): its statements are CPU work that would otherwise
 * hold the broker's event loop, and every request waiting on it. A statement costs a message each way (tens of
 * microseconds), still far from a network round trip.
 */
import { Worker } from 'node:worker_threads';
import type { SqlClient, SqlQueryable } from './sql-store';
import type { PgliteThreadAnswer, PgliteThreadDone, PgliteThreadRequest, PgliteThreadStart } from './pglite-thread-protocol';

export interface PgliteClientOptions {
  /** A directory to keep the database in; in memory when absent. */
  dataDir?: string;
}

type Ask = PgliteThreadRequest extends infer R ? (R extends PgliteThreadRequest ? Omit<R, 'id'> : never) : never;

/**
 * The thread's module is TypeScript, and Node 20 does not apply this process's loader (tsx) to worker threads: a
 * small script loads it through tsx's API instead.
 */
function threadScript(): string {
  const module = new URL('./pglite-thread.ts', import.meta.url).href;
  return `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(module)}, ${JSON.stringify(module)}))`;
}

export async function createPgliteClient(options: PgliteClientOptions = {}): Promise<SqlClient> {
  const start: PgliteThreadStart = options.dataDir !== undefined ? { dataDir: options.dataDir } : {};
  const worker = new Worker(threadScript(), { eval: true, workerData: start });
  const waiting = new Map<number, { resolve(answer: PgliteThreadDone): void; reject(error: Error): void }>();
  let nextId = 1;
  let gone: Error | undefined;

  // The thread keeps the process alive only while an answer is awaited, as a socket with a query in flight would.
  const hold = () => (waiting.size > 0 ? worker.ref() : worker.unref());
  const endAll = (error: Error) => {
    gone ??= error;
    for (const { reject } of waiting.values()) reject(gone);
    waiting.clear();
    hold();
  };
  worker.on('message', (message: PgliteThreadAnswer) => {
    const entry = waiting.get(message.id);
    if (!entry) return;
    waiting.delete(message.id);
    hold();
    if (message.error) {
      const error = new Error(message.error.message) as Error & { code?: string };
      if (message.error.code !== undefined) error.code = message.error.code;
      entry.reject(error);
    } else entry.resolve(message);
  });
  worker.on('error', (error) => endAll(new Error(`The embedded database stopped: ${error.message}`)));
  worker.on('exit', () => endAll(new Error('The embedded database is closed.')));

  const answerTo = (id: number) =>
    new Promise<PgliteThreadDone>((resolve, reject) => {
      if (gone) return reject(gone);
      waiting.set(id, { resolve, reject });
      hold();
    });
  const ask = (request: Ask) => {
    const id = nextId++;
    const answered = answerTo(id);
    if (!gone) worker.postMessage({ ...request, id });
    return answered;
  };

  // The thread answers id 0 once its database is open (or failed to open).
  try {
    await answerTo(0);
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const query = async <T>(sql: string, params: readonly unknown[] | undefined, tx?: number) => {
    const answer = await ask({ op: 'query', sql, ...(params !== undefined ? { params: [...params] } : {}), ...(tx !== undefined ? { tx } : {}) });
    return { rows: (answer.rows ?? []) as T[] };
  };
  let closing: Promise<void> | undefined;
  return {
    oneSession: true,
    query: (sql, params) => query(sql, params),
    async transaction(fn) {
      const { tx } = await ask({ op: 'begin' });
      const inTx: SqlQueryable = { query: (sql, params) => query(sql, params, tx) };
      let result;
      try {
        result = await fn(inTx);
      } catch (error) {
        await ask({ op: 'end', tx: tx!, commit: false }).catch(() => undefined);
        throw error;
      }
      await ask({ op: 'end', tx: tx!, commit: true });
      return result;
    },
    close() {
      closing ??= (async () => {
        if (!gone) await ask({ op: 'close' }).catch(() => undefined);
        await worker.terminate();
      })();
      return closing;
    },
  };
}
