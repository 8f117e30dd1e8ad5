import type { Config } from '../shared/config';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';
import { AuditViewer } from './AuditViewer';
import { ConfigImport } from './ConfigImport';
import { SecretForm } from './SecretForm';
import { SigningKeys } from './SigningKeys';

interface ConfigView {
  config: Config;
  secretsSet: Record<string, string[]>;
  secretsByPolicy: Record<string, string[]>;
  policyProblems: string[];
}

export function Options() {
  const state = useAsync(async () => (await sendToBackground('config.get', {})) as ConfigView);
  const view = state.value;
  return (
    <>
      <h1>{t('optionsTitle')}</h1>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {view && (
        <>
          <section aria-labelledby="sites-heading">
            <h2 id="sites-heading">{t('optionsEhrSites')}</h2>
            {view.config.ehrSites.length === 0 ? (
              <p>No EHR sites yet.</p>
            ) : (
              <ul class="plain" data-testid="ehr-sites">
                {view.config.ehrSites.map((site) => (
                  <li key={site.origin}>
                    {site.origin} <span class="muted">(profile: {site.profile})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{t('optionsPartners')}</h2>
            {view.config.partners.length === 0 ? (
              <p>No partners yet.</p>
            ) : (
              <ul class="plain" data-testid="partners">
                {view.config.partners.map((p) => (
                  <li key={p.id}>
                    <strong>{p.label}</strong> <span class="muted">({p.kind}, id {p.id})</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {view.config.partners.length > 0 && (
            <section aria-labelledby="secrets-heading">
              <h2 id="secrets-heading">{t('optionsSecrets')}</h2>
              {view.policyProblems.length > 0 && (
                <ul data-testid="policy-problems">
                  {view.policyProblems.map((problem) => (
                    <li class="error" key={problem}>{problem}</li>
                  ))}
                </ul>
              )}
              {view.config.partners.map((p) => (
                <SecretForm key={p.id} partner={p} setNames={view.secretsSet[p.id] ?? []} policyNames={view.secretsByPolicy[p.id] ?? []} onSaved={state.reload} />
              ))}
            </section>
          )}
          {/* Read again when the partners change: a newly configured signing partner gets its key. */}
          <SigningKeys key={view.config.partners.map((p) => `${p.id}:${p.kind}`).join(',')} />
          <section>
            <ConfigImport current={view.config} onImported={state.reload} />
          </section>
          <AuditViewer />
        </>
      )}
    </>
  );
}
