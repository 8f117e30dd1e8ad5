import { useState } from 'preact/hooks';
import type { ClinicianProfile } from '../shared/clinician';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';
import type { MessageKey } from '../shared/message-key';
import { hasProblems, missingFields, refusalMessages, type ProfileProblems } from './profile-messages';

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

const NO_PROBLEMS: ProfileProblems = { fields: {}, other: [] };

/**
 * The profile's fields. Problems are shown under the field they are about, in plain words; the status line
 * (`notSaved`) only says that something needs fixing, so a screen reader hears it once.
 */
export function ClinicianForm({
  profile,
  verified,
  hidden,
  onSaved,
  onNotSaved,
  onCancel,
}: {
  profile: ClinicianProfile | null;
  verified?: VerifiedFields | null;
  hidden?: boolean;
  onSaved: () => void;
  onNotSaved: (other: string[]) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({ ...(profile ?? {}) });
  // The organisation's defaults fill empty fields; locked ones cannot be changed here.
  const org = useAsync(async () => (await sendToBackground('clinician.get', {})) as Defaults).value;
  const fromSignIn = (key: keyof ClinicianProfile) => Boolean(verified?.fields.includes(key));
  const locked = (key: keyof ClinicianProfile) => fromSignIn(key) || Boolean(org?.defaultsLocked && org.defaults[key] !== undefined);
  const shown = (key: keyof ClinicianProfile) =>
    fromSignIn(key) ? String(profile?.[key] ?? '') : locked(key) ? String(org!.defaults[key]) : (draft[key] ?? (org?.defaults[key] !== undefined ? String(org.defaults[key]) : ''));
  const [problems, setProblems] = useState<ProfileProblems>(NO_PROBLEMS);

  async function save(event: Event) {
    event.preventDefault();
    const filled = Object.fromEntries(FIELDS.map((field) => [field.key, shown(field.key)]));
    const missing = missingFields(filled);
    if (hasProblems(missing)) return refuse(missing, event);
    const entries = Object.entries(filled).filter(([, v]) => v.trim() !== '');
    const result = (await sendToBackground('clinician.set', { profile: Object.fromEntries(entries) })) as { ok: boolean; errors: string[] };
    if (!result.ok) return refuse(refusalMessages(filled, result.errors), event);
    setProblems(NO_PROBLEMS);
    onSaved();
  }

  function refuse(found: ProfileProblems, event: Event) {
    setProblems(found);
    onNotSaved(found.other);
    // The first field at fault takes the focus, so its message is read and the fix starts there.
    const first = FIELDS.find((field) => found.fields[field.key]);
    if (first) (event.currentTarget as HTMLFormElement | null)?.querySelector<HTMLInputElement>(`#f-${first.key}`)?.focus();
  }

  return (
    <form id="clinician-form" onSubmit={(event) => void save(event)} aria-labelledby="clinician-heading" noValidate hidden={hidden}>
      {FIELDS.map((field) => {
        const problem = problems.fields[field.key];
        return (
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
              aria-invalid={problem ? 'true' : undefined}
              aria-describedby={problem ? `e-${field.key}` : undefined}
              onInput={(e) => setDraft({ ...draft, [field.key]: (e.currentTarget as HTMLInputElement).value })}
            />
            {problem && (
              <p class="field-error" id={`e-${field.key}`} data-field-error={field.key}>
                {problem}
              </p>
            )}
          </div>
        );
      })}
      <div class="form-actions">
        <button type="submit">{t('popupSave')}</button>
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {t('popupProfileCancel')}
          </button>
        )}
      </div>
    </form>
  );
}
