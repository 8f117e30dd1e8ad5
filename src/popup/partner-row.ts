import type { BlockingReason } from '../background/page/partner-readiness';
import { t } from '../shared/i18n';
import type { PartnerButton } from '../shared/protocol';
import { withoutMenuPointer } from './menu-pointer';

export type PairingState = 'paired' | 'not-paired' | 're-pair-needed';

export interface RowFacts {
  partner: PartnerButton;
  /** Why it cannot launch, as the badge knows it (absent when ready, or when the background could not say). */
  reason?: BlockingReason;
  /** Present for partners with their own sign-in step (NHS login). */
  signIn?: { signedIn: boolean };
  /** Present for partners paired once per clinician (PKB), once a profile exists. */
  pairing?: PairingState;
  /** The tab shows a patient, so a ready partner can be opened for them from here. */
  hasPatient: boolean;
  /** The organisation's sign-in provider, when there is one (e.g. NHS Care Identity). */
  provider?: string;
}

/** What one partner's row in the popup shows: its state in words, and the one action that moves it on. */
export interface RowPlan {
  /** Null when the row's sign-in or pairing part already says it (with its button). */
  text: string | null;
  launch: boolean;
  signIn: boolean;
  pair: 'pair' | 'pair-again' | null;
  unpair: boolean;
}

/** Only the organisation's IT can fix these: no button in the row would help, so none is offered. */
const IT_REASONS: ReadonlySet<BlockingReason> = new Set(['unknown-kind', 'secret-missing', 'signing-key-missing', 'host-access-missing']);

export function rowPlan(facts: RowFacts): RowPlan {
  const { partner, reason, signIn, pairing } = facts;
  const itBlocked = reason !== undefined && IT_REASONS.has(reason);
  const plan: RowPlan = {
    text: rowText(facts),
    launch: partner.state === 'ready' && facts.hasPatient,
    signIn: signIn !== undefined && !signIn.signedIn && !itBlocked,
    pair: itBlocked ? null : pairing === 'not-paired' ? 'pair' : pairing === 're-pair-needed' ? 'pair-again' : null,
    unpair: pairing === 'paired' || pairing === 're-pair-needed',
  };
  return plan;
}

function rowText({ partner, reason, signIn, pairing, provider }: RowFacts): string | null {
  if (partner.state === 'ready') return t('popupPartnerReady');
  // The row's own Sign in or Pair part names the state beside its button.
  if (reason === 'partner-sign-in' && signIn) return null;
  if ((reason === 'not-paired' || reason === 're-pair-needed') && pairing) return null;
  if (reason === 'identity-needed') return t('popupRowIdentityNeeded', provider ?? t('popupRowYourOrganisation'));
  if (reason === 'clinician-missing') return provider ? t('popupRowSignInOrProfile', provider) : t('popupRowProfileNeeded');
  return withoutMenuPointer(partner.message ?? partner.state);
}
