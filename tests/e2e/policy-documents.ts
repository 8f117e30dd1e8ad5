import { PARCHMENT, PHPKB } from '../sandbox/fixtures';
import { sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';

/**
 * The managed-storage documents the policy specs deliver, shared by Chromium (tests/e2e/policy-*.spec.ts, as a
 * managed policy file) and Firefox (tests/firefox/policy.spec.ts, as policies.json), so both browsers are
 * held to the same policy.
 */

/** The local configuration without its sign-in section (its Parchment mapping would name a partner a locked policy removes). */
export function localConfigWithoutSignIn(sandbox: SandboxUrls) {
  const { identity: _identity, ...local } = sandboxExtensionConfig(sandbox);
  return local;
}

/**
 * Locks sign-out and the partners: one partner relabelled, one with a malformed portal origin, a malformed EHR
 * site, and the knowledge base's secret. The malformed parts must be reported by field and the rest applied.
 */
export function lockedPartnersPolicy(sandbox: SandboxUrls) {
  const local = localConfigWithoutSignIn(sandbox);
  const kb = local.partners.find((p) => p.id === 'knowledge-base')!;
  const parchment = local.partners.find((p) => p.id === 'parchment')!;
  return {
    partners: [{ ...kb, label: 'Trust KB' }, { ...parchment, portalOrigin: 'ftp://portal.invalid' }],
    ehrSites: [{ origin: 'https://ehr.example-trust.nhs.uk/not-an-origin' }],
    signOut: { idleMinutes: 15, onScreenLock: true },
    lockedSettings: ['signOut', 'partners'],
    secrets: { 'knowledge-base': { secretToken: PHPKB.settings.secretToken } },
  };
}

/** Partner secrets by policy, with one malformed entry (a name no partner has) that must be reported, not fatal. */
export function secretsPolicy() {
  return {
    secrets: {
      parchment: { partnerSecret: PARCHMENT.partnerSecret, organizationSecret: PARCHMENT.organizationSecret, 'bad name': 'ignored' },
      'knowledge-base': { secretToken: PHPKB.settings.secretToken },
    },
  };
}
