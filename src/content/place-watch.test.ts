import { describe, expect, it } from 'vitest';
import { createPlaceWatch, SAMPLE_MS } from './place-watch';

function setUp() {
  let now = 0;
  let tick: (() => void) | undefined;
  const places = new Map<Element, string>();
  const clock = {
    now: () => now,
    every: (_ms: number, fn: () => void) => ((tick = fn), () => (tick = undefined)),
  };
  const watch = createPlaceWatch(clock, (element) => places.get(element) ?? '');
  const element = { isConnected: true } as Element;
  return {
    watch,
    element,
    move: (to: string) => places.set(element, to),
    advance(ms: number) {
      for (let t = 0; t < ms; t += SAMPLE_MS) {
        now += Math.min(SAMPLE_MS, ms - t);
        tick?.();
      }
    },
    running: () => tick !== undefined,
  };
}

describe('how long an injected element has been where it is', () => {
  it('counts from when it was first watched, and from each move the timer sees', () => {
    const { watch, element, move, advance } = setUp();
    move('10,10,300,80');
    watch.watch(element);
    advance(600);
    expect(watch.stillFor(element)).toBe(600);
    move('10,200,300,80');
    // The first sample after the move sees it; the element has been still since that sample.
    advance(3 * SAMPLE_MS);
    expect(watch.stillFor(element)).toBe(2 * SAMPLE_MS);
  });

  it('a move between two samples counts at the moment it is asked about (a click right after a shift)', () => {
    const { watch, element, move, advance } = setUp();
    move('a');
    watch.watch(element);
    advance(1000);
    move('b');
    expect(watch.stillFor(element)).toBe(0);
  });

  it('stops its timer when nothing is watched, and answers 0 for what it does not watch', () => {
    const { watch, element, move, running } = setUp();
    move('a');
    watch.watch(element);
    expect(running()).toBe(true);
    watch.unwatch(element);
    expect(running()).toBe(false);
    expect(watch.stillFor(element)).toBe(0);
  });
});
