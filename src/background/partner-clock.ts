import browser from 'webextension-polyfill';
import { clockOffsetFromDate } from '../shared/clock-offset';

/**
 * Each partner's clock as seen from this desktop: an offset measured from the partner's Date header, kept in
 * storage.session and measured again after ten minutes. Used for the iat/nbf/exp of signed tokens, so a
 * desktop whose clock is wrong still launches once the offset is known.
 */

const STALE_MS = 10 * 60_000;
const PROBE_TIMEOUT_MS = 3000;

interface Measured {
  offsetMs: number;
  measuredAt: number;
}

const key = (origin: string) => `clock:${origin}`;

async function stored(origin: string): Promise<Measured | undefined> {
  const raw = (await browser.storage.session.get(key(origin)))[key(origin)] as Measured | undefined;
  return raw && typeof raw.offsetMs === 'number' && typeof raw.measuredAt === 'number' ? raw : undefined;
}

async function probe(url: string): Promise<number | null> {
  const sentAt = Date.now();
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return clockOffsetFromDate(response.headers.get('date'), sentAt, Date.now());
  } catch {
    return null;
  }
}

/** A clock for one partner: local time plus the partner's measured offset (none when it cannot be measured). */
export async function partnerClock(probeUrl: string): Promise<() => number> {
  const origin = new URL(probeUrl).origin;
  let measured = await stored(origin);
  if (!measured || Date.now() - measured.measuredAt > STALE_MS) {
    const offsetMs = await probe(probeUrl);
    if (offsetMs !== null) {
      measured = { offsetMs, measuredAt: Date.now() };
      await browser.storage.session.set({ [key(origin)]: measured });
    }
  }
  const offsetMs = measured?.offsetMs ?? 0;
  return () => Date.now() + offsetMs;
}
