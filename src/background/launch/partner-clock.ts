import { browser } from '../../shared/browser-api';
import { clockOffsetFromDate } from '../../shared/clock-offset';
import { matchPatternFor } from '../../shared/host-access';
import { LaunchError } from '../../shared/launch-error';

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

/** What the clock needs from the browser; tests pass their own. */
export interface PartnerClockDeps {
  fetch: typeof fetch;
  load(key: string): Promise<unknown>;
  save(key: string, value: Measured): Promise<void>;
  /** Whether the extension may call the origin (without it a probe fails the same way as an unreachable host). */
  hasHostAccess(origin: string): Promise<boolean>;
}

const browserDeps: PartnerClockDeps = {
  fetch: (...args) => globalThis.fetch(...args),
  load: async (key) => (await browser.storage.session.get(key))[key],
  save: (key, value) => browser.storage.session.set({ [key]: value }),
  hasHostAccess: (origin) => browser.permissions.contains({ origins: [matchPatternFor(origin)] }),
};

const key = (origin: string) => `clock:${origin}`;

function asMeasured(raw: unknown): Measured | undefined {
  const value = raw as Partial<Measured> | undefined;
  return value && typeof value.offsetMs === 'number' && typeof value.measuredAt === 'number' ? { offsetMs: value.offsetMs, measuredAt: value.measuredAt } : undefined;
}

/** The offset, null when the partner answered without a usable Date, or 'unreachable' when it did not answer. */
async function probe(url: string, deps: PartnerClockDeps): Promise<number | null | 'unreachable'> {
  const sentAt = Date.now();
  try {
    const response = await deps.fetch(url, { method: 'HEAD', redirect: 'manual', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return clockOffsetFromDate(response.headers.get('date'), sentAt, Date.now());
  } catch (error) {
    // A slow answer is not proof the partner is down: the launch goes on without an offset, as before.
    if (error instanceof DOMException && error.name === 'TimeoutError') return null;
    return 'unreachable';
  }
}

/**
 * A clock for one partner: local time plus the partner's measured offset (none when it cannot be measured).
 * Refuses the launch when the probe cannot reach the partner at all: the launch would land on the browser's
 * "site can't be reached" page, so nothing is opened and the clinician is told why.
 */
export async function partnerClock(probeUrl: string, partnerLabel: string, deps: PartnerClockDeps = browserDeps): Promise<() => number> {
  const origin = new URL(probeUrl).origin;
  let measured = asMeasured(await deps.load(key(origin)));
  if (!measured || Date.now() - measured.measuredAt > STALE_MS) {
    const offsetMs = await probe(probeUrl, deps);
    if (offsetMs === 'unreachable') {
      if (await deps.hasHostAccess(origin)) {
        throw new LaunchError(
          'partner-unreachable',
          `${partnerLabel} cannot be reached from this computer, so nothing was opened. Check the network connection and try again; if it keeps happening, tell your IT service desk.`,
          ['launchClockUnreachable', partnerLabel],
        );
      }
    } else if (offsetMs !== null) {
      measured = { offsetMs, measuredAt: Date.now() };
      await deps.save(key(origin), measured);
    }
  }
  const offsetMs = measured?.offsetMs ?? 0;
  return () => Date.now() + offsetMs;
}
