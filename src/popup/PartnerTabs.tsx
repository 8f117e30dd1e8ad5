import { useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { formatNhsNumber } from '../shared/nhs-number';
import type { PartnerTabState, PartnerTabSummary } from '../shared/partner-tabs';
import { useAsync } from '../ui/use-async';
import type { MessageKey } from '../shared/message-key';

const STATE_TEXT: Record<PartnerTabState, MessageKey> = {
  current: 'popupPartnerTabsCurrent',
  marked: 'popupPartnerTabsMarked',
  kept: 'popupPartnerTabsKept',
};

/**
 * The partner tabs opened from the active EHR tab: whom each was opened for and whether the EHR still shows
 * them, with a way to go to each or close it. Shown only when there is at least one.
 */
export function PartnerTabs({ tabId }: { tabId: number }) {
  // A background that cannot list them (or an older one) is no reason to alarm anyone: the list stays hidden.
  const list = useAsync(() => sendToBackground('partnerTabs.list', { tabId }).catch((): PartnerTabSummary[] => []));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const tabs = list.value ?? [];

  async function act(action: 'partnerTabs.focus' | 'partnerTabs.close', partnerTab: number) {
    setProblem(null);
    setBusy(true);
    try {
      await sendToBackground(action, { tabId: partnerTab });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
      list.reload();
    }
  }

  if (tabs.length === 0 && !problem) return null;
  return (
    <section aria-labelledby="partner-tabs-heading" data-testid="partner-tabs">
      <h2 id="partner-tabs-heading">{t('popupPartnerTabsTitle')}</h2>
      <ul class="plain">
        {tabs.map((tab) => (
          <li key={tab.tabId} data-partner-tab={tab.tabId} data-state={tab.state}>
            <strong>{tab.partnerLabel}</strong>: {tab.patient.name} ({formatNhsNumber(tab.patient.nhsNumber)})
            <br />
            <span class={tab.state === 'marked' ? 'error' : 'muted'}>{t(STATE_TEXT[tab.state])}</span>
            <div class="toolbar">
              <button type="button" disabled={busy} aria-label={t('popupPartnerTabsSwitchLabel', tab.partnerLabel, tab.patient.name)} onClick={() => void act('partnerTabs.focus', tab.tabId)}>
                {t('popupPartnerTabsSwitch')}
              </button>
              <button type="button" class="secondary" disabled={busy} aria-label={t('popupPartnerTabsCloseLabel', tab.partnerLabel, tab.patient.name)} onClick={() => void act('partnerTabs.close', tab.tabId)}>
                {t('popupPartnerTabsClose')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      <div role="status" aria-live="polite">{problem && <p class="error">{problem}</p>}</div>
    </section>
  );
}
