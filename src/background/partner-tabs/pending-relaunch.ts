import type { PartnerTabRecord } from './registry';

/** How long a relaunch into a tab may take to start loading before it no longer counts as that relaunch. */
export const PENDING_RELAUNCH_MS = 30_000;

/**
 * The tab started loading a page: a pending relaunch (recent enough to be what is loading) is now what it
 * shows. A strip on the previous patient's page goes with that page.
 */
export function promotePending(record: PartnerTabRecord, now = Date.now()): PartnerTabRecord | undefined {
  if (!record.pending) return undefined;
  const { pending, ...rest } = record;
  if (now - pending.at > PENDING_RELAUNCH_MS) return rest;
  return { ...rest, patient: pending.patient, ehr: pending.ehr, origins: pending.origins, state: 'current', strip: null, tampered: 0 };
}
