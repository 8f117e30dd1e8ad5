/**
 * The hostile launch-bar pages (tests/sandbox/demo-ehr-hostile-bar.ts) and what the bar must answer each with,
 * shared by the Chromium specs (hostile-bar.spec.ts, hostile-globals.spec.ts) and Firefox's
 * (tests/firefox/hostile.spec.ts), so both browsers face the same cases.
 */

/** The bar's refusals, in its own words. */
export const REFUSAL = Object.freeze({
  DISTORTED: /changing how the launch bar looks/,
  PARTLY_HIDDEN: /partly hidden or off screen/,
  UNSETTLED: /only just appeared or moved/,
  DOUBLE_CLICK: /double-click does not launch/,
  POINTER: /changes the mouse pointer/,
  COVERED: /covering the launch bar/,
  FADED: /nearly invisible/,
});
const { DISTORTED, PARTLY_HIDDEN, COVERED, FADED } = REFUSAL;

export const anyOf = (...patterns: RegExp[]) => new RegExp(patterns.map((p) => p.source).join('|'));

export interface RefusedCase {
  kind: string;
  what: string;
  refusal: RegExp;
}

/** Attacks from issue 17 where a plain click on John's button must be refused. */
export const REFUSED_ATTACKS: readonly RefusedCase[] = [
  { kind: 'zoom', what: 'zoom: 0.25 on body makes the bar unreadably small', refusal: anyOf(DISTORTED, PARTLY_HIDDEN, COVERED) },
  { kind: 'mask', what: 'a mask on body fades out the top half of the bar, where it names the patient', refusal: anyOf(DISTORTED, PARTLY_HIDDEN, COVERED) },
];

/** The red team's attacks the bar withstood before issue 17: a plain click must be refused. */
export const WITHSTOOD_ATTACKS: readonly RefusedCase[] = [
  { kind: 'transform', what: 'transform: scale(0.5) on body', refusal: anyOf(DISTORTED, PARTLY_HIDDEN, COVERED) },
  { kind: 'filter', what: 'filter: blur(3px) on body', refusal: anyOf(FADED, DISTORTED, COVERED) },
  { kind: 'blend', what: 'a block with mix-blend-mode: difference over the bar', refusal: anyOf(COVERED, FADED, DISTORTED) },
  { kind: 'half-overlay', what: 'a 50 % opaque block over the bar that lets clicks through', refusal: COVERED },
  { kind: 'patched-apis', what: 'page script patches elementFromPoint, getComputedStyle and IntersectionObserver, then paints over the bar', refusal: COVERED },
];

/** The other patient's line the clip pages show through the gap. */
export const FAKE_LINE = "For Zoë O'Brien-Smith · NHS 999 123 4578";

/** Elements named after the extension's globals (hostile-globals.spec.ts), planted at the top of the body. */
export const PLANTED_GLOBALS = '<form id="browser" hidden><input name="runtime" id="planted-id"><input name="i18n"></form><div id="chrome" hidden></div>';
