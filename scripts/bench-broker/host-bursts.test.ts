import { expect, it } from 'vitest';
import { hostBursts, nearBurst, watchSteal, type StealSample } from './host-bursts';

const options = { windowMs: 100, minStolenMs: 20, marginMs: 100 };

it('hostBursts: a window where the host took enough is a burst, spread over the time before the reading that saw it', () => {
  // Steal accounted at 1 010 ms covers the 60 ms before it: 50 ms in window 900-1000, 10 ms in 1000-1100.
  const samples: StealSample[] = [
    [0, 500],
    [500, 500],
    [1010, 560],
    [2000, 570],
    [3000, 575],
  ];
  expect(hostBursts(samples, options)).toEqual([[900, 1000]]);
  // Steal spread thinly (10 ms in a window) is not a burst.
  expect(hostBursts([[0, 0], [1000, 10], [2000, 20]], options)).toEqual([]);
});

it('hostBursts: windows that touch are one burst', () => {
  expect(hostBursts([[0, 0], [250, 150]], options)).toEqual([[100, 300]]);
  expect(hostBursts([[0, 0], [130, 30], [700, 30], [730, 60]], options)).toEqual([[100, 200], [700, 800]]);
});

it('nearBurst: due during a burst or within the margin either side', () => {
  const bursts: [number, number][] = [[1000, 1100]];
  expect([850, 900, 1050, 1199, 1200, 1300].map((due) => nearBurst(due, bursts, options))).toEqual([false, true, true, true, false, false]);
  expect(nearBurst(1050, [], options)).toBe(false);
});

it.runIf(process.platform === 'linux')('watchSteal reads /proc/stat until stopped', async () => {
  const watch = watchSteal(5);
  await new Promise((done) => setTimeout(done, 30));
  const samples = watch.stop();
  expect(samples.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < samples.length; i += 1) {
    expect(samples[i]![0]).toBeGreaterThanOrEqual(samples[i - 1]![0]);
    expect(samples[i]![1]).toBeGreaterThanOrEqual(samples[i - 1]![1]);
  }
});
