import * as z from 'zod/mini';
import { browser } from '../../shared/browser-api';
import { documentReadingSchema, MAX_FRAMES, type DocumentReading, type FrameReadings } from '../../shared/frame-reading';
import { contentProtocol } from '../../shared/protocol';
import { storageKeys } from '../storage/storage-keys';

/**
 * The latest reading of each cross-origin banner frame, per tab, in chrome.storage.session (it survives the
 * worker being stopped, and goes with the browser). Each frame's entry is bound to the document that made it:
 * a newer document in that frame replaces it, and a document that can no longer answer is dropped. Frames that
 * show nothing the profile reads are not kept, so only frames with something to judge count.
 */

const entrySchema = z.object({ documentId: z.optional(z.string()), origin: z.string(), reading: documentReadingSchema });
const tabSchema = z.record(z.string(), entrySchema);
type Entry = z.infer<typeof entrySchema>;
type TabEntries = Record<string, Entry>;

/** A frame that does not answer in this time is treated as gone (a hung frame must not hold up a launch). */
export const FRAME_READ_TIMEOUT_MS = 1_500;

const key = (tabId: number) => `${storageKeys.frames.prefix}${tabId}`;

async function load(tabId: number): Promise<TabEntries> {
  const parsed = tabSchema.safeParse((await browser.storage.session.get(key(tabId)))[key(tabId)]);
  return parsed.success ? parsed.data : {};
}

/**
 * Whether a tab has any entry, as this worker last wrote or read it: a launch from a page without banner frames
 * (nearly all of them) then skips the storage read. Unknown after the worker restarts, so storage is read once.
 */
const hasEntries = new Map<number, boolean>();

async function save(tabId: number, entries: TabEntries): Promise<void> {
  const any = Object.keys(entries).length > 0;
  if (!any) await browser.storage.session.remove(key(tabId));
  else await browser.storage.session.set({ [key(tabId)]: entries });
  hasEntries.set(tabId, any);
}

// Reports from several frames of one tab arrive together: one read-modify-write at a time, per tab.
const queues = new Map<number, Promise<unknown>>();
function serial<T>(tabId: number, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(tabId) ?? Promise.resolve()).then(work);
  const settled = run.catch(() => undefined);
  queues.set(tabId, settled);
  void settled.then(() => queues.get(tabId) === settled && queues.delete(tabId));
  return run;
}

const isEmpty = (reading: DocumentReading) => reading.banners.length === 0 && reading.checks.length === 0 && !reading.incomplete;

/** What the page is given: at most MAX_FRAMES readings, and whether any were left out. */
export function asReadings(entries: TabEntries): FrameReadings {
  const all = Object.entries(entries).map(([frameId, entry]) => ({ frameId: Number(frameId), origin: entry.origin, reading: entry.reading }));
  return all.length > MAX_FRAMES ? { frames: all.slice(0, MAX_FRAMES), incomplete: true } : { frames: all };
}

export interface FrameSource {
  tabId: number;
  frameId: number;
  documentId?: string;
  origin: string;
}

/** The pure part of a report: the tab's entries after it. */
export function applyReport(entries: TabEntries, source: FrameSource, reading: DocumentReading | null): TabEntries {
  const next = { ...entries };
  const id = String(source.frameId);
  const current = next[id];
  if (reading === null) {
    // A late "going away" from an older document in this frame must not remove the newer one's reading.
    if (current && current.documentId === source.documentId) delete next[id];
  } else if (isEmpty(reading)) {
    delete next[id];
  } else {
    next[id] = { origin: source.origin, reading, ...(source.documentId ? { documentId: source.documentId } : {}) };
  }
  return next;
}

function readFrame(tabId: number, frameId: number, documentId: string | undefined): Promise<unknown> {
  const options: { frameId: number; documentId?: string } = { frameId };
  if (documentId) options.documentId = documentId;
  return Promise.race([
    browser.tabs.sendMessage(tabId, { type: 'frame.read', payload: {} }, options as { frameId: number }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), FRAME_READ_TIMEOUT_MS)),
  ]);
}

export const frameReadings = {
  /** Records a frame's reading (null: its document is going away) and answers the tab's readings now. */
  report(source: FrameSource, reading: DocumentReading | null): Promise<FrameReadings> {
    return serial(source.tabId, async () => {
      const entries = applyReport(await load(source.tabId), source, reading);
      await save(source.tabId, entries);
      return asReadings(entries);
    });
  },

  /**
   * Asks every recorded frame of the tab for a reading taken now. A frame that cannot answer in time (its
   * document has gone, or it hangs) is dropped: what it showed can no longer be vouched for.
   */
  fresh(tabId: number): Promise<FrameReadings> {
    // Written before any relay to the page, so a reading the page could be showing is never skipped here.
    if (hasEntries.get(tabId) === false) return Promise.resolve({ frames: [] });
    return serial(tabId, async () => {
      const entries = await load(tabId);
      const ids = Object.keys(entries);
      hasEntries.set(tabId, ids.length > 0);
      if (ids.length === 0) return { frames: [] };
      await Promise.all(
        ids.map(async (id) => {
          const entry = entries[id]!;
          try {
            const parsed = contentProtocol['frame.read'].answer.safeParse(await readFrame(tabId, Number(id), entry.documentId));
            if (parsed.success && !isEmpty(parsed.data.reading)) entry.reading = parsed.data.reading;
            else delete entries[id];
          } catch {
            delete entries[id];
          }
        }),
      );
      await save(tabId, entries);
      return asReadings(entries);
    });
  },

  remove(tabId: number): Promise<void> {
    return serial(tabId, async () => {
      await browser.storage.session.remove(key(tabId));
      hasEntries.delete(tabId);
    });
  },
};

/** Hands the tab's top frame the banner frames' readings; a page that cannot take them reads them at the click. */
export async function relayFrameReadings(tabId: number, readings: FrameReadings): Promise<void> {
  try {
    await browser.tabs.sendMessage(tabId, { type: 'frame.readings', payload: readings }, { frameId: 0 });
  } catch {
    // No content script in the top frame (yet): it asks for its profile at start, which relays them again.
  }
}
