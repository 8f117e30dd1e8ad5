import browser from 'webextension-polyfill';
import { resolveProvider } from '../../shared/identity/idp-config';
import { signInWithOrganisation } from '../../shared/identity/org-sign-in';
import type { VerifiedIdentity } from '../../shared/identity/verified-identity';
import { LaunchError } from '../../shared/launch-error';
import { recordAudit } from '../audit';
import { signerFor } from '../installation-keys';
import { clearHints } from '../patient-hints';
import { prefetches } from '../prefetches';
import { configItem } from '../settings';
import { signOut } from '../sign-out';
import { scheduleIdentityAlarm } from './identity-alarm';
import { identityFromSignIn } from './identity-from-sign-in';
import { identityStore } from './identity-store';
import { refreshBars } from './refresh-bars';

/** The path of the extension's redirect URI at the provider: https://<extension id>.chromiumapp.org/org-idp */
export const ORG_IDP_REDIRECT_PATH = 'org-idp';

/**
 * The clinician signs in with the organisation's provider in the browser's own auth window. `switchRole` asks
 * the provider to show its pages again (prompt=login), so a clinician with several roles can choose another.
 * A different person signing in first ends everything the previous one left (sign-out); the same person
 * (a role switch) keeps pairings but nothing fetched ahead for the old role.
 */
export async function signInClinician(options: { switchRole?: boolean } = {}): Promise<{ ok: true; identity: VerifiedIdentity }> {
  const started = performance.now();
  const config = await configItem.get();
  const settings = config.identity;
  if (!settings.provider) throw new LaunchError('identity-not-configured', 'Your organisation has not set up a sign-in for EHR Launchpad. Tell your IT service desk.');
  const provider = resolveProvider(settings.provider);
  const result = await signInWithOrganisation({
    provider,
    fetch: globalThis.fetch.bind(globalThis),
    redirectUri: browser.identity.getRedirectURL(ORG_IDP_REDIRECT_PATH),
    authorize: async (url) => {
      const callback = await browser.identity.launchWebAuthFlow({ url, interactive: true });
      if (!callback) throw new Error('no callback');
      return callback;
    },
    now: Date.now,
    ...(provider.clientAuth === 'private_key_jwt' ? { signer: await signerFor(provider.alg) } : {}),
    ...(options.switchRole ? { prompt: 'login' as const } : {}),
  });
  const previous = await identityStore.get();
  if (previous && (previous.identity.subject !== result.subject || previous.identity.issuer !== result.issuer)) await signOut('identity-changed');
  prefetches.clear();
  clearHints();
  const now = Date.now();
  const record = identityFromSignIn(result, provider, settings, now, now);
  await identityStore.set(record);
  await scheduleIdentityAlarm(record.identity, settings);
  await recordAudit({
    time: new Date().toISOString(),
    event: 'sign-in',
    clinician: record.identity.fields.username ?? record.identity.subject,
    partnerId: '',
    nhsNumber: null,
    outcome: 'ok',
    ...(options.switchRole ? { code: 'role-switched' } : {}),
    ms: Math.round(performance.now() - started),
    identity: { verified: true, issuer: record.identity.issuer, subject: record.identity.subject, ...(record.identity.role ? { role: record.identity.role.id } : {}) },
  });
  void refreshBars().catch(() => undefined);
  return { ok: true, identity: record.identity };
}
