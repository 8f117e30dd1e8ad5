import browser from 'webextension-polyfill';
import { configSchema } from '../shared/config';
import { WARNING_COLOUR } from './badge-colours';
import { pairingStates } from './pairings';
import { clinicianState } from './identity/clinician-source';
import { configItem, effectiveState, userConfigItem } from './settings';
import { policySecrets } from './vault';

/**
 * What needs someone's attention, for the toolbar badge and the popup: nothing when healthy. The popup words
 * each issue from _locales; the badge shows a warning mark while there is any.
 */
export type HealthIssue =
  | { code: 'policy-problems'; count: number }
  | { code: 'config-unreadable' }
  | { code: 're-pair-needed'; partnerId: string; label: string };

export async function healthIssues(): Promise<HealthIssue[]> {
  const [state, secrets, clinician, storedConfig] = await Promise.all([
    effectiveState(),
    policySecrets(),
    clinicianState().then((who) => who.profile),
    browser.storage.local.get(userConfigItem.key),
  ]);
  const issues: HealthIssue[] = [];
  const problems = state.problems.length + secrets.problems.length;
  if (problems > 0) issues.push({ code: 'policy-problems', count: problems });
  const raw = storedConfig[userConfigItem.key];
  if (raw !== undefined && !configSchema.safeParse(raw).success) issues.push({ code: 'config-unreadable' });
  if (clinician) {
    const config = await configItem.get();
    const states = await pairingStates(config.partners, clinician.username);
    for (const partner of config.partners) {
      if (states[partner.id] === 're-pair-needed') issues.push({ code: 're-pair-needed', partnerId: partner.id, label: partner.label });
    }
  }
  return issues;
}

/** The badge: empty when healthy; a warning mark in amber, and the first reason in its tooltip, otherwise. */
export async function updateBadge(): Promise<void> {
  const issues = await healthIssues().catch((): HealthIssue[] => []);
  if (issues.length === 0) {
    await chrome.action.setBadgeText({ text: '' });
    await chrome.action.setTitle({ title: browser.i18n.getMessage('actionTitle') });
    return;
  }
  await chrome.action.setBadgeBackgroundColor({ color: WARNING_COLOUR });
  await chrome.action.setBadgeTextColor?.({ color: '#000000' });
  await chrome.action.setBadgeText({ text: '!' });
  await chrome.action.setTitle({ title: `${browser.i18n.getMessage('actionTitle')}: ${browser.i18n.getMessage('badgeAttention')}` });
}

let pending: ReturnType<typeof setTimeout> | undefined;
/** Storage changes come in bursts (an import, a pairing): one badge update after they settle. */
export function scheduleBadgeUpdate(delayMs = 250): void {
  if (pending) clearTimeout(pending);
  pending = setTimeout(() => {
    pending = undefined;
    void updateBadge();
  }, delayMs);
}
