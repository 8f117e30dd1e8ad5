import { readdirSync, readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** Linux reports /proc times in clock ticks of 10 ms (USER_HZ 100) on every architecture Node runs on. */
export const TICK_MS = 10;

/** What held a process's event loop during one measured run: its delay's p99 and maximum, and its GC pauses. */
export interface Stalls {
  loopP99Ms: number;
  loopMaxMs: number;
  gcPauses: number;
  /** Of those, full (mark-compact) collections of the old generation: what a long-lived object costs. */
  gcMajor: number;
  gcMaxMs: number;
  gcTotalMs: number;
  /** CPU time of the whole process (every thread), user and system. */
  cpuMs: number;
  /** The JavaScript heap in use at the end (MB): what every full collection has to mark. */
  heapMb: number;
}

/**
 * Watches this process's event loop and garbage collector from start() to read(), so a slow percentile can be
 * put down to the broker, to the load generator, or to neither (then the database or the machine).
 */
export function watchStalls(): { start(): void; read(): Stalls } {
  const loop = monitorEventLoopDelay({ resolution: 2 });
  let pauses: number[] = [];
  let major = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.push(entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major += 1;
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();
  let cpu = process.cpuUsage();
  return {
    start() {
      loop.reset();
      pauses = [];
      major = 0;
      cpu = process.cpuUsage();
    },
    read() {
      const used = process.cpuUsage(cpu);
      return {
        cpuMs: (used.user + used.system) / 1000,
        heapMb: process.memoryUsage().heapUsed / 2 ** 20,
        loopP99Ms: loop.percentile(99) / 1e6,
        loopMaxMs: loop.max / 1e6,
        gcPauses: pauses.length,
        gcMajor: major,
        gcMaxMs: pauses.length ? Math.max(...pauses) : 0,
        gcTotalMs: pauses.reduce((sum, ms) => sum + ms, 0),
      };
    },
  };
}

export function describeStalls(stalls: Stalls): string {
  const f = (ms: number) => ms.toFixed(ms < 10 ? 1 : 0);
  return `event loop p99 ${f(stalls.loopP99Ms)} ms, max ${f(stalls.loopMaxMs)} ms; GC ${stalls.gcPauses} pauses (${stalls.gcMajor} full), max ${f(stalls.gcMaxMs)} ms; heap ${stalls.heapMb.toFixed(0)} MB`;
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
  return found ? ticks * TICK_MS : undefined;
}

/** This machine's CPU time so far (/proc/stat, all cores, in clock ticks), and how much of it the host took. */
export interface MachineTicks {
  total: number;
  steal: number;
}

/**
 * On a virtual machine, "steal" is time its cores were ready to run but the host ran something else: read before
 * and after a run, it says how much of the machine the run did not have. Undefined where /proc/stat is not.
 */
export function machineTicks(): MachineTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    if (!line.startsWith('cpu ')) return undefined;
    // user nice system idle iowait irq softirq steal (guest time is counted in user already).
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: values.reduce((sum, value) => sum + value, 0), steal: values[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU time the host took between two readings (0 to 1). */
export function stolenShare(before: MachineTicks | undefined, after: MachineTicks | undefined): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.steal - before.steal) / (after.total - before.total);
}
