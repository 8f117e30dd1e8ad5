import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { withoutMenuPointer } from './menu-pointer';

/**
 * The sign-in part of a row for a partner with its own sign-in (NHS login): its state, and the button while it
 * is what stands in the way. The provider's own page opens in the browser's auth window.
 */
export function PartnerSignIn({ partner, offer, onDone }: { partner: { id: string; label: string; signedIn: boolean }; offer: boolean; onDone: () => void }) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  async function signIn() {
    setMessage(null);
    try {
      await sendToBackground('partner.signIn', { partnerId: partner.id });
      setMessage({ kind: 'ok', text: t('popupPartnerSignedIn', partner.label) });
      onDone();
    } catch (error) {
      setMessage({ kind: 'error', text: withoutMenuPointer(error instanceof Error ? error.message : String(error)) });
    }
  }
  return (
    <div class="row-part" data-sign-in={partner.id}>
      <div class="row-actions">
        {offer && (
          <button type="button" onClick={() => void signIn()}>
            {t('popupPartnerSignIn', partner.label)}
          </button>
        )}
        <span class="muted">{partner.signedIn ? t('popupPartnerStateSignedIn') : t('popupPartnerStateSignedOut')}</span>
      </div>
      <div role="status" aria-live="polite">{message && <p class={message.kind}>{message.text}</p>}</div>
    </div>
  );
}
