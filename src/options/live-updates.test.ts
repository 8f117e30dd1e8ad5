import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { announceAuditChange, AUDIT_CHANNEL } from '../shared/audit-channel';

vi.mock('../shared/browser-api', () => ({ browser: { storage: { onChanged: { addListener() {}, removeListener() {} } } } }));

const { watchLive } = await import('./live-updates');

type Listener = (changes: Record<string, unknown>, area: string) => void;

function fakeEnv() {
  const listeners = new Set<Listener>();
  const channels: { name: string; closed: boolean; fire: () => void }[] = [];
  return {
    listeners,
    channels,
    env: {
      channel: (name: string) => {
        let handler: () => void = () => undefined;
        const channel = { name, closed: false, fire: () => handler() };
        channels.push(channel);
        return {
          addEventListener: (_: string, listener: () => void) => void (handler = listener),
          close: () => void (channel.closed = true),
        } as unknown as BroadcastChannel;
      },
      onStorageChanged: { addListener: (l: Listener) => void listeners.add(l), removeListener: (l: Listener) => void listeners.delete(l) },
    },
    storageChange: (changes: Record<string, unknown>, area: string) => listeners.forEach((l) => l(changes, area)),
  };
}

describe('watchLive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('refreshes once after a burst of audit appends, and again for a later one', () => {
    const { env, channels } = fakeEnv();
    const refresh = vi.fn();
    watchLive(refresh, { audit: true }, env, 200);
    expect(channels.map((c) => c.name)).toEqual([AUDIT_CHANNEL]);
    channels[0]!.fire();
    channels[0]!.fire();
    expect(refresh).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(refresh).toHaveBeenCalledTimes(1);
    channels[0]!.fire();
    vi.advanceTimersByTime(200);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('refreshes for the session keys it was given, not for other keys or areas', () => {
    const { env, storageChange } = fakeEnv();
    const refresh = vi.fn();
    watchLive(refresh, { sessionKey: (key) => key.startsWith('tab:') }, env, 200);
    storageChange({ 'refusal:3': {} }, 'session');
    storageChange({ 'tab:3': {} }, 'local');
    vi.advanceTimersByTime(200);
    expect(refresh).not.toHaveBeenCalled();
    storageChange({ 'tab:3': {}, 'clock:x': {} }, 'session');
    vi.advanceTimersByTime(200);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('stops: the channel closes, the storage listener goes, a pending refresh is dropped', () => {
    const { env, channels, listeners } = fakeEnv();
    const refresh = vi.fn();
    const stop = watchLive(refresh, { audit: true, sessionKey: () => true }, env, 200);
    channels[0]!.fire();
    stop();
    vi.advanceTimersByTime(200);
    expect(refresh).not.toHaveBeenCalled();
    expect(channels[0]!.closed).toBe(true);
    expect(listeners.size).toBe(0);
  });
});

describe('announceAuditChange', () => {
  it('reaches a listener on the audit channel (the worker and extension pages share the extension origin)', async () => {
    const listener = new BroadcastChannel(AUDIT_CHANNEL);
    const heard = new Promise((resolve) => listener.addEventListener('message', (event) => resolve((event as MessageEvent).data), { once: true }));
    announceAuditChange();
    await expect(heard).resolves.toBe('changed');
    listener.close();
  });
});
