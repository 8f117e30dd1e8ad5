import * as z from 'zod/mini';
import browser from 'webextension-polyfill';
import { documentReadingSchema, type FrameReading } from '../shared/frame-reading';
import { contentProtocol } from '../shared/protocol';

/**
 * The latest reading of each cross-origin banner frame, per tab, in chrome.storage.session (it survives the
 * worker being stopped, and goes with the browser). Each frame's entry is bound to the document that made it:
 * a newer document in that frame replaces it, and a document that can no longer answer is dropped.
 */

const entrySchema = z.object({ documentId: z.optional(z.string()), origin: z.string(), reading: documentReadingSchema });
const tabSchema = z.record(z.string(), entrySchema);
type Entry = z.infer<typeof entrySchema>;
type TabEntries = Record<string, Entry>;

const key = (tabId: number) => `frames:${tabId}`;

async function load(tabId: number): Promise<TabEntries> {
  const parsed = tabSchema.safeParse((await browser.storage.session.get(key(tabId)))[key(tabId)]);
  return parsed.success ? parsed.data : {};
}

async function save(tabId: number, entries: TabEntries): Promise<void> {
  if (Object.keys(entries).length === 0) await browser.storage.session.remove(key(tabId));
  else await browser.storage.session.set({ [key(tabId)]: entries });
}

// Reports from several frames of one tab arrive together: one read-modify-write at a time.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}

const asList = (entries: TabEntries): FrameReading[] =>
  Object.entries(entries).map(([frameId, entry]) => ({ frameId: Number(frameId), origin: entry.origin, reading: entry.reading }));

export interface FrameSource {
  tabId: number;
  frameId: number;
  documentId?: string;
  origin: string;
}

export const frameReadings = {
  /** Records a frame's reading (null: its document is going away) and answers the tab's readings now. */
  report(source: FrameSource, reading: Entry['reading'] | null): Promise<FrameReading[]> {
    return serial(async () => {
      const entries = await load(source.tabId);
      const id = String(source.frameId);
      const current = entries[id];
      // A late "going away" from an older document in this frame must not remove the newer one's reading.
      if (reading === null) {
        if (current && current.documentId === source.documentId) delete entries[id];
      } else {
        entries[id] = { origin: source.origin, reading, ...(source.documentId ? { documentId: source.documentId } : {}) };
      }
      await save(source.tabId, entries);
      return asList(entries);
    });
  },

  async list(tabId: number): Promise<FrameReading[]> {
    return asList(await load(tabId));
  },

  /**
   * Asks every recorded frame of the tab for a reading taken now. A frame that cannot answer (its document
   * has gone) is dropped: what it showed is no longer on screen.
   */
  fresh(tabId: number): Promise<FrameReading[]> {
    return serial(async () => {
      const entries = await load(tabId);
      const ids = Object.keys(entries);
      if (ids.length === 0) return [];
      await Promise.all(
        ids.map(async (id) => {
          const entry = entries[id]!;
          const options: { frameId: number; documentId?: string } = { frameId: Number(id) };
          if (entry.documentId) options.documentId = entry.documentId;
          try {
            const raw = await browser.tabs.sendMessage(tabId, { type: 'frame.read', payload: {} }, options as { frameId: number });
            const parsed = contentProtocol['frame.read'].answer.safeParse(raw);
            if (parsed.success) entry.reading = parsed.data.reading;
            else delete entries[id];
          } catch {
            delete entries[id];
          }
        }),
      );
      await save(tabId, entries);
      return asList(entries);
    });
  },

  remove(tabId: number): Promise<void> {
    return serial(() => browser.storage.session.remove(key(tabId)));
  },
};

/** Hands the tab's top frame the banner frames' readings; a page that cannot take them reads them at the click. */
export async function relayFrameReadings(tabId: number, frames: FrameReading[]): Promise<void> {
  try {
    await browser.tabs.sendMessage(tabId, { type: 'frame.readings', payload: { frames } }, { frameId: 0 });
  } catch {
    // No content script in the top frame (yet): it asks for its profile at start, which relays them again.
  }
}
