import { browser } from '../../shared/browser-api';
import type { Config } from '../../shared/config';
import { configItem } from '../settings/settings';
import { signOut } from './sign-out';

/**
 * Shared workstations: sign out after the configured idle minutes, and when the screen locks, if the
 * configuration (usually policy) says so. chrome.idle reports `idle` after the detection interval without
 * input, and `locked` when the screen locks.
 */

export type IdleState = 'active' | 'idle' | 'locked';

/** Whether a change of idle state should sign the clinician out, and why. */
export function signOutReason(state: IdleState, settings: Config['signOut']): 'idle' | 'screen-locked' | null {
  if (state === 'locked' && settings.onScreenLock) return 'screen-locked';
  if (state === 'idle' && settings.idleMinutes > 0) return 'idle';
  return null;
}

/** The idle interval follows the configuration; Chrome's default (60 s) stays when idle sign-out is off. */
export async function applyIdleSettings(): Promise<void> {
  const { signOut: settings } = await configItem.get();
  browser.idle.setDetectionInterval(settings.idleMinutes > 0 ? settings.idleMinutes * 60 : 60);
}

export async function onIdleStateChanged(state: IdleState): Promise<void> {
  const reason = signOutReason(state, (await configItem.get()).signOut);
  if (reason) await signOut(reason);
}
