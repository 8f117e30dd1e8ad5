/**
 * One process of launch brokers for `npm run bench:broker`: BENCH_INSTANCES brokers (default 1) built with
 * buildBroker over one store opened from the environment as `npm run broker` opens it (PostgreSQL with
 * DATABASE_URL, else PGlite in memory), each listening on its own port on 127.0.0.1. Several instances in one
 * process are how two brokers share one PGlite store (PGlite cannot be shared between processes). Tells its
 * parent the URLs over the IPC channel, and stops on SIGTERM (so `--cpu-prof` can write its profile).
 */
if (process.env.BROKER_ALLOW_LOOPBACK === '1') (globalThis as { __SANDBOX_BUILD__?: boolean }).__SANDBOX_BUILD__ = true;

const { buildBroker } = await import('../../src/broker/server');
const { readSettings } = await import('../../src/broker/settings');
const { openStore } = await import('../../src/broker/store/store');
const { watchStalls } = await import('./stalls');
const { default: pino } = await import('pino');
const { writeFileSync } = await import('node:fs');

const instances = Number(process.env.BENCH_INSTANCES ?? 1);
const first = await readSettings(process.env);
const schema = process.env.BENCH_PG_SCHEMA;
// As src/broker/start.ts opens it, with the same pool size (BROKER_DB_POOL_SIZE).
const store = await openStore(
  first.databaseUrl
    ? {
        databaseUrl: first.databaseUrl,
        ...(schema ? { schema } : {}),
        ...(first.dbPoolSize ? { poolSize: first.dbPoolSize } : {}),
      }
    : {},
);
const traceFile = process.env.BENCH_TRACE_FILE ? pino.destination({ dest: process.env.BENCH_TRACE_FILE, sync: false }) : undefined;
// BENCH_TRACE: each admission and audit write's start (epoch ms) and duration, to set beside the requests.
const storeTrace: [string, number, number][] = [];
if (traceFile) {
  for (const method of ['admit', 'appendAudit'] as const) {
    const original = store[method].bind(store) as (arg: never) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[method] = async (arg: never) => {
      const t0 = performance.now();
      try {
        return await original(arg);
      } finally {
        storeTrace.push([method, performance.timeOrigin + t0, performance.now() - t0]);
      }
    };
  }
}
const apps: Awaited<ReturnType<typeof buildBroker>>[] = [];
const urls: string[] = [];
for (let i = 0; i < instances; i += 1) {
  // Each instance its own settings (its own public URL, which DPoP proofs name); one key-encryption key (the
  // environment's), so every instance can open the signing keys any of them made.
  const settings = i === 0 ? first : await readSettings(process.env);
  // BENCH_TRACE (run.ts): the request lines go to a file, so each request's arrival and duration can be set
  // beside the load generator's timings.
  const app = await buildBroker({ settings, store, ...(traceFile ? { logStream: traceFile } : {}) });
  const address = (await app.listen({ host: '127.0.0.1', port: 0 })).replace(/\/+$/, '');
  settings.publicUrl = address;
  apps.push(app);
  urls.push(address);
}
process.send?.({ urls });

// The parent brackets each measured run: 'stalls-start' before it, 'stalls-read' after (answered with the reading).
const stalls = watchStalls();
process.on('message', (message) => {
  if (message === 'stalls-start') stalls.start();
  if (message === 'stalls-read') process.send?.({ stalls: stalls.read() });
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void Promise.all(apps.map((app) => app.close()))
    .then(() => store.close())
    .then(() => {
      traceFile?.flushSync();
      // The monotonic clock's offset from epoch time: V8's CPU profiles are timed on the monotonic clock.
      if (traceFile) writeFileSync(`${process.env.BENCH_TRACE_FILE}.store.json`, JSON.stringify({ epochMinusMonotonicMs: Date.now() - Number(process.hrtime.bigint()) / 1e6, calls: storeTrace }));
    })
    .finally(() => process.exit(0));
});

export {};
