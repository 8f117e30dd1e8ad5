import { expect, it } from 'vitest';
import { machineTicks, stolenShare } from './stalls';

it('stolenShare: the host-taken share of the CPU time between two readings', () => {
  expect(stolenShare({ total: 1000, steal: 10 }, { total: 1200, steal: 30 })).toBeCloseTo(0.1);
  expect(stolenShare({ total: 1000, steal: 10 }, { total: 1000, steal: 10 })).toBeUndefined();
  expect(stolenShare(undefined, { total: 1200, steal: 30 })).toBeUndefined();
});

it.runIf(process.platform === 'linux')('machineTicks reads /proc/stat on Linux', () => {
  const ticks = machineTicks()!;
  expect(ticks.total).toBeGreaterThan(0);
  expect(ticks.steal).toBeGreaterThanOrEqual(0);
  expect(ticks.steal).toBeLessThanOrEqual(ticks.total);
});
