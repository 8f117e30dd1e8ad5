import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import type { MessageKey } from '../shared/message-key';
import { withoutMenuPointer } from './menu-pointer';
import type { PairingState } from './partner-row';

export interface PairingStatus {
  id: string;
  label: string;
  state: PairingState;
}

const STATE_TEXT: Record<PairingState, MessageKey> = {
  paired: 'popupPairingStatePaired',
  'not-paired': 'popupPairingStateNotPaired',
  're-pair-needed': 'popupPairingStateRepair',
};

/**
 * The pairing part of an OAuth partner's row (PKB): its state, Pair or Pair again when that is what stands in
 * the way, and Unpair, quiet and at the far end, away from the buttons that open something.
 */
export function PartnerPairing({ pairing, pair, unpair, onDone }: { pairing: PairingStatus; pair: 'pair' | 'pair-again' | null; unpair: boolean; onDone: () => void }) {
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
      setMessage({ kind: 'error', text: withoutMenuPointer(error instanceof Error ? error.message : String(error)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="row-part" data-pairing={pairing.id} data-state={pairing.state}>
      <div class="row-actions">
        {pair && (
          <button type="button" disabled={busy} onClick={() => void run('partner.pair')}>
            {t(pair === 'pair' ? 'popupPair' : 'popupRepair', pairing.label)}
          </button>
        )}
        <span class="muted" data-testid={`pairing-state-${pairing.id}`}>{t(STATE_TEXT[pairing.state])}</span>
        {unpair && (
          <button type="button" class="secondary quiet end" disabled={busy} onClick={() => void run('partner.unpair')}>
            {t('popupUnpair', pairing.label)}
          </button>
        )}
      </div>
      <div role="status" aria-live="polite">{message && <p class={message.kind}>{message.text}</p>}</div>
    </div>
  );
}
