import { useState } from 'preact/hooks';
import type { ClinicianProfile } from '../shared/clinician';
import { t } from '../shared/i18n';
import { ClinicianForm, type VerifiedFields } from './ClinicianForm';

/** The last save's outcome; `seq` tells one outcome from the next when both read the same. */
export type ProfileNote = { kind: 'saved'; seq: number } | { kind: 'not-saved'; other: string[]; seq: number } | null;

let outcomes = 0;

/**
 * The clinician's profile: an open form while none is saved (first run), else one line with the name and an
 * Edit button. The form stays in the page while folded, so what it shows (and locks) is still there to read.
 */
export function ProfileSection({
  profile,
  verified,
  note,
  onNote,
  onSaved,
}: {
  profile: ClinicianProfile | null;
  verified: VerifiedFields | null;
  note: ProfileNote;
  onNote: (note: ProfileNote) => void;
  onSaved: () => void;
}) {
  const [editing, setEditing] = useState(false);
  // A new form on Cancel, so what was typed and not saved is dropped.
  const [round, setRound] = useState(0);
  const folded = profile !== null && !editing;
  return (
    <section aria-labelledby="clinician-heading" class="profile" data-testid="profile" data-folded={folded ? 'true' : 'false'}>
      <div class="row-head">
        <h2 id="clinician-heading">{t('popupClinician')}</h2>
        {folded && (
          <button
            type="button"
            class="secondary"
            aria-label={t('popupProfileEditLabel')}
            aria-expanded="false"
            aria-controls="clinician-form"
            onClick={() => (onNote(null), setEditing(true))}
          >
            {t('popupProfileEdit')}
          </button>
        )}
      </div>
      {folded && (
        <p data-testid="profile-summary">
          <span aria-hidden="true" class="ok">✓ </span>
          {t('popupProfileSavedAs', profile.displayName)}
          {!verified && (
            <>
              {' '}
              <span class="muted" data-testid="profile-typed">{t('identityTyped')}</span>
            </>
          )}
        </p>
      )}
      <ClinicianForm
        key={round}
        profile={profile}
        verified={verified}
        hidden={folded}
        onSaved={() => (setEditing(false), onNote({ kind: 'saved', seq: ++outcomes }), onSaved())}
        onNotSaved={(other) => onNote({ kind: 'not-saved', other, seq: ++outcomes })}
        {...(profile ? { onCancel: () => (setEditing(false), setRound((n) => n + 1), onNote(null)) } : {})}
      />
      <div role="status" aria-live="polite" data-testid="profile-result" data-outcome={note?.seq ?? 0}>
        {note?.kind === 'saved' && <p class="ok">{t('popupSaved')}</p>}
        {note?.kind === 'not-saved' && (
          <>
            <p class="error">{t('popupProfileNotSaved')}</p>
            {note.other.map((line) => (
              <p class="field-error" key={line}>{line}</p>
            ))}
          </>
        )}
      </div>
    </section>
  );
}
