import { needsAttention, type HealthIssue } from '../background/health/health-issues';
import type { BlockingReason } from '../background/page/partner-readiness';
import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';

/** Each reason's words, naming every partner it stops (one line per reason, however many partners). */
const BLOCKING_TEXT: Record<Exclude<BlockingReason, 're-pair-needed'>, MessageKey> = {
  'unknown-kind': 'blockingUnknownKind',
  'secret-missing': 'blockingSecretMissing',
  'signing-key-missing': 'blockingSigningKeyMissing',
  'host-access-missing': 'blockingHostAccessMissing',
  'identity-incomplete': 'blockingIdentityIncomplete',
  'clinician-missing': 'blockingClinicianMissing',
  'clinician-incomplete': 'blockingClinicianIncomplete',
  // Steps not taken yet do not warn (the partner list shows them by its Pair and Sign in buttons); worded all the same.
  'identity-needed': 'blockingIdentityNeeded',
  'partner-sign-in': 'blockingPartnerSignIn',
  'not-paired': 'blockingNotPaired',
};

const partnerList = new Intl.ListFormat('en-GB', { style: 'long', type: 'conjunction' });

/** What the badge warns about, worded: one line per issue, partners blocked for the same reason on one line. */
export function healthLines(issues: readonly HealthIssue[]): { key: string; text: string }[] {
  const lines: { key: string; text: string }[] = [];
  const byReason = new Map<Exclude<BlockingReason, 're-pair-needed'>, string[]>();
  for (const issue of issues.filter(needsAttention)) {
    if (issue.code === 'policy-problems') lines.push({ key: issue.code, text: t('healthPolicyProblems', String(issue.count)) });
    else if (issue.code === 'config-unreadable') lines.push({ key: issue.code, text: t('healthConfigUnreadable') });
    else if (issue.code === 'not-configured') lines.push({ key: issue.code, text: t('healthNotConfigured') });
    else if (issue.code === 'enrolment-unsent') continue;
    else if (issue.reason === 're-pair-needed') lines.push({ key: `${issue.reason}-${issue.partnerId}`, text: t('healthRepair', issue.label) });
    else byReason.set(issue.reason, [...(byReason.get(issue.reason) ?? []), issue.label]);
  }
  for (const [reason, labels] of byReason) lines.push({ key: reason, text: t(BLOCKING_TEXT[reason], partnerList.format(labels)) });
  return lines;
}
