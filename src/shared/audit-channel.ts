/**
 * "The audit trail changed", from the background to extension pages showing it (the options page). A
 * BroadcastChannel is per origin, so only our own extension pages and worker share it: content scripts run on
 * the EHR's origin and cannot join. It carries no entry: a listener reads the trail through the background, and
 * treats whatever arrives only as a cue to read again.
 */
export const AUDIT_CHANNEL = 'ehr-launchpad-audit';

export function announceAuditChange(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(AUDIT_CHANNEL);
  channel.postMessage('changed');
  // Messages already posted are still delivered; a channel left open would keep a test process alive.
  channel.close();
}
