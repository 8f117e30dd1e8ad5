import { useState } from 'preact/hooks';
import { connectorFor } from '../connectors/registry';
import type { PartnerConfig } from '../shared/config';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';

/** Write-only: a secret typed here goes to the vault and is never shown again, only whether it is set. */
export function SecretForm({ partner, setNames, policyNames, onSaved }: { partner: PartnerConfig; setNames: string[]; policyNames: string[]; onSaved: () => void }) {
  const names = connectorFor(partner.kind)?.secretNames ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function save(name: string, event: Event) {
    event.preventDefault();
    const value = values[name] ?? '';
    if (!value) return setMessage({ kind: 'error', text: t('optionsSecretEmpty') });
    try {
      await sendToBackground('secret.set', { partnerId: partner.id, name, value });
      setValues({ ...values, [name]: '' });
      setMessage({ kind: 'ok', text: t('optionsSecretSaved') });
      onSaved();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <div data-partner={partner.id}>
      <h3>{partner.label}</h3>
      {names.map((name) =>
        policyNames.includes(name) ? (
          <p key={name}>
            {name} <span class="muted">({t('optionsSecretByPolicy')})</span>
          </p>
        ) : (
        <form key={name} onSubmit={(e) => void save(name, e)}>
          <label for={`secret-${partner.id}-${name}`}>
            {name} <span class="muted">({setNames.includes(name) ? t('optionsSecretSet') : t('optionsSecretMissing')})</span>
          </label>
          <input
            id={`secret-${partner.id}-${name}`}
            type="password"
            autocomplete="off"
            value={values[name] ?? ''}
            onInput={(e) => setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value })}
          />
          <button type="submit">{t('optionsSecretSave')}</button>
        </form>
        ),
      )}
      <div role="status" aria-live="polite">{message && <p class={message.kind}>{message.text}</p>}</div>
    </div>
  );
}
