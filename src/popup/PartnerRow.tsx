import type { BlockingReason } from '../background/page/partner-readiness';
import { t } from '../shared/i18n';
import type { PatientContext } from '../shared/patient';
import type { PartnerButton } from '../shared/protocol';
import { LaunchButton } from './LaunchButton';
import { PartnerPairing, type PairingStatus } from './PartnerPairing';
import { PartnerSignIn } from './PartnerSignIn';
import { rowPlan } from './partner-row';

/** One partner in the list: its state in words and, in the same row, the step that lets it open. */
export function PartnerRow(props: {
  partner: PartnerButton;
  reason: BlockingReason | undefined;
  signIn: { id: string; label: string; signedIn: boolean } | undefined;
  pairing: PairingStatus | undefined;
  launchFor: { tabId: number; patient: PatientContext } | undefined;
  viaBroker: boolean;
  /** The broker has said this clinician may not launch it. */
  notOfferedByBroker?: boolean;
  provider: string | undefined;
  onDone: () => void;
}) {
  const { partner, signIn, pairing, launchFor } = props;
  const plan = rowPlan({
    partner,
    ...(props.reason ? { reason: props.reason } : {}),
    ...(signIn ? { signIn } : {}),
    ...(pairing ? { pairing: pairing.state } : {}),
    hasPatient: launchFor !== undefined,
    ...(props.provider ? { provider: props.provider } : {}),
  });
  return (
    <li data-partner={partner.id} data-state={partner.state}>
      <strong>{partner.label}</strong>
      {plan.text !== null && (
        <>
          : <span>{plan.text}</span>
        </>
      )}
      {props.viaBroker && <span class="muted" data-testid={`via-broker-${partner.id}`}> {t('popupViaBroker')}</span>}
      {props.notOfferedByBroker && <span class="error" data-testid={`broker-not-listed-${partner.id}`}> {t('brokerListPopupNotListed')}</span>}
      {plan.launch && launchFor && <LaunchButton tabId={launchFor.tabId} patient={launchFor.patient} partner={partner} />}
      {signIn && <PartnerSignIn partner={signIn} offer={plan.signIn} onDone={props.onDone} />}
      {pairing && (plan.pair || plan.unpair || pairing.state !== 'paired') && <PartnerPairing pairing={pairing} pair={plan.pair} unpair={plan.unpair} onDone={props.onDone} />}
    </li>
  );
}
