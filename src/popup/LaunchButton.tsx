import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { contextFingerprint, type PatientContext } from '../shared/patient';
import { displayName } from '../shared/person-name';
import { withoutMenuPointer } from './menu-pointer';

/**
 * Launch from the toolbar menu, for the patient the menu shows for the current tab. The background re-reads
 * the tab first, as for a click in the launch bar, and refuses if the patient on the page is not this one.
 */
export function LaunchButton({ tabId, patient, partner }: { tabId: number; patient: PatientContext; partner: { id: string; label: string } }) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function launch() {
    setMessage(null);
    setBusy(true);
    try {
      const result = await sendToBackground('launch.fromPopup', { tabId, partnerId: partner.id, fingerprint: contextFingerprint(patient) });
      setMessage({ kind: 'ok', text: result.notice ?? t('popupLaunched', partner.label) });
    } catch (error) {
      setMessage({ kind: 'error', text: withoutMenuPointer(error instanceof Error ? error.message : String(error)) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" class="launch" disabled={busy} onClick={() => void launch()}>
        {t('barOpenIn', displayName(patient.name), partner.label)}
      </button>
      <div role="status" aria-live="polite" data-testid={`launch-result-${partner.id}`}>{message && <p class={message.kind}>{message.text}</p>}</div>
    </>
  );
}
