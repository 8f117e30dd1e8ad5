import * as z from 'zod/mini';

/**
 * Partner tabs that follow the EHR: what happens to a tab the extension opened for one patient once the EHR
 * tab it came from moves on (another patient, closed, left the EHR) or the clinician signs out.
 *
 * - `mark`: a strip over the top of the partner tab says whom it was opened for and whom the EHR shows now,
 *   until the clinician acts on it (the default, and the only safe one for partners that write: the extension
 *   cannot see whether a form is half filled in).
 * - `close`: the tab is closed.
 * - `follow`: the tab is launched again for the EHR's new patient, through the normal right-patient checks;
 *   only for partners the configuration says are read-only.
 * - `none`: nothing.
 */

export const STALE_TAB_ACTIONS = ['mark', 'close', 'follow', 'none'] as const;
export type StaleTabAction = (typeof STALE_TAB_ACTIONS)[number];

export const STALE_TAB_TRIGGERS = ['patient-changed', 'ehr-closed', 'ehr-left', 'signed-out'] as const;
export type StaleTabTrigger = (typeof STALE_TAB_TRIGGERS)[number];

/** The two partner settings the choice depends on (both in the partner's configuration, so policy can lock them). */
export interface StaleTabSettings {
  staleTab?: StaleTabAction | undefined;
  readOnly?: boolean | undefined;
}

/**
 * What to do with a partner tab for this trigger. `follow` needs a new patient to follow and a read-only
 * partner: with no new patient (EHR closed or left) it marks instead, and after a sign-out it closes (the tab
 * is signed in as the clinician who left). A write-capable partner is never relaunched automatically.
 */
export function staleTabAction(settings: StaleTabSettings, trigger: StaleTabTrigger): StaleTabAction {
  const configured = settings.staleTab ?? 'mark';
  if (configured !== 'follow') return configured;
  if (settings.readOnly !== true) return 'mark';
  if (trigger === 'patient-changed') return 'follow';
  return trigger === 'signed-out' ? 'close' : 'mark';
}

const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const nhsNumber = z.string().check(z.regex(/^[0-9]{10}$/));

/** A patient as the strip and the popup show them: the name as the bar shows it, and the NHS number. */
export const shownPatientSchema = z.strictObject({ name: text(200), nhsNumber });
export type ShownPatient = z.infer<typeof shownPatientSchema>;

/**
 * What the strip over a stale partner tab shows. `now`: the patient the EHR tab shows now, when there is one
 * the tab can be launched for ("Open … here"); its fingerprint comes back with that click and is checked
 * against a fresh reading of the EHR tab.
 */
export const stripContentSchema = z.strictObject({
  partnerLabel: text(40),
  was: shownPatientSchema,
  trigger: z.enum(STALE_TAB_TRIGGERS),
  now: z.nullable(z.strictObject({ ...shownPatientSchema.shape, fingerprint: text(400) })),
});
export type StripContent = z.infer<typeof stripContentSchema>;

export const PARTNER_TAB_STATES = ['current', 'marked', 'kept'] as const;
export type PartnerTabState = (typeof PARTNER_TAB_STATES)[number];

/** One partner tab opened from an EHR tab, as the popup lists it. */
export const partnerTabSummarySchema = z.strictObject({
  tabId: z.number(),
  partnerLabel: text(40),
  patient: shownPatientSchema,
  /** `current`: the EHR still shows its patient; `marked`: the strip is up; `kept`: the clinician chose to keep it. */
  state: z.enum(PARTNER_TAB_STATES),
});
export type PartnerTabSummary = z.infer<typeof partnerTabSummarySchema>;
