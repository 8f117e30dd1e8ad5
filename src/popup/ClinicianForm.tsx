import { useState } from 'preact/hooks';
import type { ClinicianProfile } from '../shared/clinician';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';

const FIELDS: { key: keyof ClinicianProfile; label: string; inputMode: 'text' | 'email'; autocomplete: string }[] = [
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

export function ClinicianForm({ profile, onSaved }: { profile: ClinicianProfile | null; onSaved: () => void }) {
  const [draft, setDraft] = useState<Record<string, string>>({ ...(profile ?? {}) });
  // The organisation's defaults fill empty fields; locked ones cannot be changed here.
  const org = useAsync(async () => (await sendToBackground('clinician.get', {})) as Defaults).value;
  const locked = (key: keyof ClinicianProfile) => Boolean(org?.defaultsLocked && org.defaults[key] !== undefined);
  const shown = (key: keyof ClinicianProfile) => (locked(key) ? String(org!.defaults[key]) : (draft[key] ?? (org?.defaults[key] !== undefined ? String(org.defaults[key]) : '')));
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
    <form onSubmit={save} aria-labelledby="clinician-heading" noValidate>
      <h2 id="clinician-heading">{t('popupClinician')}</h2>
      {FIELDS.map((field) => (
        <div key={field.key}>
          <label for={`f-${field.key}`}>
            {t(field.label)}
            {locked(field.key) && <span class="managed">{t('optionsManaged')}</span>}
          </label>
          <input
            id={`f-${field.key}`}
            name={field.key}
            type="text"
            inputMode={field.inputMode}
            autocomplete={field.autocomplete}
            value={shown(field.key)}
            disabled={locked(field.key)}
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
