import { browser } from '../../shared/browser-api';
import { isLaunchError, LaunchError } from '../../shared/launch-error';
import { contextFingerprint } from '../../shared/patient';
import { tabContexts } from '../page/tab-contexts';
import type { StaleTabTrigger, StripContent } from '../../shared/partner-tabs';
import { recordAudit, type AuditEntry } from '../audit/audit';
import { clinicianState } from '../identity/clinician-source';
import { configItem } from '../settings/settings';
import { decide, type Decision, type EhrEvent } from './decide';
import { partnerTabs, type PartnerTabRecord } from './registry';
import { relaunchInto } from './relaunch';
import { promotePending } from './pending-relaunch';
import { shownPatient } from './remember';
import { injectStrip, sendStrip } from './strip-channel';

/**
 * Partner tabs follow the EHR tab they were opened from: when it shows another patient, closes, leaves the
 * EHR, or the clinician signs out, each is marked, closed or relaunched by its partner's setting (decide.ts).
 * Events are handled one at a time, in order, so two quick patient switches cannot interleave.
 */

/** How long the EHR must stay on a new patient before a `follow` partner's tab is relaunched for them. */
export const FOLLOW_STEADY_MS = 1500;

/** A partner page that keeps deleting the strip is closed after this many times. */
export const MAX_TAMPERING = 3;

let queue: Promise<unknown> = Promise.resolve();
function inOrder<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * The EHR tab's content script reported what it shows now. Judged from the tab's latest stored reading when
 * its turn comes, so two quick reports handled out of order still end on what the tab shows last. A page with
 * no patient is not a change: single-page EHRs pass through one between patients.
 */
export function ehrReported(ehrTabId: number): Promise<void> {
  return inOrder(async () => {
    const context = (await tabContexts.get(ehrTabId))?.context;
    if (!context) return;
    await handleNow({ kind: 'patient-shown', ehrTabId, now: shownPatient(context), complete: context.birthDate !== undefined });
  });
}

export function clinicianSignedOut(): Promise<void> {
  return handle({ kind: 'signed-out' });
}

export function tabRemoved(tabId: number): Promise<void> {
  return inOrder(async () => {
    await partnerTabs.remove(tabId);
  }).then(() => handle({ kind: 'ehr-closed', ehrTabId: tabId }));
}

/**
 * A tab's address changed. A partner tab that went off its partner's origins is forgotten (its strip and
 * record no longer apply); one that loaded again while marked gets its strip back. An EHR tab that went off
 * the EHR sites counts as the EHR moving away from the patient.
 */
export function tabUpdated(tabId: number, change: chrome.tabs.OnUpdatedInfo, tab: chrome.tabs.Tab, isEhrOrigin: (origin: string) => Promise<boolean>): Promise<void> {
  if (change.url === undefined && change.status === undefined) return Promise.resolve();
  return inOrder(async () => {
    const stored = await partnerTabs.get(tabId);
    const promoted = stored && change.status === 'loading' ? promotePending(stored) : undefined;
    if (promoted) await partnerTabs.set(promoted);
    const record = promoted ?? stored;
    if (record) {
      const where = placeOf(tab.url, record.origins);
      if (where === 'away') await partnerTabs.remove(tabId);
      else if (where === 'partner' && change.status === 'complete' && record.state === 'marked') await injectStrip(tabId);
      return;
    }
    if (change.status !== 'loading' && change.url === undefined) return;
    if ((await partnerTabs.fromEhrTab(tabId)).length === 0) return;
    const origin = originOf(tab.url);
    // Without an address the tab is on a site the extension has no access to: not an EHR site.
    if (origin === null || !(await isEhrOrigin(origin))) await handleNow({ kind: 'ehr-left', ehrTabId: tabId });
  });
}

/** The strip's script in a partner tab asks what to show. */
export async function stripFor(tabId: number): Promise<StripContent | null> {
  const record = await partnerTabs.get(tabId);
  return record?.state === 'marked' ? record.strip : null;
}

/** The clinician clicked on the strip. */
export function stripAction(tabId: number, action: 'open-here' | 'close' | 'keep', fingerprint: string | undefined): Promise<void> {
  return inOrder(async () => {
    const record = await partnerTabs.get(tabId);
    if (!record) return;
    if (action === 'keep') {
      await partnerTabs.set({ ...record, state: 'kept' });
      await sendStrip(tabId, null);
      return;
    }
    if (action === 'close') {
      await closeTab(record, 'clinician');
      return;
    }
    if (record.state !== 'marked' || !fingerprint || record.strip?.now?.fingerprint !== fingerprint) {
      throw new LaunchError('patient-changed', 'The EHR no longer shows the patient this offered to open, so nothing was opened. Check the EHR and try again.', ['launchPatientGoneFromEhr']);
    }
    try {
      const landed = await relaunchInto(record, fingerprint);
      await audit('tab-relaunched', record, landed.outcome, landed.code, fingerprint);
    } catch (error) {
      await audit('tab-relaunched', record, refusedOrError(error), isLaunchError(error) ? error.code : 'internal', fingerprint);
      throw error;
    }
  });
}

/**
 * The partner page took the strip or the title's warning away, or something covers the strip (the script has
 * put it back or moved it on top). Only removal counts towards closing the tab: a page that keeps deleting the
 * warning is fighting it, while a partner's own dialogs cover it and single-page apps rewrite their titles
 * in the normal run of things.
 */
export function stripTampered(tabId: number, what: 'removed' | 'hidden' | 'title'): Promise<void> {
  return inOrder(async () => {
    const record = await partnerTabs.get(tabId);
    if (!record || record.state !== 'marked') return;
    if (what !== 'removed') {
      if (what === 'hidden') await injectStrip(tabId);
      return;
    }
    const tampered = record.tampered + 1;
    if (tampered > MAX_TAMPERING) {
      await closeTab(record, 'strip-tampered');
      return;
    }
    await partnerTabs.set({ ...record, tampered });
  });
}

/** A partner tab closed from the popup. */
export function closeFromPopup(tabId: number): Promise<void> {
  return inOrder(async () => {
    const record = await partnerTabs.get(tabId);
    if (record) await closeTab(record, 'clinician');
  });
}

/**
 * The worker started: marked tabs get their strip placed again (idempotent), in case the worker stopped
 * between recording a mark and placing it.
 */
export function restoreMarks(): Promise<void> {
  return inOrder(async () => {
    for (const record of await partnerTabs.all()) if (record.state === 'marked') await injectStrip(record.tabId);
  });
}

async function stillShows(ehrTabId: number, fingerprint: string): Promise<boolean> {
  const context = (await tabContexts.get(ehrTabId))?.context;
  return context !== null && context !== undefined && contextFingerprint(context) === fingerprint;
}

function handle(event: EhrEvent): Promise<void> {
  return inOrder(() => handleNow(event));
}

async function handleNow(event: EhrEvent): Promise<void> {
  const records = event.kind === 'signed-out' ? await partnerTabs.all() : await partnerTabs.fromEhrTab(event.ehrTabId);
  if (records.length === 0) return;
  const partners = new Map((await configItem.get()).partners.map((p) => [p.id, p]));
  const decisions = decide(records, event, (id) => partners.get(id));
  for (const decision of decisions) await carryOut(decision, event);
  // The EHR tab itself is gone: what it opened has nothing left to follow.
  if (event.kind === 'ehr-closed' || event.kind === 'ehr-left') {
    for (const record of records) {
      const now = await partnerTabs.get(record.tabId);
      if (now) await partnerTabs.set({ ...now, ehr: { ...now.ehr, tabId: -1 } });
    }
  }
}

async function carryOut({ record, step }: Decision, event: EhrEvent): Promise<void> {
  const nowFingerprint = event.kind === 'patient-shown' ? event.now.fingerprint : undefined;
  switch (step.action) {
    case 'unmark':
      await partnerTabs.set({ ...record, state: 'current', strip: null, tampered: 0 });
      await sendStrip(record.tabId, null);
      return;
    case 'close':
      await closeTab(record, step.trigger, nowFingerprint);
      return;
    case 'mark':
      await markTab(record, step.strip, nowFingerprint, step.trigger);
      return;
    case 'follow':
      // Only a patient the EHR stays on is followed: one passed through (scrolling a list with a preview, a
      // script on the page) is not opened at the partner, where each opening is a record access.
      await new Promise((settled) => setTimeout(settled, FOLLOW_STEADY_MS));
      if (!(await stillShows(record.ehr.tabId, step.fingerprint))) return;
      try {
        const landed = await relaunchInto(record, step.fingerprint, { activate: false });
        // The trigger is the code of a follow seen to land; one that could not be seen says so instead.
        await audit('tab-followed', record, landed.outcome, landed.outcome === 'ok' ? step.trigger : landed.code, step.fingerprint);
      } catch (error) {
        await audit('tab-followed', record, refusedOrError(error), isLaunchError(error) ? error.code : 'internal', step.fingerprint);
        // Not followed: the tab still shows the previous patient, so it is marked instead. Unless the launch got
        // as far as opening the new patient in it (and remembered so) before failing: the previous patient's
        // record must not be put back over that.
        const current = await partnerTabs.get(record.tabId);
        if (event.kind === 'patient-shown' && current?.patient.fingerprint === record.patient.fingerprint) {
          await markTab(current, { partnerLabel: current.partnerLabel, was: { name: current.patient.name, nhsNumber: current.patient.nhsNumber }, trigger: 'patient-changed', now: event.now }, nowFingerprint);
        }
      }
  }
}

/** `trigger`: what happened, for the audit (the strip of a tab marked after a sign-out keeps saying that). */
async function markTab(record: PartnerTabRecord, strip: StripContent, nowFingerprint: string | undefined, trigger: StaleTabTrigger = strip.trigger): Promise<void> {
  await partnerTabs.set({ ...record, state: 'marked', strip, tampered: 0 });
  const shown = await injectStrip(record.tabId);
  await audit('tab-marked', record, shown ? 'ok' : 'error', shown ? trigger : `${trigger}:not-shown`, nowFingerprint);
}

async function closeTab(record: PartnerTabRecord, code: StaleTabTrigger | 'clinician' | 'strip-tampered', nowFingerprint?: string): Promise<void> {
  await partnerTabs.remove(record.tabId);
  let closed = true;
  await browser.tabs.remove(record.tabId).catch(() => (closed = false));
  await audit('tab-closed', record, closed ? 'ok' : 'error', code, nowFingerprint);
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Where a partner tab is: on its partner's origins, in between (the launch's own hand-off page, a blank page
 * while loading, or a page whose address the extension may not see: it may be the partner's app on a host the
 * configuration does not name, so the tab stays followed), or away (an address seen off the partner's origins).
 */
function placeOf(url: string | undefined, origins: readonly string[]): 'partner' | 'between' | 'away' {
  if (url === undefined || url === '') return 'between';
  if (url.startsWith('about:') || url.startsWith(browser.runtime.getURL(''))) return 'between';
  const origin = originOf(url);
  return origin !== null && origins.includes(origin) ? 'partner' : 'away';
}

function refusedOrError(error: unknown): AuditEntry['outcome'] {
  return isLaunchError(error) && (error.code === 'patient-changed' || error.code === 'page-gone' || error.code === 'no-patient') ? 'refused' : 'error';
}

async function audit(event: 'tab-marked' | 'tab-closed' | 'tab-followed' | 'tab-relaunched', record: PartnerTabRecord, outcome: AuditEntry['outcome'], code?: string, nowFingerprint?: string): Promise<void> {
  const { profile } = await clinicianState().catch(() => ({ profile: null }));
  const nhsNumberNow = nowFingerprint ? (nowFingerprint.split('|', 1)[0] ?? null) : undefined;
  await recordAudit({
    time: new Date().toISOString(),
    event,
    clinician: profile?.username ?? null,
    partnerId: record.partnerId,
    nhsNumber: record.patient.nhsNumber,
    outcome,
    ...(code ? { code } : {}),
    ms: 0,
    ...(nhsNumberNow !== undefined ? { nhsNumberNow } : {}),
  });
}
