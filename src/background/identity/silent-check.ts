import { browser } from '../../shared/browser-api';
import { resolveProvider } from '../../shared/identity/idp-config';
import { signInWithOrganisation } from '../../shared/identity/org-sign-in';
import { isLaunchError } from '../../shared/launch-error';
import { signerFor } from '../vault/installation-keys';
import { configItem } from '../settings/settings';
import { signOut } from './sign-out';
import { cancelIdentityAlarm, scheduleIdentityAlarm } from './identity-alarm';
import { identityFromSignIn } from './identity-from-sign-in';
import { identityStore } from './identity-store';
import { ORG_IDP_REDIRECT_PATH } from './sign-in';

export type CheckOutcome = 'none' | 'extended' | 'kept' | 'ended';

/**
 * On the identity's alarm: ends it when its time is up, else asks the provider silently (prompt=none, no
 * window) whether the clinician's session there is still live. A live session extends the identity (up to the
 * organisation's maximum); an ended one, or another person, ends it with a full sign-out; a provider that
 * cannot be reached leaves it as it is until its end.
 */
export async function recheckIdentity(): Promise<CheckOutcome> {
  const record = await identityStore.get();
  const settings = (await configItem.get()).identity;
  if (!record) {
    await cancelIdentityAlarm();
    return 'none';
  }
  if (record.identity.expiresAt <= Date.now() || !settings.provider) {
    await signOut('identity-expired');
    return 'ended';
  }
  if (settings.recheckMinutes === 0) {
    await scheduleIdentityAlarm(record.identity, settings);
    return 'kept';
  }
  const provider = resolveProvider(settings.provider);
  try {
    const result = await signInWithOrganisation({
      provider,
      fetch: globalThis.fetch.bind(globalThis),
      redirectUri: browser.identity.getRedirectURL(ORG_IDP_REDIRECT_PATH),
      authorize: async (url) => {
        const callback = await browser.identity.launchWebAuthFlow({ url, interactive: false });
        if (!callback) throw new Error('no callback');
        return callback;
      },
      now: Date.now,
      prompt: 'none',
      ...(provider.clientAuth === 'private_key_jwt' ? { signer: await signerFor(provider.alg) } : {}),
    });
    if (result.subject !== record.identity.subject || result.issuer !== record.identity.issuer) {
      await signOut('identity-changed');
      return 'ended';
    }
    const next = identityFromSignIn(result, provider, settings, record.identity.signedInAt, Date.now());
    await identityStore.set(next);
    await scheduleIdentityAlarm(next.identity, settings);
    return 'extended';
  } catch (error) {
    if (isLaunchError(error) && (error.code === 'identity-login-required' || error.code === 'identity-refused')) {
      await signOut('identity-ended');
      return 'ended';
    }
    await scheduleIdentityAlarm(record.identity, settings, true);
    return 'kept';
  }
}
