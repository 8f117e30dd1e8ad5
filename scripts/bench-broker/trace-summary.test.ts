import { describe, expect, it } from 'vitest';
import { moments } from './trace-summary';

describe('moments', () => {
  it('gathers slow launches less than 200 ms apart into one moment, in time order, and leaves fast ones out', () => {
    const launches: [number, number][] = [
      [1_500, 40],
      [1_000, 30],
      [1_100, 5],
      [1_150, 26],
      [2_000, 90],
      [2_199, 25],
    ];
    expect(moments(launches, 25)).toEqual([
      [
        [1_000, 30],
        [1_150, 26],
      ],
      [[1_500, 40]],
      [[2_000, 90]],
    ]);
  });

  it('finds none in a run with no slow launch', () => {
    expect(moments([[0, 3]], 25)).toEqual([]);
  });
});
