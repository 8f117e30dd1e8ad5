import { describe, expect, it, vi } from 'vitest';

vi.mock('../settings/settings', () => ({ configItem: { get: vi.fn() } }));
vi.mock('./sign-out', () => ({ signOut: vi.fn() }));
const { signOutReason } = await import('./workstation');

describe('automatic sign-out on a shared workstation', () => {
  it('signs out when the screen locks only if configured', () => {
    expect(signOutReason('locked', { idleMinutes: 0, onScreenLock: true })).toBe('screen-locked');
    expect(signOutReason('locked', { idleMinutes: 0, onScreenLock: false })).toBeNull();
  });

  it('signs out after the idle minutes only if configured', () => {
    expect(signOutReason('idle', { idleMinutes: 10, onScreenLock: false })).toBe('idle');
    expect(signOutReason('idle', { idleMinutes: 0, onScreenLock: true })).toBeNull();
  });

  it('never signs out on activity', () => {
    expect(signOutReason('active', { idleMinutes: 5, onScreenLock: true })).toBeNull();
  });
});

describe('idle state changes', () => {
  it('sign out with the reason when the configuration says so, and do nothing otherwise', async () => {
    const { configItem } = await import('../settings/settings');
    const { signOut } = await import('./sign-out');
    const { onIdleStateChanged } = await import('./workstation');
    const get = vi.mocked(configItem.get);
    get.mockResolvedValue({ signOut: { idleMinutes: 10, onScreenLock: true } } as never);
    await onIdleStateChanged('locked');
    await onIdleStateChanged('idle');
    await onIdleStateChanged('active');
    expect(vi.mocked(signOut).mock.calls).toEqual([['screen-locked'], ['idle']]);
    get.mockResolvedValue({ signOut: { idleMinutes: 0, onScreenLock: false } } as never);
    await onIdleStateChanged('locked');
    await onIdleStateChanged('idle');
    expect(vi.mocked(signOut)).toHaveBeenCalledTimes(2);
  });
});
