import { browser } from '../shared/browser-api';
import { resolveProvider } from '../shared/identity/idp-config';
import { t } from '../shared/i18n';
import { isManaged, type ConfigView } from './view';

/** The redirect URI path the background signs in with (src/background/identity/sign-in.ts). */
const REDIRECT_PATH = 'org-idp';

/**
 * The organisation sign-in as configured: what to register with the provider (client id, redirect URI,
 * scopes) and what the organisation requires. Read-only here: it comes from the configuration document or
 * from policy.
 */
export function IdentitySettings({ view }: { view: ConfigView }) {
  const identity = view.config.identity;
  const managed = isManaged(view, 'identity', 'provider') || isManaged(view, 'identity', 'required');
  const provider = identity.provider ? resolveProvider(identity.provider) : undefined;
  return (
    <section aria-labelledby="identity-settings-heading" data-testid="identity-settings">
      <h2 id="identity-settings-heading">
        {t('optionsIdentity')}
        {managed && <span class="managed">{t('optionsManaged')}</span>}
      </h2>
      {!provider ? (
        <p>{t('optionsIdentityNone')}</p>
      ) : (
        <dl>
          <dt class="muted">{t('optionsIdentityProvider')}</dt>
          <dd>{`${provider.label} (${provider.preset})`}</dd>
          <dt class="muted">{t('optionsIdentityIssuer')}</dt>
          <dd><code>{provider.issuer}</code></dd>
          <dt class="muted">{t('optionsIdentityClient')}</dt>
          <dd><code>{provider.clientId}</code> ({provider.clientAuth === 'private_key_jwt' ? `private_key_jwt, ${provider.alg}` : 'PKCE'})</dd>
          <dt class="muted">{t('optionsIdentityRedirect')}</dt>
          <dd><code data-testid="identity-redirect-uri">{browser.identity.getRedirectURL(REDIRECT_PATH)}</code></dd>
          <dt class="muted">{t('optionsIdentityScopes')}</dt>
          <dd><code>{provider.scope}</code>{provider.acrValues ? <> · acr_values <code>{provider.acrValues}</code></> : null}</dd>
        </dl>
      )}
      <p data-testid="identity-required">{identity.required ? t('optionsIdentityRequired') : t('optionsIdentityOptional')}</p>
      <p class="muted">{t('optionsIdentityLife', String(identity.maxHours), String(identity.recheckMinutes))}</p>
    </section>
  );
}
