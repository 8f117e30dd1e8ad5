import { onMessage, runtimeId } from '../../shared/runtime';
import { ehrProfileSchema } from '../../shared/ehr-profile';
import { t } from '../../shared/i18n';
import type { MessageKey } from '../../shared/message-key';
import { sendToBackground } from '../../shared/messaging';
import { MAX_PICK_TEXT, PICK_ORDER, type Pick, type Picks, type PickTarget } from '../../shared/profile-builder/picks';
import { contentProtocol } from '../../shared/protocol';
import { detectPatient } from '../detect';
import { createPickerOverlay, type PickerOverlay } from './picker-overlay';
import { buildSelector } from './selector';

/**
 * The profile builder's picker, injected on demand by the background into the top frame of the EHR tab an
 * administrator chose to teach from the options page (never registered, never started by the page). The
 * administrator clicks the banner, then the NHS number, the date of birth and the name; for each the picker
 * sends a selector it checked against the page and the element's text. It reads nothing else. Afterwards it
 * answers the background's requests to read the page with a draft profile, so the options page can show what
 * the profile would read.
 */

declare global {
  // One picker per document, whatever the number of injections: a second one restarts the first.
  var __ehrLaunchpadPicker: { restart(): void } | undefined;
}

const PROMPTS: Record<PickTarget, MessageKey> = {
  banner: 'builderPickBanner',
  nhsNumber: 'builderPickNhs',
  birthDate: 'builderPickDob',
  name: 'builderPickName',
};

function textOf(element: Element): string {
  return (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_PICK_TEXT);
}

let overlay: PickerOverlay | null = null;

function start(): void {
  overlay?.remove();
  const picks: Partial<Picks> = {};
  let banner: Element | null = null;
  let index = 0;

  const prompt = () => overlay!.prompt(index + 1, PICK_ORDER.length, t(PROMPTS[PICK_ORDER[index]!]));

  function pick(element: Element): void {
    const target = PICK_ORDER[index]!;
    let made: Pick | null = null;
    if (target === 'banner') {
      const selector = buildSelector(element, document);
      if (selector) made = { selector, text: textOf(element) };
    } else {
      if (!banner || element === banner || !banner.contains(element)) return overlay!.refuse(t('builderPickInsideBanner'));
      const selector = buildSelector(element, banner);
      if (selector) made = { selector, text: textOf(element) };
    }
    if (!made) return overlay!.refuse(t('builderPickNoSelector'));
    picks[target] = made;
    if (target === 'banner') {
      banner = element;
      overlay!.mark(element);
    }
    index++;
    if (index < PICK_ORDER.length) return prompt();
    overlay!.finish(t('builderPickDone'));
    overlay = null;
    void sendToBackground('picker.result', { outcome: 'picked', picks: picks as Picks }).catch(() => undefined);
  }

  overlay = createPickerOverlay({
    onPick: pick,
    onCancel() {
      overlay?.remove();
      overlay = null;
      void sendToBackground('picker.result', { outcome: 'cancelled' }).catch(() => undefined);
    },
  });
  prompt();
}

/** The page read now with the draft profile, exactly as the content script would read it. */
function readWith(rawProfile: unknown) {
  const profile = ehrProfileSchema.safeParse(rawProfile);
  if (!profile.success) return { context: null, problem: 'invalid-profile' };
  const detection = detectPatient(document, new Date(), profile.data);
  return {
    context: detection.context,
    ...(detection.problem ? { problem: detection.problem.slice(0, 100) } : {}),
    ...(detection.reason ? { reason: detection.reason.slice(0, 300) } : {}),
  };
}

if (globalThis.__ehrLaunchpadPicker) {
  globalThis.__ehrLaunchpadPicker.restart();
} else {
  globalThis.__ehrLaunchpadPicker = { restart: start };
  onMessage((message, sender) => {
    // Only our own background may ask; pages cannot reach this listener at all.
    if (sender.id !== runtimeId() || sender.tab) return undefined;
    const type = (message as { type?: unknown } | null)?.type;
    if (type === 'picker.stop') {
      overlay?.remove();
      overlay = null;
      return Promise.resolve({});
    }
    if (type !== 'picker.read') return undefined;
    const request = contentProtocol['picker.read'].payload.safeParse((message as { payload?: unknown }).payload);
    if (!request.success) return undefined;
    return Promise.resolve(readWith(request.data.profile));
  });
  start();
}
