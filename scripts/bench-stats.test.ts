import { describe, expect, it } from 'vitest';
import { coldCost, pairedRatios, percentile, summaryLine } from './bench-stats';

describe('benchmark statistics', () => {
  it('nearest-rank percentiles', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it('one summary line', () => {
    expect(summaryLine('bench:x', ['a 1', 'b 2'])).toBe('bench:x: a 1; b 2');
  });
});

describe('pairedRatios', () => {
  it('gives the median ratio of pairs and its range, so one disturbed pair does not decide', () => {
    const pairs = [
      { with: 101, without: 100 },
      { with: 99, without: 100 },
      { with: 150, without: 100 },
      { with: 100, without: 100 },
    ];
    expect(pairedRatios(pairs)).toEqual({ median: 1.005, min: 0.99, max: 1.5 });
    expect(pairedRatios(pairs.slice(0, 3)).median).toBe(1.01);
  });

  it('ignores pairs with nothing measured without the extension', () => {
    expect(pairedRatios([{ with: 1, without: 0 }]).median).toBeNaN();
  });
});

describe('coldCost', () => {
  it('compares medians, so one slow start of the worker does not decide', () => {
    expect(coldCost([100, 110, 120], [180, 190, 900], 100)).toEqual({ addedMs: 80, met: true });
    expect(coldCost([100, 110, 120], [200, 211, 220], 100)).toEqual({ addedMs: 101, met: false });
  });

  it('is not met when nothing was measured', () => {
    expect(coldCost([], [1], 100).met).toBe(false);
  });
});
