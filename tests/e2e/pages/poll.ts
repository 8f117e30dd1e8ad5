/**
 * How often the page objects look again while waiting for a state (the bar's accessibility tree, a row's
 * buttons, a place that must stay still): often enough to see a change soon after it happens, rarely enough
 * that reading the whole accessibility tree over CDP does not load a busy machine.
 */
export const POLL_MS = [100];
