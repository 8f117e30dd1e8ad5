import { useEffect, useState } from 'preact/hooks';
import { t } from '../../shared/i18n';
import { sendToBackground } from '../../shared/messaging';
import type { PickingState } from '../../shared/profile-builder/picks';
import { useAsync } from '../../ui/use-async';
import type { ConfigView } from '../view';
import { DraftReview } from './DraftReview';
import { openEhrTabs, tabFromAddress, type EhrTab } from './ehr-tabs';

const POLL_MS = 400;

/**
 * "Teach EHR Launchpad this page": the administrator chooses an open EHR tab, the background puts that page in
 * picking mode, and when the four picks come back the draft profile is shown for checking and saving.
 */
export function ProfileBuilder({ view, onSaved }: { view: ConfigView; onSaved: () => void }) {
  const origins = view.config.ehrSites.map((site) => site.origin);
  const fromPopup = tabFromAddress(location.search);
  const [round, setRound] = useState(0);
  const tabs = useAsync(() => openEhrTabs(origins), round);
  const [active, setActive] = useState<EhrTab | null>(null);
  const [picking, setPicking] = useState<PickingState>({ state: 'none' });
  const [error, setError] = useState<string | null>(null);

  // Sent here from the popup: the builder is what the administrator came for.
  useEffect(() => {
    if (fromPopup !== null) document.getElementById('profile-builder')?.scrollIntoView();
  }, []);

  // The list follows the tabs: coming back to this page is when it has most likely changed.
  useEffect(() => {
    const refresh = () => setRound((r) => r + 1);
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, []);

  // While the page is being taught, ask how far it got (the background holds the session).
  useEffect(() => {
    if (picking.state !== 'picking' || !active) return;
    const timer = setInterval(() => {
      void (sendToBackground('picker.status', { tabId: active.id }) as Promise<PickingState>)
        .then((next) => {
          if (next.state !== 'picking') setPicking(next);
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [picking.state, active?.id]);

  async function teach(tab: EhrTab) {
    setError(null);
    try {
      await sendToBackground('picker.start', { tabId: tab.id });
      setActive(tab);
      setPicking({ state: 'picking', tabId: tab.id });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  const list = [...(tabs.value ?? [])].sort((a, b) => Number(b.id === fromPopup) - Number(a.id === fromPopup));
  return (
    <section aria-labelledby="builder-heading" id="profile-builder">
      <h2 id="builder-heading">{t('builderTitle')}</h2>
      <p class="muted">{t('builderHelp')}</p>
      {list.length === 0 ? (
        <p>{t('builderNoTabs')}</p>
      ) : (
        <ul class="plain" data-testid="builder-tabs">
          {list.map((tab) => (
            <li key={tab.id}>
              <strong>{tab.title}</strong> <span class="muted">{new URL(tab.url).host}</span> {tab.id === fromPopup && <span class="muted">{t('builderFromPopup')}</span>}{' '}
              <button type="button" onClick={() => void teach(tab)} aria-label={t('builderTeachNamed', tab.title)}>
                {t('builderTeach')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="secondary" onClick={() => setRound((r) => r + 1)}>
        {t('builderRefresh')}
      </button>
      <div role="status" aria-live="polite" data-testid="builder-status">
        {error && <p class="error">{error}</p>}
        {picking.state === 'picking' && active && <p>{t('builderPicking', active.title)}</p>}
        {picking.state === 'cancelled' && <p class="error">{t('builderCancelled')}</p>}
      </div>
      {picking.state === 'picked' && (
        // A new review for each teaching: nothing from the previous picks stays.
        <DraftReview key={JSON.stringify(picking.picks)} view={view} tabId={picking.tabId} origin={picking.origin} picks={picking.picks} onSaved={onSaved} />
      )}
    </section>
  );
}
