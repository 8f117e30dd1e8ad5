import { browser } from '../../shared/browser-api';
import { configSchema } from '../../shared/config';
import { WARNING_COLOUR } from './badge-colours';
import { partnerReadiness } from '../page/bar-state';
import { clinicianState } from '../identity/clinician-source';
import { badgeLook, type HealthIssue } from './health-issues';
import { configItem, effectiveState, userConfigItem } from '../settings/settings';
import { policySecrets } from '../vault/vault';
import { unsentEnrolments } from './setup-status';

export type { HealthIssue } from './health-issues';

/** Policy and configuration problems, and every partner that cannot launch, with the reason its button gives. */
export async function healthIssues(): Promise<HealthIssue[]> {
  const [state, secrets, storedConfig] = await Promise.all([effectiveState(), policySecrets(), browser.storage.local.get(userConfigItem.key)]);
  const issues: HealthIssue[] = [];
  const problems = state.problems.length + secrets.problems.length;
  if (problems > 0) issues.push({ code: 'policy-problems', count: problems });
  const raw = storedConfig[userConfigItem.key];
  if (raw !== undefined && !configSchema.safeParse(raw).success) issues.push({ code: 'config-unreadable' });
  // The same decision as the launch bar's buttons and the popup's partner list.
  const config = await configItem.get();
  if (config.ehrSites.length === 0 || config.partners.length === 0) issues.push({ code: 'not-configured' });
  const unsent = await unsentEnrolments(config);
  if (unsent.length > 0) issues.push({ code: 'enrolment-unsent', labels: unsent });
  for (const { partner, readiness } of await partnerReadiness(config, await clinicianState(config))) {
    if (readiness.state !== 'ready') issues.push({ code: 'partner-blocked', partnerId: partner.id, label: partner.label, reason: readiness.reason });
  }
  return issues;
}

export async function updateBadge(): Promise<void> {
  const look = badgeLook(await healthIssues().catch((): HealthIssue[] => []));
  const name = browser.i18n.getMessage('actionTitle');
  if (look.text) {
    await browser.action.setBadgeBackgroundColor({ color: WARNING_COLOUR });
    await browser.action.setBadgeTextColor?.({ color: '#000000' });
  }
  await browser.action.setBadgeText({ text: look.text });
  await browser.action.setTitle({ title: look.titleKey ? `${name}: ${browser.i18n.getMessage(look.titleKey)}` : name });
}

let pending: ReturnType<typeof setTimeout> | undefined;
/** Storage and sign-in changes come in bursts (an import, a pairing): one badge update after they settle. */
export function scheduleBadgeUpdate(delayMs = 250): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    void updateBadge();
  }, delayMs);
}
