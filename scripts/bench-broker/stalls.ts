import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** What held a process's event loop during one measured run: its delay's p99 and maximum, and its GC pauses. */
export interface Stalls {
  loopP99Ms: number;
  loopMaxMs: number;
  gcPauses: number;
  gcMaxMs: number;
  gcTotalMs: number;
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
  return {
    start() {
      loop.reset();
      pauses = [];
    },
    read() {
      return {
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
