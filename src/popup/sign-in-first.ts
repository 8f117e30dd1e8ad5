import type { HealthIssue } from '../background/health/health-issues';

/**
 * Whether the organisation's sign-in goes at the top of the popup, among what blocks a launch: while it is
 * missing and stands in the way (required, the only way to a profile, or needed by a partner such as one
 * reached through the launch broker, whose row then points up to it). Otherwise it sits with the settled things.
 */
export function signInFirst(facts: { provider: boolean; signedIn: boolean; required: boolean; hasProfile: boolean; issues: readonly HealthIssue[] }): boolean {
  if (!facts.provider || facts.signedIn) return false;
  const neededByPartner = facts.issues.some((issue) => issue.code === 'partner-blocked' && issue.reason === 'identity-needed');
  return facts.required || !facts.hasProfile || neededByPartner;
}
