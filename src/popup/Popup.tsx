import { useState } from 'preact/hooks';
import { browser } from '../shared/browser-api';
import { formatBirthDate } from '../shared/birth-date';
import type { ClinicianProfile } from '../shared/clinician';
import { t } from '../shared/i18n';
import { sendToBackground } from '../shared/messaging';
import { formatNhsNumber } from '../shared/nhs-number';
import type { PatientContext } from '../shared/patient';
import { displayName } from '../shared/person-name';
import { problemMessage } from '../shared/problem-messages';
import type { PartnerButton } from '../shared/protocol';
import type { HealthIssue } from '../background/health/health-issues';
import { useAsync } from '../ui/use-async';
import { ClinicianForm } from './ClinicianForm';
import { healthLines } from './health-lines';
import { PartnerPairing, type PairingStatus } from './PartnerPairing';
import { PartnerSignIn } from './PartnerSignIn';
import { LaunchButton } from './LaunchButton';
import { OrgIdentity, type IdentityStatus } from './OrgIdentity';
import { PartnerTabs } from './PartnerTabs';
import { SignOut, type SignOutOutcome } from './SignOut';

interface Status {
  clinician: ClinicianProfile | null;
  identity: IdentityStatus;
  partners: PartnerButton[];
  tab: { url: string; context: PatientContext | null; problem: string | null; reason: string | null } | null;
  /** The last launch from this tab's bar that was refused or failed, for this tab's current patient. */
  refusal: { partnerLabel: string; message: string; at: number } | null;
  signIns: { id: string; label: string; signedIn: boolean }[];
  /** The organisation's launch broker, the partners that go through it, and whether it answers. */
  broker: { url: string; partners: string[]; ready: boolean } | null;
  pairings: PairingStatus[];
  /** The tab the popup speaks about (the active one). */
  tabId?: number;
  ehrSites: string[];
  /** The active tab's origin, when the browser tells it (only on sites the extension has access to). */
  activeOrigin?: string;
}

/** Why the toolbar badge shows a warning: nothing is shown when all is well. */
function Health() {
  const health = useAsync(async () => (await sendToBackground('health.get', {})) as { issues: HealthIssue[] });
  const lines = healthLines(health.value?.issues ?? []);
  if (lines.length === 0) return null;
  return (
    <section aria-labelledby="health-heading" class="attention" data-testid="health">
      <h2 id="health-heading">{t('healthTitle')}</h2>
      <ul>
        {lines.map((line) => (
          <li key={line.key}>{line.text}</li>
        ))}
      </ul>
    </section>
  );
}

async function loadStatus(): Promise<Status> {
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  const tabId = active?.id;
  const known = tabId !== undefined && tabId >= 0;
  let activeOrigin: string | undefined;
  try {
    activeOrigin = active?.url ? new URL(active.url).origin : undefined;
  } catch {
    activeOrigin = undefined;
  }
  return { ...((await sendToBackground('status.get', known ? { tabId } : {})) as Status), ...(known ? { tabId } : {}), ...(activeOrigin ? { activeOrigin } : {}) };
}

/** Shown first and loud: the page may have faded or covered the bar, so its own message could not be read. */
function LastRefusal({ refusal }: { refusal: NonNullable<Status['refusal']> }) {
  return (
    <section aria-labelledby="refusal-heading" class="attention refused" data-testid="last-refusal" role="alert">
      <h2 id="refusal-heading">{t('popupRefusedTitle', refusal.partnerLabel)}</h2>
      <p class="error">{refusal.message}</p>
      <p class="muted">
        <time dateTime={new Date(refusal.at).toISOString()}>{new Date(refusal.at).toLocaleTimeString('en-GB')}</time>
      </p>
    </section>
  );
}

function PatientSummary({ tab }: { tab: Status['tab'] }) {
  const context = tab?.context;
  if (!context) {
    return (
      <>
        <p data-testid="no-patient">{tab?.problem ? t(problemMessage(tab.problem)) : t('popupNoPatient')}</p>
        {tab?.reason && <p data-testid="no-patient-reason">{t('popupReason', tab.reason)}</p>}
      </>
    );
  }
  return (
    <dl>
      <dt class="muted">{t('popupPatientName')}</dt>
      <dd data-testid="patient-name">{displayName(context.name)}</dd>
      <dt class="muted">{t('popupPatientNhs')}</dt>
      <dd data-testid="patient-nhs">{formatNhsNumber(context.nhsNumber)}</dd>
      {context.birthDate && (
        <>
          <dt class="muted">{t('popupPatientBirthDate')}</dt>
          <dd>{formatBirthDate(context.birthDate)}</dd>
        </>
      )}
      <dt class="muted">{t('popupPatientPage')}</dt>
      <dd>{new URL(tab.url).host}</dd>
    </dl>
  );
}

export function Popup() {
  const status = useAsync(loadStatus);
  const [signOuts, setSignOuts] = useState(0);
  const [signedOut, setSignedOut] = useState(false);
  const [signOutOutcome, setSignOutOutcome] = useState<SignOutOutcome | null>(null);
  return (
    <>
      <h1>{t('popupTitle')}</h1>
      {status.error && <p class="error" role="alert">{status.error}</p>}
      {status.value && (
        <>
          {status.value.refusal && <LastRefusal refusal={status.value.refusal} />}
          <Health key={signOuts} />
          <OrgIdentity status={status.value.identity} onDone={() => (setSignedOut(false), setSignOuts((n) => n + 1), status.reload())} />
          <section aria-labelledby="patient-heading">
            <h2 id="patient-heading">{t('popupPatient')}</h2>
            <PatientSummary tab={status.value.tab} />
          </section>
          <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{t('popupPartners')}</h2>
            {status.value.partners.length === 0 ? (
              <p>{t('popupNoPartners')}</p>
            ) : (
              <ul class="plain">
                {status.value.partners.map((p) => (
                  <li key={p.id} data-partner={p.id}>
                    <strong>{p.label}</strong>: <span>{p.state === 'ready' ? t('popupPartnerReady') : p.message ?? p.state}</span>
                    {status.value!.broker?.partners.includes(p.id) && <span class="muted" data-testid={`via-broker-${p.id}`}> {t('popupViaBroker')}</span>}
                    {p.state === 'ready' && status.value!.tab?.context && status.value!.tabId !== undefined && (
                      <LaunchButton tabId={status.value!.tabId} patient={status.value!.tab.context} partner={p} />
                    )}
                  </li>
                ))}
              </ul>
            )}
            {status.value.broker && (
              <p class={status.value.broker.ready ? 'muted' : 'error'} data-testid="broker-health">
                {status.value.broker.ready ? t('popupBrokerReady') : t('popupBrokerDown')}
              </p>
            )}
            {status.value.signIns.map((partner) => (
              <PartnerSignIn key={partner.id} partner={partner} onDone={status.reload} />
            ))}
          </section>
          {status.value.tabId !== undefined && <PartnerTabs tabId={status.value.tabId} />}
          {status.value.clinician && status.value.pairings.length > 0 && (
            <section aria-labelledby="pairings-heading">
              <h2 id="pairings-heading">{t('popupPairings')}</h2>
              {status.value.pairings.map((pairing) => (
                <PartnerPairing key={pairing.id} pairing={pairing} onDone={status.reload} />
              ))}
            </section>
          )}
          <section>
            {/* A new form after sign-out, so nothing typed by the previous clinician stays on screen. */}
            <ClinicianForm
              key={`${signOuts}-${status.value.identity.identity?.checkedAt ?? 0}`}
              profile={signedOut ? null : status.value.clinician}
              verified={!signedOut && status.value.identity.identity && status.value.identity.provider ? { providerLabel: status.value.identity.provider.label, fields: status.value.identity.lockedFields } : null}
              onSaved={() => (setSignedOut(false), status.reload())}
            />
            {status.value.clinician && !signedOut && (
              <SignOut
                onDone={(outcome) => {
                  setSignOutOutcome(outcome);
                  // The background has forgotten the profile: start an empty form now, not after the reload.
                  setSignedOut(true);
                  setSignOuts((n) => n + 1);
                  status.reload();
                }}
              />
            )}
            <div role="status" aria-live="polite" data-testid="sign-out-result">
              {signOutOutcome && <p class={signOutOutcome.kind}>{signOutOutcome.text}</p>}
            </div>
          </section>
          <p>
            <a href={browser.runtime.getURL('src/options/index.html')} target="_blank" rel="noreferrer">{t('popupOptions')}</a>
          </p>
          {/* For administrators: teach the extension the EHR page on this tab (the options page's profile builder). */}
          {status.value.tabId !== undefined && status.value.activeOrigin && status.value.ehrSites.includes(status.value.activeOrigin) && (
            <p>
              <a href={browser.runtime.getURL(`src/options/index.html?teach=${status.value.tabId}#profile-builder`)} target="_blank" rel="noreferrer" data-testid="popup-teach">
                {t('popupTeach')}
              </a>
            </p>
          )}
        </>
      )}
    </>
  );
}
