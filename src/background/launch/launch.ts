import type { Connector, LaunchOutput } from '../../connectors/connector';
import type { PartnerConfig } from '../../shared/config';
import { LaunchError, isLaunchError } from '../../shared/launch-error';
import { wordingText } from '../../shared/launch-error-text';
import { isAllowedLaunchUrl } from '../../shared/launch-instruction';
import { contextFingerprint, type PatientContext } from '../../shared/patient';
import type { LaunchResult } from '../../shared/protocol';
import type { AuditEntry } from '../audit/audit';
import { launchOutcome, type Landing } from './landing-judgement';
import { launchDeps, type LaunchDeps } from './launch-deps';
import type { PrefetchBinding } from '../prefetch/prefetch-store';
import type { VerifiedSender } from '../messages/sender';

type ContentSender = Extract<VerifiedSender, { kind: 'content' }>;

export const PATIENT_CHANGED =
  'The patient on the page is not the one this button was drawn for, so nothing was opened. Check the patient and click again.';

/** The refusal when the page's patient changed; says whom the page shows now (fingerprint, null for nobody). */
export class PatientChangedError extends LaunchError {
  constructor(readonly shownNow: string | null) {
    super('patient-changed', PATIENT_CHANGED, ['launchPatientChanged']);
  }
}

/**
 * One click, one launch: re-read the patient from the tab, check it is the one the button showed, take the
 * prefetched credential for exactly this tab and patient or let the partner's connector build one (started
 * while the page is re-read, opened only if the re-read matches), open it,
 * follow the tab to see the partner accepted it (one fresh try if its credential was refused), and write the
 * audit entry: `ok` only when the partner's page was seen to load, `sent` when it could not be seen, and a
 * failure when the tab landed on the partner's error page or the browser's "site can't be reached".
 * `intoTab`: launch into that partner tab (it follows the EHR to a new patient) instead of a new tab, brought
 * to the front unless `activate` is false (an automatic follow must not take the clinician out of the EHR).
 * `landed`: told the outcome of a launch that did not fail (ok, or sent with its code).
 */
export async function launchFromTab(
  partnerId: string,
  fingerprint: string,
  sender: ContentSender,
  options: { row?: boolean; intoTab?: number; activate?: boolean; landed?: (outcome: 'ok' | 'sent', code?: string) => void } = {},
  deps: LaunchDeps = launchDeps,
): Promise<LaunchResult> {
  const started = performance.now();
  let clinician: string | null = null;
  // Until the page is re-read, the patient the button showed (its fingerprint starts with the NHS number), so a
  // refused launch still records whom it was for.
  const shown = fingerprint.split('|', 1)[0] ?? '';
  let nhsNumber: string | null = /^[0-9]{10}$/.test(shown) ? shown : null;
  let identity: AuditEntry['identity'];
  /** The partner tab a relaunch is about to be sent into, until it has been. */
  let sentTo: number | undefined;
  const audit = (outcome: AuditEntry['outcome'], code?: string) =>
    deps.recordAudit({ time: new Date().toISOString(), event: 'launch', clinician, partnerId, nhsNumber, outcome, ...(code ? { code } : {}), ms: Math.round(performance.now() - started), ...(identity ? { identity } : {}) });
  try {
    // The fresh reading of the page is asked for first: it is the longest step and depends on nothing else.
    // From a list row's button, the re-read is of that row (the page itself shows no single patient).
    const reading = settle(deps.readTabContext(sender, options.row ? fingerprint : undefined));
    const [{ partner, connector }, reported] = await Promise.all([deps.findPartner(partnerId), deps.reportedContext(sender.tabId)]);
    const { profile, state } = await deps.clinicianFor(partner, connector);
    clinician = profile.username;
    const verified = state.identity;
    identity = verified ? { verified: true, issuer: verified.issuer, subject: verified.subject, ...(verified.role ? { role: verified.role.id } : {}) } : { verified: false };
    const signal = AbortSignal.timeout(deps.launchTimeoutMs);
    const build = (patient: PatientContext) => () => deps.buildLaunchFor(partner, connector, profile, patient, signal);
    const binding: PrefetchBinding = {
      tabId: sender.tabId,
      frameId: sender.frameId,
      ...(sender.documentId ? { documentId: sender.documentId } : {}),
      partnerId,
      fingerprint,
      clinician: profile.username,
    };
    // A partner request that says nothing about the patient may run while the page is re-read, for the patient
    // this tab last reported (if it is the button's). Nothing is opened unless the fresh read matches; otherwise
    // what was fetched is dropped unused. Other partners are asked only after the check.
    const reportedPatient =
      connector.patientFreeRequest &&
      !options.row &&
      reported?.context && contextFingerprint(reported.context) === fingerprint && reported.frameId === sender.frameId && reported.documentId === sender.documentId
        ? reported.context
        : undefined;
    const takeOrBuild = async (make: () => Promise<LaunchOutput>) => (await deps.takePrefetched(binding)) ?? (await make());
    const early = reportedPatient ? settle(takeOrBuild(build(reportedPatient))) : undefined;
    const fresh = unwrap(await reading);
    if (!fresh.context || fresh.fingerprint !== fingerprint || contextFingerprint(fresh.context) !== fingerprint) {
      throw new PatientChangedError(fresh.context ? contextFingerprint(fresh.context) : null);
    }
    nhsNumber = fresh.context.nhsNumber;
    const output = early ? unwrap(await early) : await takeOrBuild(build(fresh.context));
    const origins = deps.partnerTabOrigins(partner, connector);
    const follows = connector.patientSpecific !== false;
    const ehr = { tabId: sender.tabId, frameId: sender.frameId, origin: sender.origin, ...(sender.documentId ? { documentId: sender.documentId } : {}) };
    const remember = (tabId: number, relaunch: boolean) => deps.rememberLaunchedTab({ tabId, partner, origins, patient: fresh.context!, ehr, relaunch }).catch(() => undefined);
    // A relaunch into a partner tab is remembered (as pending) before the tab is sent anywhere, so its loading
    // is seen; a new tab as soon as it exists. Either way before the landing is followed, so a patient switch
    // from now on already reaches the tab.
    if (options.intoTab !== undefined && follows) await remember(options.intoTab, true);
    sentTo = options.intoTab;
    const tabId = await deps.openInstruction(output.instruction, connector.launchOrigins(partner), sender, options.intoTab === undefined ? undefined : { tabId: options.intoTab, activate: options.activate !== false });
    sentTo = undefined;
    if (tabId !== undefined && options.intoTab === undefined && follows) await remember(tabId, false);
    const { landing, retried } = await confirmLanding(deps, partner, connector, output, tabId, build(fresh.context));
    const outcome = launchOutcome(partner.label, landing, retried);
    if ('failure' in outcome) throw outcome.failure;
    await audit(outcome.outcome, outcome.code);
    // A relaunch into a partner tab audits its own event too, with the same honesty.
    options.landed?.(outcome.outcome, outcome.code);
    return output.notice ? { notice: output.noticeWording ? wordingText(output.noticeWording) : output.notice } : {};
  } catch (error) {
    // A relaunch that failed before the tab was sent anywhere: the tab still shows its patient.
    if (sentTo !== undefined) await deps.dropPendingRelaunch(sentTo).catch(() => undefined);
    const code = isLaunchError(error) ? error.code : 'internal';
    await audit(code === 'patient-changed' || code === 'page-gone' ? 'refused' : 'error', code);
    throw error;
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Holds a promise's outcome without letting its failure escape before the patient check has been made. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/**
 * Follows the launch tab to where it lands. For partners that can refuse a one-time credential on arrival (used
 * or expired): if the tab lands on the refusal page, build one fresh launch and send the same tab there.
 */
async function confirmLanding(deps: LaunchDeps, partner: PartnerConfig, connector: Connector<unknown>, output: LaunchOutput, tabId: number | undefined, build: () => Promise<LaunchOutput>): Promise<{ landing: Landing; retried: boolean }> {
  if (tabId === undefined) return { landing: { kind: 'unknown' }, retried: false };
  const refused = connector.landingRefused && 'open' in output.instruction ? (url: string) => connector.landingRefused!(partner, url) : undefined;
  // A form POST goes through the extension's own hand-off page first.
  const first = await deps.watchLanding(tabId, refused, deps.landingTimeoutMs, 'post' in output.instruction);
  if (first.kind !== 'refused') return { landing: first, retried: false };
  const retry = await build();
  if (!('open' in retry.instruction) || !isAllowedLaunchUrl(retry.instruction.open, connector.launchOrigins(partner))) {
    throw new LaunchError('launch-origin-refused', 'The partner answered with an address that is not on the allowed list, so nothing was opened. Tell your IT service desk.', ['launchOriginRefused']);
  }
  await deps.sendTab(tabId, retry.instruction.open);
  const second = await deps.watchLanding(tabId, refused, deps.landingTimeoutMs);
  if (second.kind === 'refused') {
    throw new LaunchError('sign-in-refused', `${partner.label} refused the sign-in twice, so its sign-in page is showing. Try again; if it keeps happening, tell your IT service desk.`, ['launchSignInRefusedTwice', partner.label]);
  }
  return { landing: second, retried: true };
}
