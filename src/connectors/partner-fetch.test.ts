import { afterEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from './partner-fetch';

const pending = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

describe('withTimeout', () => {
  afterEach(() => vi.useRealTimers());

  it('fires at the partner\'s own limit with a TimeoutError', async () => {
    vi.useFakeTimers();
    const seen = withTimeout(new AbortController().signal, 5_000, pending).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await seen).toMatchObject({ name: 'TimeoutError' });
  });

  it('fires when the launch\'s own deadline does, with its reason, and at once when it has already passed', async () => {
    const launch = new AbortController();
    const seen = withTimeout(launch.signal, 60_000, pending).catch((error: unknown) => error);
    const reason = new DOMException('launch over', 'AbortError');
    launch.abort(reason);
    expect(await seen).toBe(reason);
    let aborted: boolean | undefined;
    await withTimeout(AbortSignal.abort(reason), 60_000, async (signal) => void (aborted = signal.aborted));
    expect(aborted).toBe(true);
  });

  it('leaves no timer and no listener behind once the work is done, whether it succeeded or failed', async () => {
    vi.useFakeTimers();
    const launch = new AbortController();
    let inner: AbortSignal | undefined;
    expect(await withTimeout(launch.signal, 15_000, async (signal) => ((inner = signal), 'answer'))).toBe('answer');
    await expect(withTimeout(launch.signal, 15_000, () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(vi.getTimerCount()).toBe(0);
    // The launch's signal no longer reaches the finished call's.
    launch.abort();
    expect(inner!.aborted).toBe(false);
  });
});
