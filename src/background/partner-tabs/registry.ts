import * as z from 'zod/mini';
import { browser } from '../../shared/browser-api';
import { PARTNER_TAB_STATES, shownPatientSchema, stripContentSchema } from '../../shared/partner-tabs';
import { storageKeys } from '../storage/storage-keys';

/**
 * The partner tabs the extension opened: for which partner and patient, from which EHR tab, and whether the
 * strip is up. In chrome.storage.session: it survives the worker being stopped, not the browser closing
 * (when the tabs it names are gone too). One key per partner tab, so events for two tabs never overwrite
 * each other's record.
 */

const ehrSchema = z.object({ tabId: z.number(), frameId: z.number(), documentId: z.optional(z.string()), origin: z.string() });

export const partnerTabRecordSchema = z.object({
  tabId: z.number(),
  partnerId: z.string(),
  partnerLabel: z.string(),
  /** Where the partner's pages may be: the tab is forgotten once it goes anywhere else. */
  origins: z.array(z.string()),
  patient: z.object({ ...shownPatientSchema.shape, fingerprint: z.string() }),
  /** The EHR tab (and the frame and document that showed the patient) it was opened from. */
  ehr: ehrSchema,
  openedAt: z.number(),
  state: z.enum(PARTNER_TAB_STATES),
  /** What the strip shows while the tab is marked. */
  strip: z.nullable(stripContentSchema),
  /** Times the partner page took the strip or the title's warning away while it was marked. */
  tampered: z.number(),
  /**
   * A relaunch into this tab for another patient, taken as the tab's own once the tab starts loading it: the
   * partner's page may refuse to be left ("Leave site?"), and then the tab still shows the previous patient.
   */
  pending: z.optional(z.object({ patient: z.object({ ...shownPatientSchema.shape, fingerprint: z.string() }), ehr: ehrSchema, origins: z.array(z.string()), at: z.number() })),
});
export type PartnerTabRecord = z.infer<typeof partnerTabRecordSchema>;

const PREFIX = storageKeys.partnerTab.prefix;
const key = (tabId: number) => `${PREFIX}${tabId}`;

export const partnerTabs = {
  async get(tabId: number): Promise<PartnerTabRecord | undefined> {
    const parsed = partnerTabRecordSchema.safeParse((await browser.storage.session.get(key(tabId)))[key(tabId)]);
    return parsed.success ? parsed.data : undefined;
  },
  async set(record: PartnerTabRecord): Promise<void> {
    await browser.storage.session.set({ [key(record.tabId)]: record });
  },
  async remove(tabId: number): Promise<void> {
    await browser.storage.session.remove(key(tabId));
  },
  async all(): Promise<PartnerTabRecord[]> {
    const stored = await browser.storage.session.get(null);
    const records: PartnerTabRecord[] = [];
    for (const [name, raw] of Object.entries(stored)) {
      if (!name.startsWith(PREFIX)) continue;
      const parsed = partnerTabRecordSchema.safeParse(raw);
      if (parsed.success) records.push(parsed.data);
    }
    return records.sort((a, b) => a.openedAt - b.openedAt);
  },
  async fromEhrTab(ehrTabId: number): Promise<PartnerTabRecord[]> {
    return (await this.all()).filter((record) => record.ehr.tabId === ehrTabId);
  },
};
