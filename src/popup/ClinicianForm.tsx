import { useState } from 'preact/hooks';
import type { ClinicianProfile } from '../shared/clinician';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';
import type { MessageKey } from '../shared/message-key';

const FIELDS: { key: keyof ClinicianProfile; label: MessageKey; inputMode: 'text' | 'email'; autocomplete: string }[] = [
  { key: 'displayName', label: 'fieldDisplayName', inputMode: 'text', autocomplete: 'name' },
  { key: 'username', label: 'fieldUsername', inputMode: 'text', autocomplete: 'username' },
  { key: 'email', label: 'fieldEmail', inputMode: 'email', autocomplete: 'email' },
  { key: 'sdsUserId', label: 'fieldSdsUserId', inputMode: 'text', autocomplete: 'off' },
  { key: 'roleProfileId', label: 'fieldRoleProfileId', inputMode: 'text', autocomplete: 'off' },
  { key: 'roleName', label: 'fieldRoleName', inputMode: 'text', autocomplete: 'off' },
  { key: 'parchmentUserId', label: 'fieldParchmentUserId', inputMode: 'text', autocomplete: 'off' },
];

interface Defaults {
  defaults: Partial<ClinicianProfile>;
  defaultsLocked: boolean;
}

/** Fields the organisation's sign-in verified: shown as the sign-in's, never editable here. */
export interface VerifiedFields {
  providerLabel: string;
  fields: string[];
}

export function ClinicianForm({ profile, verified, onSaved }: { profile: ClinicianProfile | null; verified?: VerifiedFields | null; onSaved: () => void }) {
  const [draft, setDraft] = useState<Record<string, string>>({ ...(profile ?? {}) });
  // The organisation's defaults fill empty fields; locked ones cannot be changed here.
  const org = useAsync(async () => (await sendToBackground('clinician.get', {})) as Defaults).value;
  const fromSignIn = (key: keyof ClinicianProfile) => Boolean(verified?.fields.includes(key));
  const locked = (key: keyof ClinicianProfile) => fromSignIn(key) || Boolean(org?.defaultsLocked && org.defaults[key] !== undefined);
  const shown = (key: keyof ClinicianProfile) =>
    fromSignIn(key) ? String(profile?.[key] ?? '') : locked(key) ? String(org!.defaults[key]) : (draft[key] ?? (org?.defaults[key] !== undefined ? String(org.defaults[key]) : ''));
  const [errors, setErrors] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);

  async function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    const filled = Object.fromEntries(FIELDS.map((field) => [field.key, shown(field.key)]));
    const entries = Object.entries(filled).filter(([, v]) => v.trim() !== '');
    const result = (await sendToBackground('clinician.set', { profile: Object.fromEntries(entries) })) as { ok: boolean; errors: string[] };
    setErrors(result.errors);
    if (result.ok) {
      setSaved(true);
      onSaved();
    }
  }

  return (
    <form onSubmit={(event) => void save(event)} aria-labelledby="clinician-heading" noValidate>
      <h2 id="clinician-heading">{t('popupClinician')}</h2>
      {profile && !verified && <p class="muted" data-testid="profile-typed">{t('identityTyped')}</p>}
      {FIELDS.map((field) => (
        <div key={field.key}>
          <label for={`f-${field.key}`}>
            {t(field.label)}
            {fromSignIn(field.key) ? (
              <span class="managed" data-verified={field.key}>{t('identityFromSignIn', verified!.providerLabel)}</span>
            ) : (
              locked(field.key) && <span class="managed">{t('optionsManaged')}</span>
            )}
          </label>
          <input
            id={`f-${field.key}`}
            name={field.key}
            type="text"
            inputMode={field.inputMode}
            autocomplete={field.autocomplete}
            value={shown(field.key)}
            disabled={locked(field.key)}
            readOnly={fromSignIn(field.key)}
            onInput={(e) => setDraft({ ...draft, [field.key]: (e.currentTarget as HTMLInputElement).value })}
          />
        </div>
      ))}
      <button type="submit">{t('popupSave')}</button>
      <div role="status" aria-live="polite">
        {saved && <p class="ok">{t('popupSaved')}</p>}
        {errors.map((error) => (
          <p class="field-error" key={error}>{error}</p>
        ))}
      </div>
    </form>
  );
}
