import { NEEDS_ATTENTION, type BlockingReason } from '../page/partner-readiness';
import { storageKeys } from '../storage/storage-keys';

/**
 * What stands in someone's way, for the toolbar badge and the popup: nothing when every partner can launch.
 * The popup words each issue from _locales; the badge warns while any needs attention (see NEEDS_ATTENTION).
 */
export type HealthIssue =
  | { code: 'policy-problems'; count: number }
  | { code: 'config-unreadable' }
  /** No EHR site or no partner configured: nothing can launch anywhere (a fresh install, before the import). */
  | { code: 'not-configured' }
  /** Partners whose enrolment values the administrator has not marked as sent (the options page's checklist). */
  | { code: 'enrolment-unsent'; labels: string[] }
  /** A partner that cannot launch for this clinician here, for the same reason its button gives. */
  | { code: 'partner-blocked'; partnerId: string; label: string; reason: BlockingReason };

export function needsAttention(issue: HealthIssue): boolean {
  if (issue.code === 'partner-blocked') return NEEDS_ATTENTION[issue.reason];
  // Whether the partner has enrolled the key cannot be seen from here: the tooltip mentions it, the badge stays calm.
  return issue.code !== 'enrolment-unsent';
}

export interface BadgeLook {
  text: '' | '!';
  /** The _locales key added to the tooltip, if any. */
  titleKey?: 'badgeAttention' | 'blockingBadgeSteps' | 'badgeSetupUnfinished';
}

/** A warning while anything needs attention; otherwise no mark, but the tooltip still says a step is waiting. */
export function badgeLook(issues: readonly HealthIssue[]): BadgeLook {
  if (issues.some(needsAttention)) return { text: '!', titleKey: 'badgeAttention' };
  // The clinician's own steps first: the administrator has the options page's checklist for the enrolments.
  if (issues.some((issue) => issue.code === 'partner-blocked')) return { text: '', titleKey: 'blockingBadgeSteps' };
  if (issues.some((issue) => issue.code === 'enrolment-unsent')) return { text: '', titleKey: 'badgeSetupUnfinished' };
  if (issues.length > 0) return { text: '', titleKey: 'blockingBadgeSteps' };
  return { text: '' };
}

/**
 * Session-area keys whose change can make a partner ready or not: the organisation sign-in and partners' own
 * sign-ins. (Tab readings and refusals change often and move no partner's readiness.)
 */
export function sessionChangeMovesBadge(keys: readonly string[]): boolean {
  return keys.some((key) => key === storageKeys.orgIdentity.key || key.startsWith(storageKeys.partnerSession.prefix));
}
