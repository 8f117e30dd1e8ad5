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
import { partnersWithSecrets, SecretForm } from './SecretForm';
import { GetStarted } from './GetStarted';
import { SetupChecklist } from './SetupChecklist';
import { SettingsForm } from './SettingsForm';
import { SigningKeys } from './SigningKeys';
import { loadConfigView } from './view';

export function Options() {
  const [round, setRound] = useState(0);
  const [imported, setImported] = useState(false);
  const state = useAsync(loadConfigView, round);
  const reload = () => setRound((r) => r + 1);
  // Policy (and configuration saved elsewhere) applies live: show it as soon as it changes.
  useEffect(() => {
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area === 'managed' || (area === 'local' && 'config' in changes)) reload();
    };
    browser.storage.onChanged.addListener(listener);
    // Access granted or taken away in the browser's own settings moves the checklist too.
    browser.permissions.onAdded.addListener(reload);
    browser.permissions.onRemoved.addListener(reload);
    return () => {
      browser.storage.onChanged.removeListener(listener);
      browser.permissions.onAdded.removeListener(reload);
      browser.permissions.onRemoved.removeListener(reload);
    };
  }, []);
  const onImported = () => (setImported(true), reload());
  const view = state.value;
  const fresh = view !== undefined && view.config.ehrSites.length === 0 && view.config.partners.length === 0;
  const secretPartners = view ? partnersWithSecrets(view.config) : [];
  return (
    <>
      <h1>{t('optionsTitle')}</h1>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {!view && !state.error && (
        <p role="status" data-testid="options-loading">
          {t('setupLoading')}
        </p>
      )}
      {view && (
        <>
          {view.policyPresent && (
            <p class="notice" data-testid="policy-notice">
              {t('optionsPolicyNotice')}
            </p>
          )}
          {/* First run: the way in is the configuration, so it comes first; then what is left, until it is done. */}
          {fresh ? <GetStarted onImported={onImported} /> : <SetupChecklist round={round} imported={imported} onChanged={reload} />}
          {secretPartners.length > 0 && (
            <section aria-labelledby="secrets-heading">
              <h2 id="secrets-heading">{t('optionsSecrets')}</h2>
              <p class="muted">{t('setupSecretsHelp')}</p>
              {secretPartners.map((p) => (
                <SecretForm key={p.id} partner={p} setNames={view.secretsSet[p.id] ?? []} policyNames={view.secretsByPolicy[p.id] ?? []} onSaved={reload} />
              ))}
            </section>
          )}
          <EhrSites view={view} onSaved={reload} />
          {/* Keyed by the sites: the list of tabs it offers depends on them. */}
          <ProfileBuilder key={view.config.ehrSites.map((site) => site.origin).join(' ')} view={view} onSaved={reload} />
          <Partners view={view} onSaved={reload} />
          <IdentitySettings view={view} />
          <BrokerSettings view={view} />
          <section>
            {/* A fresh form when what it shows changes underneath it (policy applies live). */}
            <SettingsForm key={JSON.stringify([view.config.signOut, view.config.auditForwarding, view.config.prefetch, view.locked, view.fromPolicy.fields])} view={view} onSaved={reload} />
          </section>
          {/* Read again when the partners change: a newly configured signing partner gets its key. */}
          <SigningKeys key={view.config.partners.map((p) => `${p.id}:${p.kind}:${'alg' in p ? p.alg : ''}`).join(',')} config={view.config} />
          <section>
            <ConfigImport view={view} onImported={onImported} />
          </section>
          <AuditViewer />
          <Diagnostics round={round} />
        </>
      )}
    </>
  );
}
