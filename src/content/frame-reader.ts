import { onMessage, runtimeId } from '../shared/runtime';
import { ehrProfileSchema, type EhrProfile } from '../shared/ehr-profile';
import type { DocumentReading } from '../shared/frame-reading';
import { sendToBackground } from '../shared/messaging';
import { contentProtocol } from '../shared/protocol';
import { attributesRead, findBanners, readDocument } from './detect';
import { createPageWatch } from './page-watch';

/**
 * Reader for a cross-origin banner frame (an EHR that serves its patient banner from another host). It runs
 * only in frames of the origins an EHR site's profile names, and only as a direct child of the EHR page. The
 * background checks again, from what the browser says, that the tab shows that EHR and its profile names this
 * origin; the page counts the reading only against iframes it shows of that kind and origin. It reads the
 * banner's texts with the EHR's profile and reports them; the top frame judges them with its own page and draws
 * the bar. No UI, no launch here.
 */

let profile: EhrProfile | null = null;
let lastSent = '';

function read(): DocumentReading {
  return profile ? readDocument(document, profile) : { banners: [], checks: [] };
}

const watch = createPageWatch(window, () => void report());

async function report(): Promise<void> {
  if (!profile) return;
  watch.follow(findBanners(document, { ...profile, frames: [] }), attributesRead(profile));
  const reading = read();
  const key = JSON.stringify(reading);
  if (key === lastSent) return;
  lastSent = key;
  try {
    await sendToBackground('frame.report', { reading });
  } catch {
    lastSent = '';
  }
}

onMessage((message, sender) => {
  if (sender.id !== runtimeId() || sender.tab) return undefined;
  const type = (message as { type?: unknown } | null)?.type;
  if (type !== 'frame.read' || !profile) return undefined;
  if (!contentProtocol['frame.read'].payload.safeParse((message as { payload?: unknown }).payload).success) return undefined;
  return Promise.resolve({ reading: read() });
});

async function start(): Promise<void> {
  // Only a direct child of the top frame: a banner frame nested in some other frame is not the EHR's.
  if (window === window.top || window.parent !== window.top) {
    watch.stop();
    return;
  }
  try {
    const parsed = ehrProfileSchema.safeParse(await sendToBackground('frame.profile', {}));
    profile = parsed.success ? parsed.data : null;
  } catch {
    profile = null;
  }
  if (!profile) {
    watch.stop();
    return;
  }
  // The top frame must stop counting this document's banner once it is gone (navigation, frame removed).
  window.addEventListener('pagehide', () => {
    lastSent = '';
    void sendToBackground('frame.report', { reading: null }).catch(() => undefined);
  });
  await report();
}

void start();
