import * as z from 'zod/mini';
import { browser } from '../../shared/browser-api';
import pickerScript from '../../content/picker/picker.ts?script&iife';
import { ehrProfileSchema } from '../../shared/ehr-profile';
import { LaunchError } from '../../shared/launch-error';
import { picksSchema, type Picks, type PickingState } from '../../shared/profile-builder/picks';
import { contentProtocol, type ContentAnswerOf } from '../../shared/protocol';
import type { VerifiedSender } from '../messages/sender';
import { configItem } from '../settings/settings';
import { storageKeys } from '../storage/storage-keys';
import type { MessageKey } from '../../shared/message-key';

/**
 * The profile builder's picking session: which tab, frame and document the picker was injected into, at the
 * request of which extension page, and what came back. One session at a time, in storage.session so that it
 * outlives the worker being stopped while the administrator picks. The picker's answer is accepted only from
 * that tab's top frame and that document.
 */

const KEY = storageKeys.profileBuilder.key;

const sessionSchema = z.object({
  tabId: z.number(),
  origin: z.string(),
  documentId: z.optional(z.string()),
  /** The extension page that asked (the options tab), brought back to the front when picking ends. */
  requesterTabId: z.optional(z.number()),
  state: z.enum(['picking', 'picked', 'cancelled']),
  picks: z.optional(picksSchema),
  startedAt: z.number(),
});
type Session = z.infer<typeof sessionSchema>;

async function readSession(): Promise<Session | undefined> {
  const parsed = sessionSchema.safeParse((await browser.storage.session.get(KEY))[KEY]);
  return parsed.success ? parsed.data : undefined;
}

const writeSession = (session: Session) => browser.storage.session.set({ [KEY]: session });

/** The builder's refusals, each worded from _locales (the English is the fallback outside the extension). */
const BUILDER_WORDS: Record<string, MessageKey> = {
  'builder-not-ehr': 'builderRefusedNotEhr',
  'builder-no-access': 'builderRefusedNoAccess',
  'builder-not-picking': 'builderRefusedNotHere',
  malformed: 'builderRefusedMalformed',
  'builder-not-picked': 'builderRefusedNotPicked',
  'builder-bad-profile': 'builderRefusedBadProfile',
  'builder-page-changed': 'builderRefusedPageChanged',
};

function refuse(code: string, message: string): never {
  const key = BUILDER_WORDS[code];
  throw new LaunchError(code, message, key ? [key] : ['builderRefusedMalformed']);
}

/** Injects the picker into the top frame of an EHR tab of this configuration, and brings that tab forward. */
export async function startPicking(tabId: number, requester: Extract<VerifiedSender, { kind: 'extension' }>): Promise<Record<string, never>> {
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  let origin = '';
  try {
    origin = new URL(tab?.url ?? '').origin;
  } catch {
    origin = '';
  }
  const config = await configItem.get();
  if (!tab || !config.ehrSites.some((site) => site.origin === origin)) {
    refuse('builder-not-ehr', 'That tab does not show a page of an EHR site in this configuration.');
  }
  // One picking mode at a time: a page still picking for an earlier request leaves it.
  const previous = await readSession();
  if (previous?.state === 'picking' && previous.tabId !== tabId) {
    await browser.tabs
      .sendMessage(previous.tabId, { type: 'picker.stop', payload: {} }, { frameId: 0, ...(previous.documentId ? { documentId: previous.documentId } : {}) })
      .catch(() => undefined);
  }
  let documentId: string | undefined;
  try {
    const [result] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, files: [pickerScript] });
    documentId = result?.documentId;
  } catch {
    refuse('builder-no-access', 'EHR Launchpad could not open picking mode on that tab. Check it still shows the EHR, and that access to the site is granted.');
  }
  await writeSession({
    tabId,
    origin,
    ...(documentId ? { documentId } : {}),
    ...(requester.tabId !== undefined ? { requesterTabId: requester.tabId } : {}),
    state: 'picking',
    startedAt: Date.now(),
  });
  await browser.tabs.update(tabId, { active: true }).catch(() => undefined);
  if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true }).catch(() => undefined);
  return {};
}

/** The picker's answer, only from the tab, top frame and document picking was started in. */
export async function receivePicks(outcome: 'picked' | 'cancelled', picks: Picks | undefined, sender: Extract<VerifiedSender, { kind: 'content' }>): Promise<Record<string, never>> {
  const session = await readSession();
  const fromPicker =
    session?.state === 'picking' &&
    sender.tabId === session.tabId &&
    sender.frameId === 0 &&
    sender.origin === session.origin &&
    (session.documentId === undefined || sender.documentId === session.documentId);
  if (!session || !fromPicker) refuse('builder-not-picking', 'Message refused: not allowed from here.');
  if (outcome === 'picked' && !picks) refuse('malformed', 'Message refused: malformed.');
  await writeSession({ ...session, state: outcome, ...(outcome === 'picked' ? { picks } : {}) });
  if (session.requesterTabId !== undefined) await browser.tabs.update(session.requesterTabId, { active: true }).catch(() => undefined);
  return {};
}

/** How far the picking on this tab got. */
export async function pickingState(tabId: number): Promise<PickingState> {
  const session = await readSession();
  if (!session || session.tabId !== tabId) return { state: 'none' };
  if (session.state === 'picked' && session.picks) return { state: 'picked', tabId, origin: session.origin, picks: session.picks };
  return { state: session.state === 'picked' ? 'picking' : session.state, tabId };
}

/** The taught tab read now with a draft profile, by the picker still in that document. */
export async function readWithDraft(tabId: number, rawProfile: unknown): Promise<ContentAnswerOf<'picker.read'>> {
  const session = await readSession();
  if (!session || session.tabId !== tabId || session.state !== 'picked') refuse('builder-not-picked', 'Teach EHR Launchpad this page first.');
  const profile = ehrProfileSchema.safeParse(rawProfile);
  if (!profile.success) refuse('builder-bad-profile', 'This profile is not valid.');
  let answer: unknown;
  try {
    answer = await browser.tabs.sendMessage(tabId, { type: 'picker.read', payload: { profile: profile.data } }, { frameId: 0, ...(session.documentId ? { documentId: session.documentId } : {}) });
  } catch {
    answer = undefined;
  }
  const parsed = contentProtocol['picker.read'].answer.safeParse(answer);
  if (!parsed.success) refuse('builder-page-changed', 'The page has changed since it was taught (reloaded or left). Teach it again.');
  return parsed.data;
}
