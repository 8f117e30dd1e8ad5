import { useState } from 'preact/hooks';
import { browserLimits } from '../shared/browser-limits';
import { matchPatternFor } from '../shared/host-access';
import { t } from '../shared/i18n';
import { Managed } from './Managed';
import { isManaged, requestHostAccess, saveUserConfig, type ConfigView } from './view';

/**
 * Workstation and organisation settings: automatic sign-out, audit forwarding and the prefetch maximum. What
 * policy sets or locks is shown read-only, labelled as managed by the organisation.
 */
export function SettingsForm({ view, onSaved }: { view: ConfigView; onSaved: () => void }) {
  const { config } = view;
  const [idleMinutes, setIdleMinutes] = useState(String(config.signOut.idleMinutes));
  const [onScreenLock, setOnScreenLock] = useState(config.signOut.onScreenLock);
  const [forwarding, setForwarding] = useState(config.auditForwarding.enabled);
  const [endpoint, setEndpoint] = useState(config.auditForwarding.endpoint ?? '');
  const [maximum, setMaximum] = useState(config.prefetch.maximum);
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const noScreenLock = browserLimits().includes('screen-lock');

  const managed = {
    idleMinutes: isManaged(view, 'signOut', 'idleMinutes'),
    onScreenLock: isManaged(view, 'signOut', 'onScreenLock'),
    forwarding: isManaged(view, 'auditForwarding', 'enabled'),
    endpoint: isManaged(view, 'auditForwarding', 'endpoint'),
    maximum: isManaged(view, 'prefetch', 'maximum'),
  };

  async function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    // Host access for the audit endpoint, asked while the click still counts as a gesture.
    let endpointOrigin: string | null = null;
    try {
      endpointOrigin = forwarding && endpoint ? matchPatternFor(new URL(endpoint).origin) : null;
    } catch {
      endpointOrigin = null;
    }
    if (endpointOrigin && !managed.endpoint) await requestHostAccess([endpointOrigin]);
    const minutes = Number(idleMinutes);
    // What policy sets is not copied into this computer's own document: it keeps its own values there.
    const own = view.user;
    const ownEndpoint = managed.endpoint ? own.auditForwarding.endpoint : endpoint.trim() || undefined;
    const next = {
      ...own,
      signOut: {
        idleMinutes: managed.idleMinutes ? own.signOut.idleMinutes : idleMinutes.trim() === '' ? 0 : Number.isFinite(minutes) ? minutes : idleMinutes,
        onScreenLock: managed.onScreenLock ? own.signOut.onScreenLock : onScreenLock,
      },
      auditForwarding: { enabled: managed.forwarding ? own.auditForwarding.enabled : forwarding, ...(ownEndpoint ? { endpoint: ownEndpoint } : {}) },
      prefetch: { maximum: managed.maximum ? own.prefetch.maximum : maximum },
    };
    const problems = await saveUserConfig(next);
    setErrors(problems);
    if (problems.length === 0) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <form onSubmit={(event) => void save(event)} aria-labelledby="settings-heading" noValidate data-testid="settings">
      <h2 id="settings-heading">{t('optionsSettings')}</h2>
      <fieldset>
        <legend>{t('optionsSignOut')}</legend>
        <label for="idle-minutes">
          {t('optionsIdleMinutes')} {managed.idleMinutes && <Managed />}
        </label>
        <input id="idle-minutes" type="number" min={0} max={1440} step={1} inputMode="numeric" value={idleMinutes} readOnly={managed.idleMinutes} disabled={managed.idleMinutes} onInput={(e) => setIdleMinutes((e.currentTarget as HTMLInputElement).value)} />
        <label class="check" for="screen-lock">
          <input id="screen-lock" type="checkbox" checked={onScreenLock} disabled={managed.onScreenLock} aria-describedby={noScreenLock ? 'screen-lock-limit' : undefined} onChange={(e) => setOnScreenLock((e.currentTarget as HTMLInputElement).checked)} />
          {t('optionsOnScreenLock')} {managed.onScreenLock && <Managed />}
        </label>
        {noScreenLock && (
          <p class="muted" id="screen-lock-limit" data-testid="screen-lock-limit">
            {t('optionsScreenLockFirefox')}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('auditForwarding')}</legend>
        <label class="check" for="forwarding-enabled">
          <input id="forwarding-enabled" type="checkbox" checked={forwarding} disabled={managed.forwarding} onChange={(e) => setForwarding((e.currentTarget as HTMLInputElement).checked)} />
          {t('optionsForwardingEnabled')} {managed.forwarding && <Managed />}
        </label>
        <label for="forwarding-endpoint">
          {t('optionsForwardingEndpoint')} {managed.endpoint && <Managed />}
        </label>
        <input id="forwarding-endpoint" type="url" inputMode="url" value={endpoint} readOnly={managed.endpoint} disabled={managed.endpoint} onInput={(e) => setEndpoint((e.currentTarget as HTMLInputElement).value)} />
      </fieldset>
      <fieldset>
        <legend>{t('optionsPrefetch')}</legend>
        <label for="prefetch-maximum">
          {t('optionsPrefetchMaximum')} {managed.maximum && <Managed />}
        </label>
        <select id="prefetch-maximum" value={maximum} disabled={managed.maximum} onChange={(e) => setMaximum((e.currentTarget as HTMLSelectElement).value as typeof maximum)}>
          <option value="click">{t('optionsPrefetchClick')}</option>
          <option value="hover">{t('optionsPrefetchHover')}</option>
          <option value="eager">{t('optionsPrefetchEager')}</option>
        </select>
      </fieldset>
      <button type="submit">{t('optionsSettingsSave')}</button>
      <div role="status" aria-live="polite" data-testid="settings-result">
        {saved && <p class="ok">{t('optionsSettingsSaved')}</p>}
        {errors.map((error) => (
          <p class="field-error" key={error}>{error}</p>
        ))}
      </div>
    </form>
  );
}
