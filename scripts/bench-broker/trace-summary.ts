/**
 * What the slow moments of a `BENCH_TRACE=<dir> npm run bench:broker` run were made of:
 *
 *   node --import tsx scripts/bench-broker/trace-summary.ts <dir> [threshold ms, default 25]
 *
 * For each broker round (files `<partner>-<run>-<target>.json`: every launch's due time and latency), launches
 * slower than the threshold are gathered into moments (gaps under 200 ms), and each moment is set beside what the
 * broker process logged (`<plan>.ndjson`: each request's arrival and time in the broker) and its store calls
 * (`<plan>.ndjson.store.json`: each admission and audit write). Latency the broker's own time explains was
 * spent in the broker (its event loop or the database); what it does not was spent before or after (the load
 * generator, the network, or a process waiting for a core).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Launch = [dueEpochMs: number, latencyMs: number];
interface Request {
  arrived: number;
  ms: number;
}

const GAP_MS = 200;

export function moments(launches: Launch[], thresholdMs: number): Launch[][] {
  const slow = [...launches].sort((a, b) => a[0] - b[0]).filter(([, latency]) => latency > thresholdMs);
  const found: Launch[][] = [];
  for (const launch of slow) {
    const last = found.at(-1);
    if (last && launch[0] - last.at(-1)![0] < GAP_MS) last.push(launch);
    else found.push([launch]);
  }
  return found;
}

function requests(file: string): Request[] {
  const out: Request[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"/v1/launch"')) continue;
    const entry = JSON.parse(line) as { time: number; ms: number };
    out.push({ arrived: entry.time - entry.ms, ms: entry.ms });
  }
  return out;
}

function main(): void {
  const dir = resolve(process.argv[2] ?? '');
  const threshold = Number(process.argv[3] ?? 25);
  const files = readdirSync(dir);
  const logs = files.filter((f) => f.endsWith('.ndjson'));
  const brokerRequests = logs.flatMap((f) => requests(resolve(dir, f)));
  const storeCalls = logs.flatMap((f) => {
    try {
      return (JSON.parse(readFileSync(resolve(dir, `${f}.store.json`), 'utf8')) as { calls: [string, number, number][] }).calls;
    } catch {
      return [];
    }
  });
  for (const file of files.filter((f) => f.endsWith('.json') && !f.endsWith('-baseline.json') && !f.endsWith('.store.json')).sort()) {
    const launches = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Launch[];
    if (launches.length === 0) continue;
    const start = Math.min(...launches.map(([due]) => due));
    console.log(`\n${file}: ${launches.length} launches; slower than ${threshold} ms:`);
    for (const moment of moments(launches, threshold)) {
      const from = moment[0]![0] - 50;
      const to = moment.at(-1)![0] + moment.at(-1)![1];
      const inBroker = brokerRequests.filter((r) => r.arrived >= from && r.arrived <= to);
      const calls = storeCalls.filter(([, at]) => at >= from && at <= to);
      const most = (values: number[]) => (values.length ? Math.max(...values).toFixed(0) : '-');
      console.log(
        `- at +${(moment[0]![0] - start).toFixed(0)} ms: ${moment.length} launch${moment.length === 1 ? '' : 'es'}, up to ${most(moment.map(([, l]) => l))} ms; ` +
          `in the broker up to ${most(inBroker.map((r) => r.ms))} ms (${inBroker.length} requests); ` +
          `admission up to ${most(calls.filter(([m]) => m === 'admit').map(([, , ms]) => ms))} ms, audit write up to ${most(calls.filter(([m]) => m === 'appendAudit').map(([, , ms]) => ms))} ms`,
      );
    }
  }
}

// Run as a command; imported (by its test), it only exports.
if (process.argv[1]?.endsWith('trace-summary.ts')) main();
