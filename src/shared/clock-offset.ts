/**
 * Partners reject tokens from a skewed desktop clock. A partner's HTTP Date header tells us its time to the
 * second; the offset is partner time minus local time at the middle of the request. Differences within the
 * header's one-second resolution (plus a little) are treated as none.
 */

const NOISE_MS = 2000;

export function clockOffsetFromDate(dateHeader: string | null, sentAtMs: number, receivedAtMs: number): number | null {
  if (!dateHeader) return null;
  const partnerMs = Date.parse(dateHeader);
  if (!Number.isFinite(partnerMs)) return null;
  const offset = partnerMs - (sentAtMs + receivedAtMs) / 2;
  return Math.abs(offset) <= NOISE_MS ? 0 : Math.round(offset);
}
