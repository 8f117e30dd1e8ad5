import { t } from '../shared/i18n';

/** The broker as the popup receives it (status.get's `broker`). */
export interface BrokerView {
  url: string;
  /** Ids of the partners the configuration sends through the broker. */
  partners: string[];
  ready: boolean;
  /** What the broker lists for the signed-in clinician; null when not known (no sign-in, broker not answering). */
  listed: { id: string; label: string }[] | null;
}

/** The line under the partner list naming what the broker lets this clinician launch; null when not known. */
export function brokerListLine(broker: BrokerView | null): string | null {
  if (!broker?.listed) return null;
  return broker.listed.length === 0 ? t('brokerListPopupNone') : t('brokerListPopupListed', broker.listed.map((partner) => partner.label).join(', '));
}

/** A partner sent through the broker that the broker has said this clinician may not launch. */
export function notOfferedByBroker(broker: BrokerView | null, partnerId: string): boolean {
  if (!broker?.listed || !broker.partners.includes(partnerId)) return false;
  return !broker.listed.some((partner) => partner.id === partnerId);
}
