import { describe, expect, it } from 'vitest';
import { percentile, summaryLine } from './bench-stats';

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
