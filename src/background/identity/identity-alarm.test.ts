import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY } from '../../shared/identity/idp-config';
import type { VerifiedIdentity } from '../../shared/identity/verified-identity';
import { nextIdentityEvent, RECHECK_BEFORE_END_MS } from './identity-alarm';

const MIN = 60_000;
const identity = { checkedAt: 0, expiresAt: 60 * MIN } as VerifiedIdentity;

describe('when the identity next needs attention', () => {
  it('re-checks on the interval while there is time, and just before the end', () => {
    expect(nextIdentityEvent(identity, { ...DEFAULT_IDENTITY, recheckMinutes: 10 }, 0)).toBe(10 * MIN);
    expect(nextIdentityEvent({ ...identity, expiresAt: 5 * MIN }, { ...DEFAULT_IDENTITY, recheckMinutes: 10 }, 0)).toBe(5 * MIN - RECHECK_BEFORE_END_MS);
  });

  it('with re-checks off, or no time left for one, the next event is the end', () => {
    expect(nextIdentityEvent(identity, { ...DEFAULT_IDENTITY, recheckMinutes: 0 }, 0)).toBe(60 * MIN);
    expect(nextIdentityEvent(identity, { ...DEFAULT_IDENTITY, recheckMinutes: 10 }, 59.5 * MIN)).toBe(60 * MIN);
  });
});
