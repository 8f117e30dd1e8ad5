import { goesViaBroker } from '../shared/config';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';
import { isManaged, type ConfigView } from './view';

/**
 * The organisation's launch broker as configured: its address, which partners go through it, whether it
 * answers, and this installation's id (the thumbprint of the key that signs its DPoP proofs), which the broker's
 * administrator enrols when the broker accepts enrolled installations only.
 */
export function BrokerSettings({ view }: { view: ConfigView }) {
  const broker = view.config.broker;
  const live = useAsync(async () => {
    if (!broker) return null;
    const [status, keys] = await Promise.all([
      sendToBackground('status.get', {}) as Promise<{ broker: { ready: boolean; listed: { id: string; label: string }[] | null } | null }>,
      sendToBackground('keys.get', {}) as Promise<{ keys: { kid: string; alg: string; active: boolean }[] }>,
    ]);
    return { ready: status.broker?.ready ?? false, listed: status.broker?.listed ?? null, installation: keys.keys.find((key) => key.alg === 'ES256' && key.active)?.kid };
  });
  if (!broker) return null;
  const partners = view.config.partners.filter((partner) => goesViaBroker(view.config, partner));
  return (
    <section aria-labelledby="broker-heading" data-testid="broker-settings">
      <h2 id="broker-heading">
        {t('optionsBroker')}
        {isManaged(view, 'broker', 'url') && <span class="managed">{t('optionsManaged')}</span>}
      </h2>
      <dl>
        <dt class="muted">{t('optionsBrokerUrl')}</dt>
        <dd><code>{broker.url}</code></dd>
        <dt class="muted">{t('optionsBrokerPartners')}</dt>
        <dd data-testid="broker-partners">{partners.length > 0 ? partners.map((partner) => partner.label).join(', ') : t('optionsBrokerNoPartners')}</dd>
        <dt class="muted">{t('brokerListOptionsHeading')}</dt>
        <dd data-testid="broker-listed">{live.value ? (live.value.listed ? live.value.listed.map((partner) => partner.label).join(', ') || t('brokerListPopupNone') : t('brokerListOptionsUnknown')) : '…'}</dd>
        <dt class="muted">{t('optionsBrokerHealth')}</dt>
        <dd data-testid="broker-ready">{live.value ? (live.value.ready ? t('optionsBrokerReady') : t('optionsBrokerDown')) : '…'}</dd>
        <dt class="muted">{t('optionsBrokerInstallation')}</dt>
        <dd><code data-testid="broker-installation">{live.value?.installation ?? '…'}</code></dd>
      </dl>
    </section>
  );
}
