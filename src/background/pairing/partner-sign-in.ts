import { browser } from '../../shared/browser-api';
import { signInToProvider, type NhsLoginConfig } from '../../connectors/nhs-login';
import { LaunchError } from '../../shared/launch-error';
import { signerFor } from '../vault/installation-keys';
import { partnerSessions } from './partner-sessions';
import { configItem } from '../settings/settings';

/** RP1 sign-in for a partner with a sign-in step, through the browser's own auth window. */
export async function signInToPartner(partnerId: string): Promise<{ ok: true; expiresAt: number }> {
  const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
  if (!partner || partner.kind !== 'nhs-login') throw new LaunchError('unknown-partner', 'This partner has no sign-in step.', ['launchNoSignInStep']);
  const config: NhsLoginConfig = partner;
  const session = await signInToProvider({
    config,
    signer: await signerFor(config.alg),
    fetch: globalThis.fetch.bind(globalThis),
    redirectUri: browser.identity.getRedirectURL(partnerId),
    authorize: async (url) => {
      const callback = await browser.identity.launchWebAuthFlow({ url, interactive: true });
      if (!callback) throw new Error('no callback');
      return callback;
    },
    now: Date.now,
  });
  await partnerSessions.set(partnerId, session);
  return { ok: true, expiresAt: session.expiresAt };
}
