import { browser } from '../../shared/browser-api';
import { resolveProvider, type ResolvedProvider } from '../../shared/identity/idp-config';
import { signInWithOrganisation, type OrgSignInResult } from '../../shared/identity/org-sign-in';
import type { VerifiedIdentity } from '../../shared/identity/verified-identity';
import { isLaunchError, LaunchError } from '../../shared/launch-error';
import { recordAudit } from '../audit/audit';
import { signerFor } from '../vault/installation-keys';
import { clearHints } from '../prefetch/patient-hints';
import { prefetches } from '../prefetch/prefetches';
import { clinicianItem, configItem } from '../settings/settings';
import { signOut } from './sign-out';
import { askForLoginNext } from './ask-for-login';
import { scheduleIdentityAlarm } from './identity-alarm';
import { identityFromSignIn } from './identity-from-sign-in';
import { identityStore } from './identity-store';
import { refreshBars } from './refresh-bars';

/** The path of the extension's redirect URI at the provider: https://<extension id>.chromiumapp.org/org-idp */
export const ORG_IDP_REDIRECT_PATH = 'org-idp';

/**
 * The clinician signs in with the organisation's provider in the browser's own auth window. `switchRole` asks
 * the provider to show its pages again (prompt=login), so a clinician with several roles can choose another.
 * A different person signing in first ends everything the previous one left (sign-out), and so does a first
 * sign-in over a profile typed before anyone signed in (it may be someone else's); the same person (a role
 * switch) keeps pairings but nothing fetched ahead for the old role.
 */
export async function signInClinician(options: { switchRole?: boolean } = {}): Promise<{ ok: true; identity: VerifiedIdentity }> {
  const started = performance.now();
  const config = await configItem.get();
  const settings = config.identity;
  if (!settings.provider) throw new LaunchError('identity-not-configured', 'Your organisation has not set up a sign-in for EHR Launchpad. Tell your IT service desk.', ['launchIdentityNotConfigured']);
  const provider = resolveProvider(settings.provider);
  // After a sign-out the provider may still hold the previous clinician's session in this browser: the next
  // person must prove who they are, not inherit it.
  const forceLogin = options.switchRole === true || (await askForLoginNext.get());
  let result: OrgSignInResult;
  try {
    result = await signInOnce(provider, forceLogin);
  } catch (error) {
    const code = isLaunchError(error) ? error.code : 'internal';
    await recordAudit({ time: new Date().toISOString(), event: 'sign-in', clinician: null, partnerId: '', nhsNumber: null, outcome: code === 'identity-cancelled' ? 'refused' : 'error', code, ms: Math.round(performance.now() - started) });
    throw error;
  }
  const [previous, typed] = await Promise.all([identityStore.get(), clinicianItem.get()]);
  if (previous ? previous.identity.subject !== result.subject || previous.identity.issuer !== result.issuer : typed !== null) await signOut('identity-changed');
  await askForLoginNext.remove();
  prefetches.clear();
  clearHints();
  await prefetches.settled();
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

/** One interactive sign-in in the browser's auth window; `forceLogin` asks the provider to show its pages again. */
async function signInOnce(provider: ResolvedProvider, forceLogin: boolean): Promise<OrgSignInResult> {
  return signInWithOrganisation({
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
    ...(forceLogin ? { prompt: 'login' as const } : {}),
  });
}
