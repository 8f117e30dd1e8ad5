import type { StoredAuditEntry } from '../shared/audit';
import { browserLimits, type BrowserLimit } from '../shared/browser-limits';
import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';
import type { SetupStep } from '../shared/setup-checklist';
import { StepText } from './SetupChecklist';
import { formatNhsNumber } from '../shared/nhs-number';
import type { PatientContext } from '../shared/patient';
import { displayName } from '../shared/person-name';
import { problemMessage } from '../shared/problem-messages';
import { sendToBackground } from '../shared/messaging';
import { useAsync } from '../ui/use-async';
import { useLiveRefresh } from './live-updates';
import { requestHostAccess } from './view';

interface DiagnosticsView {
  extensionVersion: string;
  userAgent: string;
  sandboxBuild: boolean;
  policy: { present: boolean; locked: string[]; fromPolicy: { partners: string[]; ehrSites: string[]; fields: string[] }; problems: string[] };
  hostAccess: { needed: string[]; missing: string[] };
  setup: SetupStep[];
  lastErrors: StoredAuditEntry[];
  auditDropped: number;
  forwarding: { endpoint: string | null; pending: number; lastError: string | null };
  recentTabs: TabReading[];
  storageAccess: { local: 'trusted-only' | 'open-to-content-scripts'; session: 'trusted-only' | 'open-to-content-scripts' };
}

interface TabReading {
  tabId: number;
  url: string;
  context: PatientContext | null;
  problem: string | null;
  reason: string | null;
  reportedAt: number;
}

/** One EHR tab's latest reading: the patient read, or why there is none (the detector's own words). */
function TabReadingItem({ reading }: { reading: TabReading }) {
  const { context } = reading;
  return (
    <li>
      <span class="muted">
        <time dateTime={new Date(reading.reportedAt).toISOString()}>{new Date(reading.reportedAt).toLocaleTimeString('en-GB')}</time> {reading.url}
      </span>
      <br />
      {context
        ? t('diagTabPatient', displayName(context.name), formatNhsNumber(context.nhsNumber))
        : t(problemMessage(reading.problem ?? undefined))}
      {!context && reading.reason && (
        <>
          <br />
          {t('popupReason', reading.reason)}
        </>
      )}
    </li>
  );
}

function browserVersion(userAgent: string): string {
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox) return ['Firefox', firefox[1]].join(' ');
  const match = /(Edg|Chrome|Chromium)\/([\d.]+)/.exec(userAgent);
  return match ? `${match[1] === 'Edg' ? 'Edge' : 'Chromium/Chrome'} ${match[2]}` : userAgent;
}

const LIMIT_TEXT: Record<BrowserLimit, MessageKey> = { 'screen-lock': 'diagLimitScreenLock', 'visibility-verdict': 'diagLimitVisibility' };

/** What the service desk asks for first: versions, policy status and problems, access, recent failures. */
export function Diagnostics({ round }: { round: number }) {
  const state = useAsync(async () => (await sendToBackground('diagnostics.get', {})) as DiagnosticsView, round);
  // The last refusals and errors (audit entries) and the tabs' readings (storage.session) change in other tabs.
  useLiveRefresh(state.reload, { audit: true, sessionKey: (key) => key.startsWith('tab:') });
  const view = state.value;
  const limits = browserLimits();
  return (
    <section aria-labelledby="diagnostics-heading" data-testid="diagnostics">
      <h2 id="diagnostics-heading">{t('diagTitle')}</h2>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {view && (
        <>
          <dl class="pairs">
            <dt>{t('diagExtension')}</dt>
            <dd data-testid="diag-version">{view.extensionVersion}{view.sandboxBuild ? ` (${t('diagSandbox')})` : ''}</dd>
            <dt>{t('diagBrowser')}</dt>
            <dd>{browserVersion(view.userAgent)}</dd>
            <dt>{t('diagPolicy')}</dt>
            <dd data-testid="diag-policy">
              {view.policy.present ? t('diagPolicyPresent') : t('diagPolicyAbsent')}
              {view.policy.locked.length > 0 && ` ${t('diagPolicyLocked', view.policy.locked.join(', '))}`}
            </dd>
            <dt>{t('diagSetup')}</dt>
            <dd data-testid="diag-setup">
              {view.setup.every((step) => step.done) ? t('setupComplete') : t('setupProgress', String(view.setup.filter((step) => step.done).length), String(view.setup.length))}
              {view.setup.some((step) => !step.done) && (
                <ul>
                  {view.setup.filter((step) => !step.done).map((step, i) => (
                    <li key={i}>
                      <StepText step={step} />
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>{t('diagStorage')}</dt>
            <dd data-testid="diag-storage">
              {view.storageAccess.local === 'trusted-only' && view.storageAccess.session === 'trusted-only' ? t('diagStorageClosed') : t('diagStorageOpen')}
            </dd>
            {limits.length > 0 && (
              <>
                <dt>{t('diagBrowserLimits')}</dt>
                <dd>
                  <ul data-testid="diag-browser-limits">
                    {limits.map((limit) => (
                      <li key={limit}>{t(LIMIT_TEXT[limit])}</li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
          {view.policy.problems.length > 0 && (
            <>
              <h3>{t('diagPolicyProblems')}</h3>
              <ul data-testid="policy-problems">
                {view.policy.problems.map((problem) => (
                  <li class="error" key={problem}>{problem}</li>
                ))}
              </ul>
            </>
          )}
          {view.hostAccess.missing.length > 0 && (
            <>
              <p class="error" data-testid="diag-access">{t('diagAccessMissing', view.hostAccess.missing.join(', '))}</p>
              <button type="button" onClick={() => void requestHostAccess(view.hostAccess.missing).then(state.reload)}>
                {t('diagGrantAccess')}
              </button>
            </>
          )}
          <h3>{t('diagTabs')}</h3>
          {view.recentTabs.length === 0 ? (
            <p>{t('diagTabsNone')}</p>
          ) : (
            <ul data-testid="diag-tabs">
              {view.recentTabs.map((reading) => (
                <TabReadingItem key={reading.tabId} reading={reading} />
              ))}
            </ul>
          )}
          <h3>{t('diagLastErrors')}</h3>
          {view.lastErrors.length === 0 ? (
            <p>{t('diagNoErrors')}</p>
          ) : (
            <ul data-testid="diag-errors">
              {view.lastErrors.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.time}>{new Date(e.time).toLocaleString('en-GB')}</time> {e.event} {e.partnerId} {e.outcome}
                  {e.code ? ` (${e.code})` : ''}
                </li>
              ))}
            </ul>
          )}
          {view.forwarding.lastError && <p class="error">{t('auditForwardingError', view.forwarding.lastError)}</p>}
        </>
      )}
    </section>
  );
}
