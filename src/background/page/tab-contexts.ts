import * as z from 'zod/mini';
import { browser } from '../../shared/browser-api';
import { patientContextSchema } from '../../shared/patient';
import { storageKeys } from '../storage/storage-keys';

/**
 * What each tab's content script last reported, in chrome.storage.session so it survives the worker being
 * stopped and is gone when the browser closes. A report replaces the previous one whole: never merged.
 */

const tabContextSchema = z.object({
  url: z.string(),
  origin: z.string(),
  frameId: z.number(),
  documentId: z.optional(z.string()),
  context: z.nullable(patientContextSchema),
  problem: z.optional(z.string()),
  reason: z.optional(z.string()),
  reportedAt: z.number(),
});
export type TabContext = z.infer<typeof tabContextSchema>;

const key = (tabId: number) => `${storageKeys.tab.prefix}${tabId}`;

export const tabContexts = {
  async get(tabId: number): Promise<TabContext | undefined> {
    const raw = (await browser.storage.session.get(key(tabId)))[key(tabId)];
    const parsed = tabContextSchema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  },
  async set(tabId: number, value: TabContext): Promise<void> {
    await browser.storage.session.set({ [key(tabId)]: value });
  },
  async remove(tabId: number): Promise<void> {
    await browser.storage.session.remove(key(tabId));
  },
  /** The latest readings of any tabs, newest first: what the options page's diagnostics show. */
  async recent(limit: number): Promise<(TabContext & { tabId: number })[]> {
    const all = await browser.storage.session.get(null);
    const readings: (TabContext & { tabId: number })[] = [];
    for (const [name, raw] of Object.entries(all)) {
      const match = /^tab:(\d+)$/.exec(name);
      const parsed = match ? tabContextSchema.safeParse(raw) : undefined;
      if (match && parsed?.success) readings.push({ ...parsed.data, tabId: Number(match[1]) });
    }
    return readings.sort((a, b) => b.reportedAt - a.reportedAt).slice(0, limit);
  },
};

