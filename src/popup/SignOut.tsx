import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';

export interface SignOutOutcome {
  kind: 'ok' | 'error';
  text: string;
}

/** For shared workstations: ends partner sessions where partners allow it and forgets the clinician. */
export function SignOut({ onDone }: { onDone: (outcome: SignOutOutcome) => void }) {
  async function signOut() {
    try {
      const result = (await sendToBackground('session.signOut', {})) as { partnerErrors: { message: string }[] };
      onDone(
        result.partnerErrors.length === 0
          ? { kind: 'ok', text: t('popupSignedOut') }
          : { kind: 'error', text: `${t('popupSignedOut')} ${result.partnerErrors.map((e) => e.message).join(' ')}` },
      );
    } catch (error) {
      onDone({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }
  // Secondary: it ends sessions, so it must not look like the thing to press next.
  return (
    <button type="button" class="secondary quiet" onClick={() => void signOut()}>
      {t('popupSignOut')}
    </button>
  );
}
