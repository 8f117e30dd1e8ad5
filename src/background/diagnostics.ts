import browser from 'webextension-polyfill';
import { hostPatternsFor } from '../shared/host-access';
import { auditForwarder, forwardingEndpoint, readAudit } from './audit';
import { effectiveState } from './settings';
import { policySecrets } from './vault';

/** What an administrator or the service desk needs to see first when something does not work. */
export async function diagnostics() {
  const [state, secrets, audit, forwarding, endpoint] = await Promise.all([effectiveState({ fresh: true }), policySecrets(), readAudit(), auditForwarder.status(), forwardingEndpoint()]);
  const patterns = hostPatternsFor(state.config);
  const missing: string[] = [];
  for (const pattern of patterns) {
    if (!(await browser.permissions.contains({ origins: [pattern] }))) missing.push(pattern);
  }
  return {
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent,
    sandboxBuild: __SANDBOX_BUILD__,
    policy: {
      present: state.policyPresent || Object.keys(secrets.secrets).length > 0,
      locked: state.locked,
      fromPolicy: state.fromPolicy,
      problems: [...secrets.problems, ...state.problems],
    },
    hostAccess: { needed: patterns, missing },
    lastErrors: audit.entries.filter((e) => e.outcome !== 'ok').slice(0, 10),
    auditDropped: audit.dropped,
    forwarding: { ...forwarding, endpoint },
  };
}
