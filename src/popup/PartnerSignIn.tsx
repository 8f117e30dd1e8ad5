import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';

/** Sign-in for partners that need one (NHS login): the provider's own page opens in the browser's auth window. */
export function PartnerSignIn({ partner, onDone }: { partner: { id: string; label: string; signedIn: boolean }; onDone: () => void }) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  async function signIn() {
    setMessage(null);
    try {
      await sendToBackground('partner.signIn', { partnerId: partner.id });
      setMessage({ kind: 'ok', text: t('popupPartnerSignedIn', partner.label) });
      onDone();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  }
  return (
    <div data-sign-in={partner.id}>
      <button type="button" onClick={() => void signIn()}>
        {t('popupPartnerSignIn', partner.label)}
      </button>{' '}
      <span class="muted">{partner.signedIn ? t('popupPartnerStateSignedIn') : t('popupPartnerStateSignedOut')}</span>
      <div role="status" aria-live="polite">{message && <p class={message.kind}>{message.text}</p>}</div>
    </div>
  );
}
