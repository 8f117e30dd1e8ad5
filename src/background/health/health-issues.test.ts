import { describe, expect, it } from 'vitest';
import { badgeLook, sessionChangeMovesBadge } from './health-issues';

const blocked = (reason: 'secret-missing' | 'not-paired' | 'partner-sign-in' | 'clinician-incomplete' | 'identity-needed') => ({ code: 'partner-blocked' as const, partnerId: 'p', label: 'P', reason });

describe('the toolbar badge', () => {
  it('is empty, with the plain tooltip, when every partner can launch', () => {
    expect(badgeLook([])).toEqual({ text: '' });
  });

  it('warns while a partner is not set up on this computer, or the clinician lacks what it needs', () => {
    expect(badgeLook([blocked('secret-missing')])).toEqual({ text: '!', titleKey: 'badgeAttention' });
    expect(badgeLook([blocked('clinician-incomplete')])).toEqual({ text: '!', titleKey: 'badgeAttention' });
    expect(badgeLook([blocked('not-paired'), { code: 'policy-problems', count: 2 }])).toEqual({ text: '!', titleKey: 'badgeAttention' });
  });

  it('says in its tooltip, without a warning mark, that a pairing or sign-in is waiting', () => {
    expect(badgeLook([blocked('not-paired'), blocked('partner-sign-in'), blocked('identity-needed')])).toEqual({ text: '', titleKey: 'blockingBadgeSteps' });
  });

  it('warns on a fresh install until the configuration is in; an enrolment not yet marked sent only reaches the tooltip', () => {
    expect(badgeLook([{ code: 'not-configured' }])).toEqual({ text: '!', titleKey: 'badgeAttention' });
    expect(badgeLook([{ code: 'enrolment-unsent', labels: ['Black Pear'] }])).toEqual({ text: '', titleKey: 'badgeSetupUnfinished' });
    // A step of the clinician's own comes first in the tooltip.
    expect(badgeLook([{ code: 'enrolment-unsent', labels: ['Black Pear'] }, blocked('not-paired')])).toEqual({ text: '', titleKey: 'blockingBadgeSteps' });
  });

  it('is worked out again for a sign-in changing, not for every tab reading', () => {
    expect(sessionChangeMovesBadge(['orgIdentity'])).toBe(true);
    expect(sessionChangeMovesBadge(['partnerSession:nhs-login'])).toBe(true);
    expect(sessionChangeMovesBadge(['tab:12', 'refusal:12'])).toBe(false);
  });
});
