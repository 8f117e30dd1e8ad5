/**
 * What the browser this build runs in cannot do that the extension would otherwise rely on. Said where it
 * matters (Diagnostics, the screen-lock setting) and in docs/security.md and docs/clinical-safety.md.
 */
export type BrowserLimit =
  /** Firefox's `idle` never reports `locked`: sign-out on screen lock cannot fire (idle sign-out still does). */
  | 'screen-lock'
  /** No IntersectionObserver v2 in Firefox: no browser verdict on whether the bar was covered at the click. */
  | 'visibility-verdict';

const FIREFOX_BUILD = typeof __FIREFOX_BUILD__ !== 'undefined' && __FIREFOX_BUILD__;

export function browserLimits(firefox = FIREFOX_BUILD): BrowserLimit[] {
  return firefox ? ['screen-lock', 'visibility-verdict'] : [];
}
