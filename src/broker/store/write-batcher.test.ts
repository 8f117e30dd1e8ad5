import { describe, expect, it } from 'vitest';
import { createWriteBatcher } from './write-batcher';

/** A write that waits until released, recording the batches it was given. */
function gatedWrites(refuse: (items: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = (items: number[]) =>
    new Promise<void>((done, failed) => {
      batches.push(items);
      gates.push(() => (refuse(items) ? failed(new Error(`refused ${items.join(',')}`)) : done()));
    });
  const releaseAll = async () => {
    while (gates.length > 0) {
      gates.shift()!();
      await new Promise((next) => setTimeout(next, 0));
    }
  };
  return { batches, write, releaseAll };
}

describe('createWriteBatcher', () => {
  it('runs a write at once when nothing is in flight, and gathers what arrives meanwhile into one statement', async () => {
    const writes = gatedWrites();
    const add = createWriteBatcher({ write: writes.write, maxBatch: 10, inFlight: 1, itemError: () => true });
    const all = [1, 2, 3, 4].map((n) => add(n));
    expect(writes.batches).toEqual([[1]]);
    await writes.releaseAll();
    await Promise.all(all);
    expect(writes.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps up to inFlight statements running and at most maxBatch items in each, in arrival order', async () => {
    const writes = gatedWrites();
    const add = createWriteBatcher({ write: writes.write, maxBatch: 2, inFlight: 2, itemError: () => true });
    const all = [1, 2, 3, 4, 5, 6, 7].map((n) => add(n));
    expect(writes.batches).toEqual([[1], [2]]);
    await writes.releaseAll();
    await Promise.all(all);
    expect(writes.batches.slice(0, 2)).toEqual([[1], [2]]);
    expect(writes.batches.slice(2).flat()).toEqual([3, 4, 5, 6, 7]);
    expect(Math.max(...writes.batches.map((batch) => batch.length))).toBe(2);
  });

  it('settles each promise only when its own statement has committed', async () => {
    const writes = gatedWrites();
    const add = createWriteBatcher({ write: writes.write, maxBatch: 10, inFlight: 1, itemError: () => true });
    const settled: number[] = [];
    const all = [1, 2].map((n) => add(n).then(() => settled.push(n)));
    await new Promise((next) => setTimeout(next, 0));
    expect(settled).toEqual([]);
    await writes.releaseAll();
    await Promise.all(all);
    expect(settled).toEqual([1, 2]);
  });

  it('tries each write of a refused batch alone, so one refused write fails only its own caller', async () => {
    const writes = gatedWrites((items) => items.includes(3));
    const add = createWriteBatcher({ write: writes.write, maxBatch: 10, inFlight: 1, itemError: () => true });
    const outcomes = [1, 2, 3, 4].map((n) =>
      add(n).then(
        () => 'ok',
        (error: Error) => error.message,
      ),
    );
    await writes.releaseAll();
    expect(await Promise.all(outcomes)).toEqual(['ok', 'ok', 'refused 3', 'ok']);
    expect(writes.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it('fails a whole batch at once when the failure is not one item\'s doing (the database down), and goes on with later ones', async () => {
    let down = true;
    const writes = gatedWrites(() => down);
    const add = createWriteBatcher({ write: writes.write, maxBatch: 10, inFlight: 1, itemError: () => false });
    const refused = [1, 2, 3].map((n) => add(n).then(() => 'ok', () => 'refused'));
    await writes.releaseAll();
    expect(await Promise.all(refused)).toEqual(['refused', 'refused', 'refused']);
    // No attempt one by one: [1] alone, then [2, 3] together, and nothing after.
    expect(writes.batches).toEqual([[1], [2, 3]]);
    down = false;
    const later = add(4);
    await writes.releaseAll();
    await expect(later).resolves.toBeUndefined();
  });

  it("resolves each caller with its own item's result when the write gives one per item", async () => {
    const add = createWriteBatcher<number, string>({ write: async (items) => items.map((n) => `row ${n}`), maxBatch: 10, inFlight: 1, itemError: () => true });
    expect(await Promise.all([1, 2, 3].map((n) => add(n)))).toEqual(['row 1', 'row 2', 'row 3']);
  });

  it('fails the batch when the write gives the wrong number of results, rather than hand one caller another\'s', async () => {
    const batches: number[][] = [];
    const add = createWriteBatcher<number, number>({ write: async (items) => (batches.push(items), items.slice(1)), maxBatch: 10, inFlight: 1, itemError: () => false });
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => add(n)));
    expect(batches).toEqual([[1], [2, 3]]);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
  });

  it('refuses nonsense limits', () => {
    expect(() => createWriteBatcher({ write: async () => undefined, maxBatch: 0, inFlight: 1, itemError: () => true })).toThrow(RangeError);
    expect(() => createWriteBatcher({ write: async () => undefined, maxBatch: 1, inFlight: 0.5, itemError: () => true })).toThrow(RangeError);
  });
});
