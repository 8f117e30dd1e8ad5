import { useEffect, useState } from 'preact/hooks';
import { browser } from '../shared/browser-api';
import { t } from '../shared/i18n';
import { useAsync } from '../ui/use-async';
import { AuditViewer } from './AuditViewer';
import { ConfigImport } from './ConfigImport';
import { Diagnostics } from './Diagnostics';
import { BrokerSettings } from './BrokerSettings';
import { EhrSites } from './EhrSites';
import { IdentitySettings } from './IdentitySettings';
import { ProfileBuilder } from './builder/ProfileBuilder';
import { Partners } from './Partners';
import { SecretForm } from './SecretForm';
import { SettingsForm } from './SettingsForm';
import { SigningKeys } from './SigningKeys';
import { loadConfigView } from './view';

export function Options() {
  const [round, setRound] = useState(0);
  const state = useAsync(loadConfigView, round);
  const reload = () => setRound((r) => r + 1);
  // Policy (and configuration saved elsewhere) applies live: show it as soon as it changes.
  useEffect(() => {
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area === 'managed' || (area === 'local' && 'config' in changes)) reload();
    };
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  }, []);
  const view = state.value;
  return (
    <>
      <h1>{t('optionsTitle')}</h1>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {view && (
        <>
          {view.policyPresent && (
            <p class="notice" data-testid="policy-notice">
              {t('optionsPolicyNotice')}
            </p>
          )}
          <EhrSites view={view} onSaved={reload} />
          {/* Keyed by the sites: the list of tabs it offers depends on them. */}
          <ProfileBuilder key={view.config.ehrSites.map((site) => site.origin).join(' ')} view={view} onSaved={reload} />
          <Partners view={view} onSaved={reload} />
          <IdentitySettings view={view} />
          <BrokerSettings view={view} />
          {view.config.partners.length > 0 && (
            <section aria-labelledby="secrets-heading">
              <h2 id="secrets-heading">{t('optionsSecrets')}</h2>
              {view.config.partners.map((p) => (
                <SecretForm key={p.id} partner={p} setNames={view.secretsSet[p.id] ?? []} policyNames={view.secretsByPolicy[p.id] ?? []} onSaved={reload} />
              ))}
            </section>
          )}
          <section>
            {/* A fresh form when what it shows changes underneath it (policy applies live). */}
            <SettingsForm key={JSON.stringify([view.config.signOut, view.config.auditForwarding, view.config.prefetch, view.locked, view.fromPolicy.fields])} view={view} onSaved={reload} />
          </section>
          {/* Read again when the partners change: a newly configured signing partner gets its key. */}
          <SigningKeys key={view.config.partners.map((p) => `${p.id}:${p.kind}:${'alg' in p ? p.alg : ''}`).join(',')} config={view.config} />
          <section>
            <ConfigImport view={view} onImported={reload} />
          </section>
          <AuditViewer />
          <Diagnostics round={round} />
        </>
      )}
    </>
  );
}
