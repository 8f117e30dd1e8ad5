/**
 * When this virtual machine's host took its cores, to the tenth of a second: a round's share of steal (stalls.ts)
 * averages a 90 ms burst over 8 s into about 1%, so it cannot say which launches a burst held. Steal is read from
 * /proc/stat every 10 ms during a measured run; launches due near a burst are then set aside by their due time
 * alone, never by how long they took, so what is left is an unbiased sample of the launches the host let run.
 */
import { machineTicks, TICK_MS } from './stalls';

/** A reading: performance.now() when read, and the machine's steal so far in ms (all cores). */
export type StealSample = [at: number, stolenMs: number];

export interface BurstOptions {
  /** Windows the run is cut into (ms). */
  windowMs: number;
  /** A window is a burst when the host took at least this much CPU time in it, all cores together (ms). */
  minStolenMs: number;
  /** Launches due this long before a burst, or after it, are set aside too (in flight during it, or queued behind it). */
  marginMs: number;
}

export const BURSTS: BurstOptions = { windowMs: 100, minStolenMs: 20, marginMs: 100 };

/** Reads steal (stalls.ts machineTicks) every `intervalMs` until stopped; none where /proc/stat is not. */
export function watchSteal(intervalMs = 10): { stop(): StealSample[] } {
  const samples: StealSample[] = [];
  const read = () => {
    const ticks = machineTicks();
    if (ticks) samples.push([performance.now(), ticks.steal * TICK_MS]);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return samples;
    },
  };
}

/**
 * The moments the host took at least `minStolenMs` in a window, as [start, end] in performance.now() time, merged
 * where they touch. Steal is accounted when a core runs again, so an increase of d ms seen at a reading is spread
 * over the d ms before it (one core away that long), and counted in the windows that span covers.
 */
export function hostBursts(samples: readonly StealSample[], options: BurstOptions = BURSTS): [number, number][] {
  const stolenIn = new Map<number, number>();
  for (let i = 1; i < samples.length; i += 1) {
    const [at, stolen] = samples[i]!;
    const taken = stolen - samples[i - 1]![1];
    if (taken <= 0) continue;
    const from = at - taken;
    for (let w = Math.floor(from / options.windowMs); w * options.windowMs < at; w += 1) {
      const overlap = Math.min(at, (w + 1) * options.windowMs) - Math.max(from, w * options.windowMs);
      if (overlap > 0) stolenIn.set(w, (stolenIn.get(w) ?? 0) + overlap);
    }
  }
  const windows = [...stolenIn].filter(([, ms]) => ms >= options.minStolenMs).map(([w]) => w).sort((a, b) => a - b);
  const bursts: [number, number][] = [];
  for (const w of windows) {
    const start = w * options.windowMs;
    const last = bursts.at(-1);
    if (last && last[1] >= start) last[1] = start + options.windowMs;
    else bursts.push([start, start + options.windowMs]);
  }
  return bursts;
}

/** Whether a launch due at `due` is set aside: due within the margin of a burst, or during one. */
export function nearBurst(due: number, bursts: readonly [number, number][], options: BurstOptions = BURSTS): boolean {
  return bursts.some(([start, end]) => due >= start - options.marginMs && due < end + options.marginMs);
}
