import { browser } from '../../shared/browser-api';
import type { IdentityConfig } from '../../shared/identity/idp-config';
import type { VerifiedIdentity } from '../../shared/identity/verified-identity';

/** One alarm wakes the worker for the identity's next event: a silent re-check with the provider, or its end. */
export const IDENTITY_ALARM = 'ehr-launchpad-identity';

/** A re-check starts this long before the identity would end, so a live provider session extends it in time. */
export const RECHECK_BEFORE_END_MS = 60_000;

/** After a re-check that could not reach the provider, the next try. */
export const RETRY_MS = 60_000;

/** When the identity next needs attention: a re-check while there is time for one, else its end. */
export function nextIdentityEvent(identity: VerifiedIdentity, settings: IdentityConfig, now: number): number {
  if (settings.recheckMinutes === 0) return identity.expiresAt;
  const recheck = Math.min(identity.checkedAt + settings.recheckMinutes * 60_000, identity.expiresAt - RECHECK_BEFORE_END_MS);
  return recheck > now ? recheck : identity.expiresAt;
}

export async function scheduleIdentityAlarm(identity: VerifiedIdentity, settings: IdentityConfig, retry = false): Promise<void> {
  const now = Date.now();
  const at = retry ? Math.min(now + RETRY_MS, identity.expiresAt) : nextIdentityEvent(identity, settings, now);
  await browser.alarms.create(IDENTITY_ALARM, { when: Math.max(now + 1_000, at) });
}

export async function cancelIdentityAlarm(): Promise<void> {
  await browser.alarms.clear(IDENTITY_ALARM);
}
