import { OUTCOME_NOT_VISIBLE } from '../../shared/audit';
import { LaunchError } from '../../shared/launch-error';

/**
 * What the extension can tell about where a launch tab landed, from what the browser shows it: the tab's
 * address (visible only on origins the extension has host access to) and, once the page has loaded, the HTTP
 * status of its document or the fact that the browser shows its own "site can't be reached" page.
 * Pure: landing-watch.ts feeds it what the browser reports.
 */

/** How a launch tab ended up. */
export type Landing =
  /** On a partner page that loaded with a success status. */
  | { kind: 'landed' }
  /** On the page a connector names as its refusal of a one-time credential (used or expired): worth one retry. */
  | { kind: 'refused' }
  /** On a page the partner answered with an error status (its refusal page). */
  | { kind: 'error-page'; status: number }
  /** On the browser's own error page: the partner could not be reached. */
  | { kind: 'unreachable' }
  /** The tab closed before it landed. */
  | { kind: 'closed' }
  /** Out of sight: an address or page the extension may not read, or no answer in time. */
  | { kind: 'unknown' };

/** What one report of the tab's address means for the watch. */
export type Sighting = 'wait' | 'refused' | 'unreachable' | 'read-page' | 'hidden';

export interface SightingRules {
  /** The extension's own origin: its hand-off page (the form POST) is a step on the way, not a landing. */
  ownOrigin: string;
  /** The connector's own test for its credential-refused page, if it has one. */
  refused?: (url: string) => boolean;
}

/**
 * Judges one report of the tab: `complete` when the browser says the tab finished loading. A page is judged only
 * once loaded (its status is known then); a connector's refusal page is known by its address alone.
 */
export function judgeSighting(url: string | undefined, complete: boolean, rules: SightingRules): Sighting {
  // Host access is what lets the extension see a tab's address: without it, a loaded page is out of sight.
  if (url === undefined || url === '') return complete ? 'hidden' : 'wait';
  let at: URL;
  try {
    at = new URL(url);
  } catch {
    return 'wait';
  }
  if (at.protocol === 'chrome-error:') return 'unreachable';
  // The blank page a new tab starts on, and the extension's own hand-off page.
  // Scheme and host rather than `origin`, which some URL parsers leave 'null' for an extension's scheme.
  if (at.protocol === 'about:' || `${at.protocol}//${at.host}` === rules.ownOrigin) return 'wait';
  if (rules.refused?.(url)) return 'refused';
  return complete ? 'read-page' : 'wait';
}

/** What reading the loaded page gave: its document's HTTP status, the browser's error page, or nothing. */
export type PageReading = { status: number } | { errorPage: true } | { unreadable: true };

export function judgePage(reading: PageReading): Landing {
  if ('errorPage' in reading) return { kind: 'unreachable' };
  if ('unreadable' in reading) return { kind: 'unknown' };
  // 0: the browser did not say (a page from cache, or an engine without the field).
  if (!Number.isInteger(reading.status) || reading.status < 100) return { kind: 'unknown' };
  return reading.status >= 400 ? { kind: 'error-page', status: reading.status } : { kind: 'landed' };
}

/** The message Chromium gives when a script is sent to a frame showing its own error page. */
export function isErrorPageFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /showing error page/i.test(message);
}

/** How a launch that opened a tab is audited, or the failure the clinician is shown instead. */
export type LaunchOutcome = { outcome: 'ok'; code?: 'retried-once' } | { outcome: 'sent'; code: typeof OUTCOME_NOT_VISIBLE } | { failure: LaunchError };

/**
 * `ok` only when the partner's page was seen to load; `sent` when where the tab landed could not be seen; a
 * failure, in words for the clinician (never the address), when it landed on an error page of the partner or
 * of the browser.
 */
export function launchOutcome(partnerLabel: string, landing: Landing, retried: boolean): LaunchOutcome {
  switch (landing.kind) {
    case 'landed':
      return retried ? { outcome: 'ok', code: 'retried-once' } : { outcome: 'ok' };
    case 'error-page':
      return {
        failure: new LaunchError(
          `landing-http-${landing.status}`,
          `${partnerLabel} refused the launch: its page answered with an error (HTTP ${landing.status}), so the patient is not open there. Try again; if it keeps happening, tell your IT service desk.`,
          ['launchLandingRefused', partnerLabel],
        ),
      };
    case 'unreachable':
      return {
        failure: new LaunchError(
          'partner-unreachable',
          `${partnerLabel} could not be reached: the browser shows that the site cannot be reached, so the patient is not open there. Check the network connection; if it keeps happening, tell your IT service desk.`,
          ['launchLandingUnreachable', partnerLabel],
        ),
      };
    // A second refusal is the caller's to report (it knows a retry was made); one alone is not a landing seen.
    case 'refused':
    case 'closed':
    case 'unknown':
      return { outcome: 'sent', code: OUTCOME_NOT_VISIBLE };
  }
}
