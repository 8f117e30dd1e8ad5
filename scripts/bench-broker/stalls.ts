import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** What held a process's event loop during one measured run: its delay's p99 and maximum, and its GC pauses. */
export interface Stalls {
  loopP99Ms: number;
  loopMaxMs: number;
  gcPauses: number;
  gcMaxMs: number;
  gcTotalMs: number;
  /** CPU time of the whole process (every thread), user and system. */
  cpuMs: number;
}

/**
 * Watches this process's event loop and garbage collector from start() to read(), so a slow percentile can be
 * put down to the broker, to the load generator, or to neither (then the database or the machine).
 */
export function watchStalls(): { start(): void; read(): Stalls } {
  const loop = monitorEventLoopDelay({ resolution: 2 });
  let pauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();
  let cpu = process.cpuUsage();
  return {
    start() {
      loop.reset();
      pauses = [];
      cpu = process.cpuUsage();
    },
    read() {
      const used = process.cpuUsage(cpu);
      return {
        cpuMs: (used.user + used.system) / 1000,
        loopP99Ms: loop.percentile(99) / 1e6,
        loopMaxMs: loop.max / 1e6,
        gcPauses: pauses.length,
        gcMaxMs: pauses.length ? Math.max(...pauses) : 0,
        gcTotalMs: pauses.reduce((sum, ms) => sum + ms, 0),
      };
    },
  };
}

export function describeStalls(stalls: Stalls): string {
  const f = (ms: number) => ms.toFixed(ms < 10 ? 1 : 0);
  return `event loop p99 ${f(stalls.loopP99Ms)} ms, max ${f(stalls.loopMaxMs)} ms; GC ${stalls.gcPauses} pauses, max ${f(stalls.gcMaxMs)} ms`;
}

/**
 * CPU time used so far by every PostgreSQL server process on this machine (Linux /proc; undefined elsewhere or
 * when none is readable): read before and after a run, it says what the database cost per launch.
 */
export function databaseCpuMs(): number | undefined {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      // Fields after the command: state is the first; utime and stime are the 12th and 13th.
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // Gone between the listing and the read, or not ours to read.
    }
  }
  // Linux reports in clock ticks of 10 ms (USER_HZ 100) on every architecture Node runs on.
  return found ? ticks * 10 : undefined;
}
