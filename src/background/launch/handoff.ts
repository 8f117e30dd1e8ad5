import type { KeyValueArea } from '../storage/key-value-area';
import * as z from 'zod/mini';
import { LaunchError } from '../../shared/launch-error';
import { storageKeys } from '../storage/storage-keys';

/**
 * Form POST launches: the background keeps the form under a random one-time id and opens our launch page with
 * that id; the page takes the form once and submits it as a top-level navigation, so the browser follows the
 * partner's 302 itself. The id alone is useless: only our page, in the tab opened from the launching tab (or, for
 * a relaunch into a partner tab, in that very tab), within a minute, can take it, and only once.
 */

export const HANDOFF_TTL_MS = 60_000;

/** The slice of chrome.storage.session the hand-off needs (a Map in tests). */
export type { KeyValueArea } from '../storage/key-value-area';

const handoffSchema = z.object({
  action: z.string(),
  fields: z.record(z.string(), z.string()),
  openerTabId: z.optional(z.number()),
  tabId: z.optional(z.number()),
  expiresAt: z.number(),
});

const key = (id: string) => `${storageKeys.handoff.prefix}${id}`;

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function createHandoffs(area: KeyValueArea, pageUrl: (id: string) => string) {
  return {
    pageUrl,

    /** `bound`: the tab the launch page must be opened from (a new tab), or the tab it must be in (a relaunch). */
    async create(action: string, fields: Record<string, string>, bound: { openerTabId: number } | { tabId: number }, now = Date.now()): Promise<string> {
      const id = newId();
      await area.set(key(id), { action, fields, ...bound, expiresAt: now + HANDOFF_TTL_MS });
      return id;
    },

    async take(id: string, sender: { url: string; tabId?: number; openerTabId?: number }, now = Date.now()): Promise<{ action: string; fields: Record<string, string> }> {
      const stored = await area.get(key(id));
      // Taken or not, it is gone after the first attempt.
      await area.remove(key(id));
      const parsed = handoffSchema.safeParse(stored);
      const spent = 'This launch link has already been used or has expired. Go back to the EHR and click the button again.';
      if (!parsed.success) throw new LaunchError('handoff-missing', spent, ['launchHandoffSpent']);
      if (parsed.data.expiresAt < now) throw new LaunchError('handoff-expired', spent, ['launchHandoffSpent']);
      const { openerTabId, tabId } = parsed.data;
      const rightTab = openerTabId !== undefined ? sender.openerTabId === openerTabId : tabId !== undefined && sender.tabId === tabId;
      if (sender.url !== pageUrl(id) || !rightTab) {
        throw new LaunchError('handoff-refused', 'This launch page was not opened by EHR Launchpad.', ['launchHandoffRefused']);
      }
      return { action: parsed.data.action, fields: parsed.data.fields };
    },
  };
}
