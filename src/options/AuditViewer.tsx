import { useState } from 'preact/hooks';
import { auditBundle, auditCsv, AUDIT_OUTCOMES, type AuditEventKind, type AuditOutcome, type AuditSource, type StoredAuditEntry } from '../shared/audit';
import { t } from '../shared/i18n';
import type { MessageKey } from '../shared/message-key';
import { sendToBackground } from '../shared/messaging';
import { formatNhsNumber } from '../shared/nhs-number';
import { useAsync } from '../ui/use-async';
import { download, fileStamp as stamp } from './download';
import { useLiveRefresh } from './live-updates';

export interface AuditView {
  entries: StoredAuditEntry[];
  dropped: number;
  cap: number;
  source: AuditSource;
  forwarding: { endpoint: string | null; pending: number; dropped: number; rejected: number; failures: number; nextAt: number | null; lastError: string | null; lastSentAt: number | null };
}

const OUTCOME_TEXT: Record<AuditOutcome, MessageKey> = { ok: 'auditOutcome_ok', sent: 'outcomeSent', refused: 'auditOutcome_refused', error: 'auditOutcome_error' };

function outcomeText(entry: StoredAuditEntry): string {
  const base = t(OUTCOME_TEXT[entry.outcome]);
  return entry.code ? `${base} (${entry.code})` : base;
}

const EVENT_TEXT: Record<AuditEventKind, MessageKey> = {
  launch: 'auditEvent_launch',
  pair: 'auditEvent_pair',
  unpair: 'auditEvent_unpair',
  'sign-in': 'auditEvent_sign_in',
  'sign-out': 'auditEvent_sign_out',
  'tab-marked': 'auditTabMarked',
  'tab-closed': 'auditTabClosed',
  'tab-followed': 'auditTabFollowed',
  'tab-relaunched': 'auditTabRelaunched',
};

/** Who opened which record, where, and how it went: newest first, filterable, exportable as CSV or FHIR. */
export function AuditViewer() {
  const state = useAsync(async () => (await sendToBackground('audit.list', {})) as AuditView);
  // Launches in other tabs appear without a reload.
  useLiveRefresh(state.reload, { audit: true });
  const [filter, setFilter] = useState<AuditOutcome | 'all'>('all');
  const view = state.value;
  const shown = view ? view.entries.filter((e) => filter === 'all' || e.outcome === filter) : [];
  return (
    <section aria-labelledby="audit-heading" data-testid="audit">
      <h2 id="audit-heading">{t('auditTitle')}</h2>
      {state.error && <p class="error" role="alert">{state.error}</p>}
      {view && (
        <>
          <p class="muted" data-testid="audit-summary">
            {t('auditSummary', String(view.entries.length), String(view.cap))}
            {view.dropped > 0 && ` ${t('auditDropped', String(view.dropped))}`}
          </p>
          <div class="toolbar">
            <label for="audit-filter">{t('auditFilter')}</label>
            <select id="audit-filter" value={filter} onChange={(e) => setFilter((e.currentTarget as HTMLSelectElement).value as AuditOutcome | 'all')}>
              <option value="all">{t('auditFilterAll')}</option>
              {AUDIT_OUTCOMES.map((o) => (
                <option key={o} value={o}>{t(OUTCOME_TEXT[o])}</option>
              ))}
            </select>
            <button type="button" onClick={state.reload}>{t('auditRefresh')}</button>
            <button type="button" disabled={shown.length === 0} onClick={() => download(`ehr-launchpad-audit-${stamp()}.csv`, 'text/csv', auditCsv(shown))}>
              {t('auditExportCsv')}
            </button>
            <button
              type="button"
              disabled={shown.length === 0}
              onClick={() =>
                download(`ehr-launchpad-audit-${stamp()}.json`, 'application/fhir+json', JSON.stringify(auditBundle(shown, view.source, { id: crypto.randomUUID(), now: new Date() }), null, 2))
              }
            >
              {t('auditExportFhir')}
            </button>
          </div>
          {shown.length === 0 ? (
            <p>{t('auditEmpty')}</p>
          ) : (
            <div class="table-scroll">
              <table data-testid="audit-table">
                <caption class="visually-hidden">{t('auditTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('auditColTime')}</th>
                    <th scope="col">{t('auditColEvent')}</th>
                    <th scope="col">{t('auditColClinician')}</th>
                    <th scope="col">{t('auditColPartner')}</th>
                    <th scope="col">{t('auditColPatient')}</th>
                    <th scope="col">{t('auditColOutcome')}</th>
                    <th scope="col">{t('auditColMs')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((e) => (
                    <tr key={e.id} data-outcome={e.outcome}>
                      <td><time dateTime={e.time}>{new Date(e.time).toLocaleString('en-GB')}</time></td>
                      <td>{t(EVENT_TEXT[e.event])}</td>
                      <td>
                        {e.clinician ?? '—'}
                        {e.identity && <span class="muted"> ({e.identity.verified ? t('auditVerified') : t('auditTyped')})</span>}
                      </td>
                      <td>{e.partnerId || '—'}</td>
                      <td>
                        {e.nhsNumber ? formatNhsNumber(e.nhsNumber) : '—'}
                        {/* A partner tab event: the tab's patient first, then the one the EHR shows now. */}
                        {e.nhsNumberNow && <span class="muted"> {t('auditTabNow', formatNhsNumber(e.nhsNumberNow))}</span>}
                      </td>
                      <td>{outcomeText(e)}</td>
                      <td class="number">{e.ms}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('auditForwarding')}</h3>
          <p data-testid="audit-forwarding">
            {view.forwarding.endpoint
              ? t('auditForwardingOn', view.forwarding.endpoint, String(view.forwarding.pending))
              : t('auditForwardingOff')}
            {view.forwarding.lastError && <span class="error"> {t('auditForwardingError', view.forwarding.lastError)}</span>}
          </p>
        </>
      )}
    </section>
  );
}
