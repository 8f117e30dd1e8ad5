/**
 * How long a burst of audit entries appended at once takes to be committed, on PGlite and (with DATABASE_URL) on
 * PostgreSQL: the store's audit writes gathered while others are in flight (src/broker/store/write-batcher.ts).
 *
 *   node --import tsx scripts/bench-broker/audit-burst.ts
 *
 * Each burst size is timed seven times, after 300 entries appended one by one to warm the store; the median is
 * printed.
 */
import type { AuditEntry } from '../../src/shared/audit';
import { testSchema } from '../../src/broker/broker-test-fixtures';
import { openStore } from '../../src/broker/store/store';

const DATABASE_URL = process.env.DATABASE_URL;
const BURSTS = [1, 10, 50, 150];
const TIMES = 7;

const entry = (i: number): AuditEntry & { installation: string } => ({
  time: new Date().toISOString(),
  event: 'launch',
  clinician: 'dr.jones',
  partnerId: 'knowledge-base',
  nhsNumber: '9434765919',
  outcome: 'ok',
  ms: i,
  installation: `installation-${i % 32}`,
});

async function measure(name: string, open: () => Promise<{ store: Awaited<ReturnType<typeof openStore>>; dispose(): Promise<void> }>) {
  const { store, dispose } = await open();
  try {
    for (let i = 0; i < 300; i += 1) await store.appendAudit(entry(i));
    const cells: string[] = [];
    for (const burst of BURSTS) {
      const times: number[] = [];
      for (let round = 0; round < TIMES; round += 1) {
        const started = performance.now();
        await Promise.all(Array.from({ length: burst }, (_, i) => store.appendAudit(entry(i))));
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      cells.push(times[TIMES >> 1]!.toFixed(1));
    }
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  } finally {
    await store.close();
    await dispose();
  }
}

console.log(`\nAudit entries appended at once: ms until every one is committed (median of ${TIMES})\n`);
console.log(`| store | ${BURSTS.map((n) => `${n} at once`).join(' | ')} |\n|---|${BURSTS.map(() => '---:').join('|')}|`);
await measure('PGlite in memory', async () => ({ store: await openStore({}), dispose: async () => undefined }));
if (DATABASE_URL) {
  const schema = testSchema(DATABASE_URL, 'bench');
  await schema.create();
  await measure('PostgreSQL', async () => ({ store: await openStore({ databaseUrl: DATABASE_URL, schema: schema.name }), dispose: schema.drop }));
}
