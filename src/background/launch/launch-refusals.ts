import * as z from 'zod/mini';
import { browser } from '../../shared/browser-api';
import { REFUSED_COLOUR, WARNING_COLOUR } from '../health/badge-colours';

/**
 * The last launch from each tab's bar that was refused or failed, kept in storage.session so the clinician can
 * read it in the toolbar popup even when the page faded or covered the bar, with the toolbar badge set on that
 * tab. It is for the patient the tab showed after the refusal (`fingerprint`, null when none) and goes when
 * the tab shows another patient, when a later launch from the tab works, or when the tab closes.
 */

const refusalSchema = z.object({
  partnerId: z.string(),
  partnerLabel: z.string(),
  /** Written by the background for the clinician (never text from the page). */
  message: z.string(),
  fingerprint: z.nullable(z.string()),
  at: z.number(),
});
export type LaunchRefusal = z.infer<typeof refusalSchema>;

const key = (tabId: number) => `refusal:${tabId}`;

async function showBadge(tabId: number): Promise<void> {
  await browser.action.setBadgeBackgroundColor({ tabId, color: REFUSED_COLOUR });
  await browser.action.setBadgeTextColor?.({ tabId, color: '#ffffff' });
  await browser.action.setBadgeText({ tabId, text: '!' });
  await browser.action.setTitle({ tabId, title: `${browser.i18n.getMessage('actionTitle')}: ${browser.i18n.getMessage('badgeRefused')}` });
}

/** Back to what every tab shows (the health badge, if any): no text of its own, the global title. */
async function hideBadge(tabId: number): Promise<void> {
  await browser.action.setBadgeText({ tabId });
  await browser.action.setBadgeBackgroundColor({ tabId, color: WARNING_COLOUR });
  await browser.action.setBadgeTextColor?.({ tabId, color: '#000000' });
  await browser.action.setTitle({ tabId, title: await browser.action.getTitle({}) });
}

export const launchRefusals = {
  async get(tabId: number): Promise<LaunchRefusal | undefined> {
    const parsed = refusalSchema.safeParse((await browser.storage.session.get(key(tabId)))[key(tabId)]);
    return parsed.success ? parsed.data : undefined;
  },

  async record(tabId: number, refusal: LaunchRefusal): Promise<void> {
    await browser.storage.session.set({ [key(tabId)]: refusal });
    // A tab that closed meanwhile has no badge to set.
    await showBadge(tabId).catch(() => undefined);
  },

  async clear(tabId: number): Promise<void> {
    if (!(await this.get(tabId))) return;
    await browser.storage.session.remove(key(tabId));
    await hideBadge(tabId).catch(() => undefined);
  },

  /**
   * A new report from the tab: another patient (or none, after one) ends the refusal; the same patient keeps it
   * and puts the badge back (the browser resets a tab's badge when the tab loads a new page).
   */
  async afterReport(tabId: number, fingerprint: string | null): Promise<void> {
    const refusal = await this.get(tabId);
    if (!refusal) return;
    if (refusal.fingerprint === fingerprint) await showBadge(tabId).catch(() => undefined);
    else await this.clear(tabId);
  },

  /** The tab closed: its badge went with it. */
  async remove(tabId: number): Promise<void> {
    await browser.storage.session.remove(key(tabId));
  },
};
