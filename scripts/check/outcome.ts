/**
 * One partner's row in the check's table, decided from what the extension recorded (its audit entry for the
 * launch), what the launch opened (the landing tab's origin and HTTP status) and the bar's own words. Only
 * origins are shown: a launch address can hold a one-time credential.
 */

export interface CheckRow {
  partner: string;
  outcome: string;
  /** Click to the partner's page loaded (or to the failure); null when nothing was launched. */
  ms: number | null;
  failed: boolean;
}

/** Partner states (src/shared/protocol.ts partnerButtonSchema) that wait for the clinician themself, not for IT. */
const CLINICIAN_STEPS = new Set(['sign-in-needed', 'pairing-needed']);

/**
 * A partner the bar does not offer as ready: skipped when it needs the clinician's own sign-in or pairing, else
 * failed. `awaitsPartnerSignIn`: the partner has a sign-in step of its own (NHS login) that nobody has taken yet.
 */
export function notReadyRow(partner: string, state: string, message: string | undefined, awaitsPartnerSignIn = false): CheckRow {
  if (CLINICIAN_STEPS.has(state) || awaitsPartnerSignIn) return { partner, outcome: `skipped: ${message ?? 'needs the clinician to sign in or pair first'}`, ms: null, failed: false };
  return { partner, outcome: `failed: not ready: ${message ?? state}`, ms: null, failed: true };
}

export interface LaunchSeen {
  /** The extension's audit entry for this launch, or null when none was written in time. */
  audit: { outcome: string; code?: string } | null;
  /** The tab the launch opened, once loaded: its address and its main document's HTTP status (when seen). */
  landing: { url: string; status?: number } | null;
  /** The bar's status line after the launch (an error says why in words). */
  barStatus: string;
  ms: number;
  waitedMs: number;
}

/** The bar's line while a launch is under way: not yet its outcome. */
export const OPENING = /^Opening .*…$/;

export function launchRow(partner: string, seen: LaunchSeen): CheckRow {
  const failed = (why: string): CheckRow => ({ partner, outcome: `failed: ${why}`, ms: seen.ms, failed: true });
  const said = OPENING.test(seen.barStatus) ? '' : seen.barStatus.trim();
  if (!seen.audit) return failed(said || `no outcome within ${Math.round(seen.waitedMs / 1000)} s`);
  if (seen.audit.outcome !== 'ok') return failed(said || `${seen.audit.outcome}${seen.audit.code ? ` (${seen.audit.code})` : ''}`);
  if (!seen.landing) return failed('the extension recorded a launch but no partner tab opened');
  if (seen.landing.url.startsWith('chrome-error:')) return failed("the partner's page could not be reached");
  const origin = originOf(seen.landing.url);
  if (seen.landing.status !== undefined && seen.landing.status >= 400) return failed(`HTTP ${seen.landing.status} from ${origin}`);
  const notes = [origin, ...(seen.audit.code ? [seen.audit.code] : [])];
  return { partner, outcome: `ok (${notes.join('; ')})`, ms: seen.ms, failed: false };
}

function originOf(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? new URL(url).protocol : origin;
  } catch {
    return 'an unreadable address';
  }
}
