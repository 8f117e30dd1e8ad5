import { useState } from 'preact/hooks';
import { describeConfigErrors, ehrSiteSchema } from '../shared/config';
import { hostPatternsFor } from '../shared/host-access';
import { t } from '../shared/i18n';
import { Managed } from './Managed';
import { requestHostAccess, saveUserConfig, type ConfigView } from './view';

/**
 * EHR sites: the origins the launch bar runs on. Adding one asks the browser for access to it (from this
 * click), then the background registers the content script there.
 */
export function EhrSites({ view, onSaved }: { view: ConfigView; onSaved: () => void }) {
  const [origin, setOrigin] = useState('');
  const [profile, setProfile] = useState('generic');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const locked = view.locked.includes('ehrSites');
  const fromPolicy = (o: string) => locked || view.fromPolicy.ehrSites.includes(o);
  const index = view.user.ehrSites.length;

  async function add(event: Event) {
    event.preventDefault();
    setMessage(null);
    const parsed = ehrSiteSchema.safeParse({ origin, profile });
    if (!parsed.success) {
      return setMessage({ kind: 'error', text: describeConfigErrors(parsed.error).map((e) => `ehrSites[${index}].${e}`).join(' ') });
    }
    if (view.config.ehrSites.some((s) => s.origin === parsed.data.origin)) {
      return setMessage({ kind: 'error', text: t('optionsSiteExists', parsed.data.origin) });
    }
    // First thing after the click, so it still counts as a user gesture.
    // With the banner frames its profile names (an EHR that serves its banner from another host).
    const granted = await requestHostAccess(hostPatternsFor({ ehrSites: [parsed.data], partners: [], profiles: view.config.profiles }));
    const errors = await saveUserConfig({ ...view.user, ehrSites: [...view.user.ehrSites, parsed.data] });
    if (errors.length) return setMessage({ kind: 'error', text: errors.join(' ') });
    setOrigin('');
    setMessage(granted ? { kind: 'ok', text: t('optionsSiteAdded', parsed.data.origin) } : { kind: 'error', text: t('optionsSiteNoAccess', parsed.data.origin) });
    onSaved();
  }

  async function remove(siteOrigin: string) {
    setMessage(null);
    const errors = await saveUserConfig({ ...view.user, ehrSites: view.user.ehrSites.filter((s) => s.origin !== siteOrigin) });
    setMessage(errors.length ? { kind: 'error', text: errors.join(' ') } : { kind: 'ok', text: t('optionsSiteRemoved', siteOrigin) });
    if (!errors.length) onSaved();
  }

  return (
    <section aria-labelledby="sites-heading">
      <h2 id="sites-heading">
        {t('optionsEhrSites')} {locked && <Managed />}
      </h2>
      {view.config.ehrSites.length === 0 ? (
        <p>{t('optionsNoSites')}</p>
      ) : (
        <ul class="plain" data-testid="ehr-sites">
          {view.config.ehrSites.map((site) => (
            <li key={site.origin}>
              {site.origin} <span class="muted">({t('optionsSiteProfile', site.profile)})</span>{' '}
              {fromPolicy(site.origin) ? (
                <Managed />
              ) : (
                <button type="button" class="secondary" onClick={() => void remove(site.origin)} aria-label={t('optionsSiteRemoveNamed', site.origin)}>
                  {t('optionsSiteRemove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!locked && (
        <form onSubmit={(event) => void add(event)} noValidate class="toolbar" aria-label={t('optionsSiteAdd')}>
          <div class="grow">
            <label for="site-origin">{t('optionsSiteOrigin')}</label>
            <input id="site-origin" type="url" inputMode="url" spellcheck={false} placeholder="https://ehr.example-trust.nhs.uk" value={origin} onInput={(e) => setOrigin((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <div>
            <label for="site-profile">{t('optionsSiteProfileLabel')}</label>
            <input id="site-profile" type="text" spellcheck={false} value={profile} onInput={(e) => setProfile((e.currentTarget as HTMLInputElement).value)} />
          </div>
          <button type="submit">{t('optionsSiteAdd')}</button>
        </form>
      )}
      <div role="status" aria-live="polite" data-testid="sites-result">{message && <p class={message.kind}>{message.text}</p>}</div>
    </section>
  );
}
