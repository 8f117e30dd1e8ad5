/**
 * Writes that arrive while earlier ones are still in flight go to the database together: when `inFlight` writes
 * are running, the next waits and gathers everything queued behind it (up to `maxBatch`) into one statement.
 * Under light load each write runs at once, alone; under a burst the queue drains in a few statements instead
 * of one round trip and one commit per write, which is when the broker can least afford them.
 *
 * Each caller's promise settles with its own write: resolved (with its own item's result, when `write` gives one per
 * item) once the statement holding it has committed. When a batch of several fails because of what one of its items
 * holds (`itemError`), each is tried again alone, so one write the database refuses cannot take the others with it; any other failure (a database down or too slow)
 * fails the whole batch at once, rather than making its callers wait for one attempt after another.
 */
export interface WriteBatcherOptions<T, R = void> {
  /**
   * Runs one statement for these items (in arrival order); rejects when it did not commit. May resolve with one
   * result per item, in the same order: each caller's promise resolves with its own.
   */
  write(items: T[]): Promise<readonly R[] | void>;
  /** Most items in one statement. */
  maxBatch: number;
  /** Most statements running at once. */
  inFlight: number;
  /** Whether a failure may be one item's doing (then each item is tried alone). */
  itemError(error: unknown): boolean;
}

interface Waiting<T, R> {
  item: T;
  done(result: R): void;
  failed(error: unknown): void;
}

export function createWriteBatcher<T, R = void>(options: WriteBatcherOptions<T, R>): (item: T) => Promise<R> {
  if (!(Number.isInteger(options.maxBatch) && options.maxBatch >= 1)) throw new RangeError('maxBatch must be a positive integer');
  if (!(Number.isInteger(options.inFlight) && options.inFlight >= 1)) throw new RangeError('inFlight must be a positive integer');
  const queue: Waiting<T, R>[] = [];
  let running = 0;

  const settle = async (batch: Waiting<T, R>[]) => {
    try {
      const results = await options.write(batch.map((waiting) => waiting.item));
      if (results && results.length !== batch.length) throw new Error(`a batch of ${batch.length} writes gave ${results.length} results`);
      batch.forEach((waiting, i) => waiting.done(results?.[i] as R));
    } catch (error) {
      if (batch.length === 1 || !options.itemError(error)) {
        for (const waiting of batch) waiting.failed(error);
        return;
      }
      for (const waiting of batch) await settle([waiting]);
    }
  };

  const pump = () => {
    while (running < options.inFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      running += 1;
      void settle(batch).finally(() => {
        running -= 1;
        pump();
      });
    }
  };

  return (item) =>
    new Promise<R>((done, failed) => {
      queue.push({ item, done, failed });
      pump();
    });
}
