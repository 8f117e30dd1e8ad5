import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import type { MessageKey } from '../shared/message-key';

export interface PairingStatus {
  id: string;
  label: string;
  state: 'paired' | 'not-paired' | 're-pair-needed';
}

const STATE_TEXT: Record<PairingStatus['state'], MessageKey> = {
  paired: 'popupPairingStatePaired',
  'not-paired': 'popupPairingStateNotPaired',
  're-pair-needed': 'popupPairingStateRepair',
};

/** Pair, pair again or unpair one OAuth partner (PKB); the partner's sign-in page opens in the browser's auth window. */
export function PartnerPairing({ pairing, onDone }: { pairing: PairingStatus; onDone: () => void }) {
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: 'partner.pair' | 'partner.unpair') {
    setMessage(null);
    setBusy(true);
    try {
      await sendToBackground(action, { partnerId: pairing.id });
      setMessage({ kind: 'ok', text: t(action === 'partner.pair' ? 'popupPaired' : 'popupUnpaired', pairing.label) });
      onDone();
    } catch (error) {
      setMessage({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-pairing={pairing.id} data-state={pairing.state}>
      <strong>{pairing.label}</strong>: <span data-testid={`pairing-state-${pairing.id}`}>{t(STATE_TEXT[pairing.state])}</span>
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void run('partner.pair')}>
          {t(pairing.state === 'not-paired' ? 'popupPair' : 'popupRepair', pairing.label)}
        </button>
        {pairing.state !== 'not-paired' && (
          <button type="button" disabled={busy} onClick={() => void run('partner.unpair')}>
            {t('popupUnpair', pairing.label)}
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">{message && <p class={message.kind}>{message.text}</p>}</div>
    </div>
  );
}
