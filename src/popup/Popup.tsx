import { useState } from 'preact/hooks';
import { brokerListLine, notOfferedByBroker, type BrokerView } from './broker-list';
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
import { healthLines } from './health-lines';
import { withoutMenuPointer } from './menu-pointer';
import { OrgIdentity, type IdentityMessage, type IdentityStatus } from './OrgIdentity';
import { type PairingStatus } from './PartnerPairing';
import { PartnerRow } from './PartnerRow';
import { PartnerTabs } from './PartnerTabs';
import { ProfileSection, type ProfileNote } from './ProfileSection';
import { signInFirst } from './sign-in-first';
import { SignOut, type SignOutOutcome } from './SignOut';

interface Status {
  clinician: ClinicianProfile | null;
  identity: IdentityStatus;
  partners: PartnerButton[];
  tab: { url: string; context: PatientContext | null; problem: string | null; reason: string | null } | null;
  /** The last launch from this tab's bar that was refused or failed, for this tab's current patient. */
  refusal: { partnerLabel: string; message: string; at: number } | null;
  signIns: { id: string; label: string; signedIn: boolean }[];
  /** The organisation's launch broker, the partners that go through it, whether it answers, and what it lists. */
  broker: BrokerView | null;
  pairings: PairingStatus[];
  /** What stands in the way, per partner with its reason code (the badge's view). */
  issues: HealthIssue[];
  /** The tab the popup speaks about (the active one). */
  tabId?: number;
  ehrSites: string[];
  /** The active tab's origin, when the browser tells it (only on sites the extension has access to). */
  activeOrigin?: string;
}

/** Why the toolbar badge shows a warning: nothing is shown when all is well. */
function Health({ issues }: { issues: HealthIssue[] }) {
  const lines = healthLines(issues);
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
  // Without the badge's view the rows still work from each partner's state; a failed look is no reason to alarm.
  const [status, health] = await Promise.all([
    sendToBackground('status.get', known ? { tabId } : {}) as Promise<Omit<Status, 'issues'>>,
    (sendToBackground('health.get', {}) as Promise<{ issues: HealthIssue[] }>).catch(() => ({ issues: [] })),
  ]);
  return { ...status, issues: health.issues, ...(known ? { tabId } : {}), ...(activeOrigin ? { activeOrigin } : {}) };
}

/** Shown first and loud: the page may have faded or covered the bar, so its own message could not be read. */
function LastRefusal({ refusal }: { refusal: NonNullable<Status['refusal']> }) {
  return (
    <section aria-labelledby="refusal-heading" class="attention refused" data-testid="last-refusal" role="alert">
      <h2 id="refusal-heading">{t('popupRefusedTitle', refusal.partnerLabel)}</h2>
      <p class="error">{withoutMenuPointer(refusal.message)}</p>
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
    <dl class="pairs">
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

function Partners({ status, reload }: { status: Status; reload: () => void }) {
  const reasons = new Map(status.issues.flatMap((issue) => (issue.code === 'partner-blocked' ? [[issue.partnerId, issue.reason] as const] : [])));
  return (
    <section aria-labelledby="partners-heading">
      <h2 id="partners-heading">{t('popupPartners')}</h2>
      {status.partners.length === 0 ? (
        <p>{t('popupNoPartners')}</p>
      ) : (
        <ul class="plain rows">
          {status.partners.map((partner) => (
            <PartnerRow
              key={partner.id}
              partner={partner}
              reason={reasons.get(partner.id)}
              signIn={status.signIns.find((s) => s.id === partner.id)}
              // Pairing is per clinician: it is offered once there is one.
              pairing={status.clinician ? status.pairings.find((p) => p.id === partner.id) : undefined}
              launchFor={status.tab?.context && status.tabId !== undefined ? { tabId: status.tabId, patient: status.tab.context } : undefined}
              viaBroker={Boolean(status.broker?.partners.includes(partner.id))}
              notOfferedByBroker={notOfferedByBroker(status.broker, partner.id)}
              provider={status.identity.provider?.label}
              onDone={reload}
            />
          ))}
        </ul>
      )}
      {status.broker && (
        <p class={status.broker.ready ? 'muted' : 'error'} data-testid="broker-health">
          {status.broker.ready ? t('popupBrokerReady') : t('popupBrokerDown')}
        </p>
      )}
      {brokerListLine(status.broker) !== null && (
        <p class="muted" data-testid="broker-listed">
          {brokerListLine(status.broker)}
        </p>
      )}
    </section>
  );
}

/**
 * The clinician's menu, in the order things stand in the way: the last refusal, what needs attention, then
 * what blocks every launch (the organisation's sign-in, a profile not filled in yet), then the patient and the
 * partners, each with its own next step. Settled things (the saved profile, the sign-in) and Sign out follow.
 */
export function Popup() {
  const status = useAsync(loadStatus);
  const [signOuts, setSignOuts] = useState(0);
  const [signedOut, setSignedOut] = useState(false);
  const [signOutOutcome, setSignOutOutcome] = useState<SignOutOutcome | null>(null);
  const [profileNote, setProfileNote] = useState<ProfileNote>(null);
  const [identityMessage, setIdentityMessage] = useState<IdentityMessage>(null);
  const value = status.value;
  const clinician = value && !signedOut ? value.clinician : null;
  const identity = value?.identity;
  const identityFirst = signInFirst({
    provider: Boolean(identity?.provider),
    signedIn: Boolean(identity?.identity),
    required: Boolean(identity?.required),
    hasProfile: clinician !== null,
    issues: value?.issues ?? [],
  });
  const afterIdentity = () => (setSignedOut(false), setSignOuts((n) => n + 1), status.reload());
  const profile = value && (
    // A new form after sign-out or a new sign-in, so nothing typed by the previous clinician stays on screen.
    <ProfileSection
      key={`${signOuts}-${value.identity.identity?.checkedAt ?? 0}`}
      profile={clinician}
      verified={!signedOut && value.identity.identity && value.identity.provider ? { providerLabel: value.identity.provider.label, fields: value.identity.lockedFields } : null}
      note={profileNote}
      onNote={setProfileNote}
      onSaved={() => (setSignedOut(false), status.reload())}
    />
  );
  return (
    <>
      <h1>{t('popupTitle')}</h1>
      {!value && !status.error && (
        <p role="status" data-testid="popup-loading">
          {t('popupLoading')}
        </p>
      )}
      {status.error && (
        <p class="error" role="alert">
          {status.error}
        </p>
      )}
      <div role="status" aria-live="polite" data-testid="sign-out-result">
        {signOutOutcome && <p class={signOutOutcome.kind}>{signOutOutcome.text}</p>}
      </div>
      {value && (
        <>
          {value.refusal && <LastRefusal refusal={value.refusal} />}
          <Health issues={value.issues} />
          {identityFirst && <OrgIdentity status={value.identity} message={identityMessage} onMessage={setIdentityMessage} onDone={afterIdentity} />}
          {!clinician && profile}
          <section aria-labelledby="patient-heading">
            <h2 id="patient-heading">{t('popupPatient')}</h2>
            <PatientSummary tab={value.tab} />
          </section>
          <Partners status={value} reload={status.reload} />
          {value.tabId !== undefined && <PartnerTabs tabId={value.tabId} />}
          {!identityFirst && <OrgIdentity status={value.identity} message={identityMessage} onMessage={setIdentityMessage} onDone={afterIdentity} />}
          {clinician && profile}
          <footer class="foot">
            {clinician && (
              <SignOut
                onDone={(outcome) => {
                  setSignOutOutcome(outcome);
                  setProfileNote(null);
                  // The background has forgotten the profile: start an empty form now, not after the reload.
                  setSignedOut(true);
                  setSignOuts((n) => n + 1);
                  status.reload();
                }}
              />
            )}
            <a href={browser.runtime.getURL('src/options/index.html')} target="_blank" rel="noreferrer">
              {t('popupOptions')}
            </a>
            {/* For administrators: teach the extension the EHR page on this tab (the options page's profile builder). */}
            {value.tabId !== undefined && value.activeOrigin && value.ehrSites.includes(value.activeOrigin) && (
              <a href={browser.runtime.getURL(`src/options/index.html?teach=${value.tabId}#profile-builder`)} target="_blank" rel="noreferrer" data-testid="popup-teach">
                {t('popupTeach')}
              </a>
            )}
          </footer>
        </>
      )}
    </>
  );
}
