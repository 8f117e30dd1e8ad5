/**
 * Where the broker's log lines go when nothing else is named: standard output, written a few kilobytes at a time.
 * Pino's default hands every line to the thread pool as its own write; at hundreds of launches a second that was 11%
 * of the broker's CPU (bench:broker, BENCH_CPU_PROF, the broker on a core of its own). Lines wait at most
 * FLUSH_EVERY_MS, so a quiet broker's log still reads as it happens; whatever is buffered is written out
 * synchronously when the process exits (pino registers that for every destination it builds), though a write
 * already handed to the thread pool can be cut off by an abrupt exit, as with pino's default. Writes stay off the
 * event loop, so a log reader that stops reading costs lines, not launches or memory: past MAX_BUFFERED_BYTES new
 * lines are dropped.
 */
import pino, { type DestinationStream } from 'pino';

export const BUFFER_BYTES = 4096;
export const FLUSH_EVERY_MS = 1000;
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

let shared: DestinationStream | undefined;

/** One per process: several brokers in one process (the tests, the benchmark) share it, so lines never interleave mid-line. */
export function brokerLogDestination(): DestinationStream {
  shared ??= pino.destination({ dest: 1, sync: false, minLength: BUFFER_BYTES, periodicFlush: FLUSH_EVERY_MS, maxLength: MAX_BUFFERED_BYTES });
  return shared;
}
