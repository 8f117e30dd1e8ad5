import { useState } from 'preact/hooks';
import { connectorFor } from '../connectors/registry';
import { goesViaBroker, type Config, type PartnerConfig } from '../shared/config';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { secretFieldId, secretLabel } from './secret-names';

type Message = { kind: 'ok' | 'error'; text: string };

/**
 * Write-only: a secret typed here goes to the vault and is never shown again, only whether it is set. Each
 * secret is named as the administrator knows it, and its confirmation or error appears right under it.
 */
export function SecretForm({ partner, setNames, policyNames, onSaved }: { partner: PartnerConfig; setNames: string[]; policyNames: string[]; onSaved: () => void }) {
  const names = connectorFor(partner.kind)?.secretNames ?? [];
  const [values, setValues] = useState<Record<string, string>>({});
  const [messages, setMessages] = useState<Record<string, Message>>({});
  const say = (name: string, message: Message) => setMessages((all) => ({ ...all, [name]: message }));

  async function save(name: string, event: Event) {
    event.preventDefault();
    const value = values[name] ?? '';
    if (!value) return say(name, { kind: 'error', text: t('optionsSecretEmpty') });
    try {
      await sendToBackground('secret.set', { partnerId: partner.id, name, value });
      setValues({ ...values, [name]: '' });
      say(name, { kind: 'ok', text: t('setupSecretSavedNamed', secretLabel(name)) });
      onSaved();
    } catch (error) {
      say(name, { kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <div data-partner={partner.id}>
      <h3>{partner.label}</h3>
      {names.map((name) => {
        if (policyNames.includes(name)) {
          return (
            <p key={name}>
              {secretLabel(name)} <span class="muted">({t('optionsSecretByPolicy')})</span>
            </p>
          );
        }
        const id = secretFieldId(partner.id, name);
        const set = setNames.includes(name);
        return (
          <form key={name} onSubmit={(e) => void save(name, e)}>
            <label for={id}>
              {secretLabel(name)} <span class="muted">({set ? t('optionsSecretSet') : t('optionsSecretMissing')})</span>
            </label>
            <div class="toolbar">
              <input
                id={id}
                class="grow"
                type="password"
                autocomplete="off"
                aria-describedby={`${id}-result`}
                value={values[name] ?? ''}
                onInput={(e) => setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value })}
              />
              <button type="submit">{set ? t('setupSecretReplace') : t('optionsSecretSave')}</button>
            </div>
            <div role="status" aria-live="polite" id={`${id}-result`} data-testid={`${id}-result`}>
              {messages[name] && <p class={messages[name].kind}>{messages[name].text}</p>}
            </div>
          </form>
        );
      })}
    </div>
  );
}

/** Every partner that has secrets to type on this computer (none for partners launched through the broker). */
export function partnersWithSecrets(config: Config): PartnerConfig[] {
  return config.partners.filter((partner) => !goesViaBroker(config, partner) && (connectorFor(partner.kind)?.secretNames.length ?? 0) > 0);
}
