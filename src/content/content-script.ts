import browser, { type Runtime } from 'webextension-polyfill';
import { sendToBackground } from '../shared/messaging';
import { contextFingerprint } from '../shared/patient';
import { contentProtocol } from '../shared/protocol';
import { detectPatient, type Detection } from './detect';
import { createLaunchBar } from './launch-bar';

/**
 * Content script for configured EHR origins: reads the patient on the page, reports it to the background,
 * and shows the launch bar. It never holds a credential or a launch URL: it only sends clicks.
 */

let last: Detection | null = null;
let lastKey = '';

const bar = createLaunchBar({
  // The fingerprint of the patient the button was drawn for, not whatever the page shows now.
  onLaunch: (partnerId, context) => sendToBackground('launch.request', { partnerId, fingerprint: contextFingerprint(context) }),
  onPrefetch: (partnerId, context) => void sendToBackground('launch.prefetch', { partnerId, fingerprint: contextFingerprint(context) }).catch(() => undefined),
});

function keyOf(detection: Detection): string {
  return detection.context ? `p:${contextFingerprint(detection.context)}` : `x:${detection.problem}`;
}

async function scan(): Promise<void> {
  const detection = detectPatient(document);
  const key = keyOf(detection);
  if (key === lastKey) return;
  last = detection;
  lastKey = key;
  bar.render(detection.context, detection.problem, null);
  try {
    const state = await sendToBackground('context.report', {
      context: detection.context,
      ...(detection.problem ? { problem: detection.problem } : {}),
    });
    // A newer scan may have replaced the patient while we waited: draw only for the current one.
    if (lastKey === key) bar.render(detection.context, detection.problem, state);
  } catch {
    lastKey = '';
  }
}

let pending = 0;
function scheduleScan(): void {
  if (pending) return;
  pending = window.setTimeout(() => {
    pending = 0;
    void scan();
  }, 50);
}

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  // Only our own background may ask; pages cannot reach this listener at all.
  if (sender.id !== browser.runtime.id || sender.tab) return undefined;
  const type = (message as { type?: unknown } | null)?.type;
  if (type === 'bar.update') {
    const update = contentProtocol['bar.update'].payload.safeParse((message as { payload?: unknown }).payload);
    // Only for the patient the bar shows now; a late answer about an earlier patient is dropped.
    if (update.success && last?.context && lastKey === `p:${update.data.fingerprint}`) bar.render(last.context, undefined, update.data.state);
    return Promise.resolve({});
  }
  if (type !== 'context.read') return undefined;
  if (!contentProtocol['context.read'].payload.safeParse((message as { payload?: unknown }).payload).success) return undefined;
  const fresh = detectPatient(document);
  if (keyOf(fresh) !== lastKey) scheduleScan();
  return Promise.resolve({ context: fresh.context, fingerprint: fresh.context ? contextFingerprint(fresh.context) : null });
});

new MutationObserver(scheduleScan).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
window.addEventListener('pageshow', () => {
  lastKey = '';
  scheduleScan();
});
window.addEventListener('popstate', scheduleScan);
void scan();
