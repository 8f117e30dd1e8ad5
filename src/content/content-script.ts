import { onMessage, runtimeId } from '../shared/runtime';
import { ehrProfileSchema, profileAppliesTo, type EhrProfile } from '../shared/ehr-profile';
import { sendToBackground } from '../shared/messaging';
import { contextFingerprint, type PatientContext } from '../shared/patient';
import { contentProtocol, type BarState } from '../shared/protocol';
import type { FrameReadings } from '../shared/frame-reading';
import { attributesRead, bannerFramesShown, countedReadings, detectPatient, findBanners, usesGenericReader, type Detection } from './detect';
import { isPatientRow, readRow, readRows, type PatientRow } from './detect-rows';
import { createLaunchBar } from './launch-bar';
import { createRowButtons } from './row-buttons';
import { createPageWatch } from './page-watch';

/**
 * Content script for configured EHR origins: reads the patient on the page with the site's profile, reports it
 * to the background, and shows the launch bar. It never holds a credential or a launch URL: it only sends
 * clicks. Pages cannot talk to it: it listens to no window messages or page events, only to our background.
 */

let profile: EhrProfile | null = null;
let last: Detection | null = null;
let lastKey = '';
/** The latest readings of the profile's cross-origin banner frames, as the background relays them. */
let frames: FrameReadings = { frames: [] };

const bar = createLaunchBar({
  // The fingerprint of the patient the button was drawn for, not whatever the page shows now.
  onLaunch: (partnerId, context) => sendToBackground('launch.request', { partnerId, fingerprint: contextFingerprint(context) }),
  onPrefetch: (partnerId, context) => void sendToBackground('launch.prefetch', { partnerId, fingerprint: contextFingerprint(context) }).catch(() => undefined),
  onRefused: (partnerId, refusal) => void sendToBackground('launch.refused', { partnerId, refusal }).catch(() => undefined),
  onSignIn: () => void sendToBackground('identity.signInFromBar', {}).catch(() => undefined),
  onMinimise: (minimised) => void sendToBackground('bar.minimise', { minimised }).catch(() => undefined),
  onOpenMenu: () => sendToBackground('bar.openMenu', {}),
});

/** The row whose button was clicked last, and for whom: the background re-reads exactly that row. */
let clickedRow: { row: Element; fingerprint: string } | null = null;
let lastState: BarState | null = null;

const rowButtons = createRowButtons({
  onLaunch: (partnerId, context, row) => {
    const fingerprint = contextFingerprint(context);
    clickedRow = { row, fingerprint };
    return sendToBackground('launch.request', { partnerId, fingerprint, row: true });
  },
  onRefused: (partnerId, refusal) => void sendToBackground('launch.refused', { partnerId, refusal }).catch(() => undefined),
});

/** Whether this is a list page for per-row launch: the profile asks for it and no banner is shown, here or in a frame. */
function isListPage(p: EhrProfile): boolean {
  if (!p.rows || !profileAppliesTo(p, location.pathname) || findBanners(document, p).length > 0) return false;
  const remote = countedReadings(document, p, frames);
  return !remote.ambiguous && !remote.readings.some((reading) => reading.banners.length > 0);
}

/** A list page's patient rows. */
function listRows(p: EhrProfile): PatientRow[] {
  return isListPage(p) ? readRows(document, p) : [];
}

function keyOf(detection: Detection): string {
  return detection.context ? `p:${contextFingerprint(detection.context)}` : `x:${detection.problem}:${detection.reason ?? ''}`;
}

/**
 * This page's reading, or null when the site's profile does not cover this address (then no bar at all). A
 * banner frame's reading counts only while the page shows an iframe of the kind and origin the profile names.
 */
function detect(quick = false): Detection | null {
  if (!profile || !profileAppliesTo(profile, location.pathname)) return null;
  const remote = countedReadings(document, profile, frames);
  if (remote.ambiguous) return { context: null, problem: 'two-patients' };
  return detectPatient(document, new Date(), profile, remote.readings, quick);
}

/** What to observe: the banner, or the banner frames' iframe elements (their readers watch inside). */
function observed(p: EhrProfile): Element[] {
  const local = findBanners(document, p);
  return local.length > 0 ? local : bannerFramesShown(document, p).map((frame) => frame.element);
}

const watch = createPageWatch(window, () => void scan());

/**
 * After a quick re-read of the known banner, the whole page is read again once it has been still for a moment, so
 * the bar (and the tab's reported patient) also follow a second patient or a list appearing elsewhere.
 */
const CONFIRM_MS = 1_000;
let confirmTimer = 0;

function confirmSoon(): void {
  window.clearTimeout(confirmTimer);
  confirmTimer = window.setTimeout(() => void scan(false), CONFIRM_MS);
}

async function scan(quick = true): Promise<void> {
  if (quick && profile && usesGenericReader(profile)) confirmSoon();
  // Scans may re-read just the known banner; the reading the click is checked against is always a full one.
  let detection = detect(quick);
  const rows = profile && detection && !detection.context ? listRows(profile) : [];
  // A list with launchable rows: the bar points to them instead of saying there is no patient.
  if (rows.length > 0) detection = { context: null, problem: 'choose-row' };
  watch.follow(profile && detection ? observed(profile) : [], profile ? attributesRead(profile) : []);
  const drawRows = () => rowButtons.render(rows, lastState, profile?.rows?.anchor);
  if (!detection) {
    if (lastKey !== 'none') bar.remove();
    rowButtons.clear();
    lastKey = 'none';
    last = null;
    return;
  }
  const key = keyOf(detection);
  drawRows();
  if (key === lastKey) return;
  last = detection;
  lastKey = key;
  bar.render(detection.context, detection.problem, null, detection.reason);
  try {
    const state = await sendToBackground('context.report', {
      context: detection.context,
      ...(detection.problem ? { problem: detection.problem } : {}),
      ...(detection.reason ? { reason: detection.reason.slice(0, 300) } : {}),
    });
    // A newer scan may have replaced the patient while we waited: draw only for the current one.
    if (lastKey === key) {
      lastState = state;
      bar.render(detection.context, detection.problem, state, detection.reason);
      drawRows();
    }
  } catch {
    lastKey = '';
  }
}

/** The clicked row, read again now: its patient if it is still one of the page's rows on a page with no banner. */
function rereadRow(fingerprint: string): PatientContext | null {
  const clicked = clickedRow;
  if (!profile || !clicked || clicked.fingerprint !== fingerprint || !isPatientRow(clicked.row, profile)) return null;
  if (!isListPage(profile)) return null;
  return readRow(clicked.row, profile, new Date());
}

onMessage((message, sender) => {
  // Only our own background may ask; pages cannot reach this listener at all.
  if (sender.id !== runtimeId() || sender.tab) return undefined;
  const type = (message as { type?: unknown } | null)?.type;
  if (type === 'bar.update') {
    const update = contentProtocol['bar.update'].payload.safeParse((message as { payload?: unknown }).payload);
    // Only for the patient the bar shows now; a late answer about an earlier patient is dropped.
    if (update.success && last?.context && lastKey === `p:${update.data.fingerprint}`) bar.render(last.context, undefined, update.data.state);
    return Promise.resolve({});
  }
  if (type === 'frame.readings') {
    const update = contentProtocol['frame.readings'].payload.safeParse((message as { payload?: unknown }).payload);
    // A relay that does not pass its check leaves no readings to trust: the page then shows no patient from frames.
    frames = update.success ? update.data : { frames: [], incomplete: true };
    void scan();
    return Promise.resolve({});
  }
  if (type !== 'context.read') return undefined;
  const request = contentProtocol['context.read'].payload.safeParse((message as { payload?: unknown }).payload);
  if (!request.success) return undefined;
  // The banner frames were read just now too: their fresh readings replace the last ones.
  if (request.data.frames) frames = request.data.frames;
  if (request.data.row !== undefined) {
    const context = rereadRow(request.data.row);
    return Promise.resolve({ context, fingerprint: context ? contextFingerprint(context) : null });
  }
  // A fresh reading, taken now: the click is checked against this, not against what was last reported.
  const fresh = detect();
  if (!fresh || keyOf(fresh) !== lastKey) void scan();
  const context = fresh?.context ?? null;
  return Promise.resolve({ context, fingerprint: context ? contextFingerprint(context) : null });
});

async function start(): Promise<void> {
  try {
    const parsed = ehrProfileSchema.safeParse(await sendToBackground('profile.get', {}));
    profile = parsed.success ? parsed.data : null;
  } catch {
    profile = null;
  }
  if (profile) bar.place(profile);
  await scan();
}

void start();
