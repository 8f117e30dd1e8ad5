import type { Connector } from '../../connectors/connector';
import type { PartnerConfig } from '../../shared/config';
import type { Wording } from '../../shared/launch-error';
import type { PatientContext } from '../../shared/patient';
import { accessTokenSource } from '../pairing/pairings';

/**
 * Per-patient notes for launch buttons (PKB: data from other organisations), asked of the partner once per
 * patient and clinician and reused for the partner's configured time. Memory only; an answer that fails is
 * simply no note.
 */

const HINT_TIMEOUT_MS = 8_000;
const FAILED_LOOKUP_SECONDS = 30;
interface Cached {
  /** The note in _locales (the bar words it where it is drawn). */
  hint: Wording | undefined;
  until: number;
}
const cache = new Map<string, Cached>();
const pending = new Map<string, Promise<Wording | undefined>>();

const keyOf = (partnerId: string, clinician: string, nhsNumber: string) => `${partnerId}/${clinician}/${nhsNumber}`;

function cacheSeconds(partner: PartnerConfig): number {
  return 'dataFromOtherOrgCacheSeconds' in partner ? partner.dataFromOtherOrgCacheSeconds : 300;
}

/** The cached note, if there is one that has not expired (undefined also when there is no note). */
export function cachedHint(partnerId: string, clinician: string, nhsNumber: string): { hint: Wording | undefined } | undefined {
  const hit = cache.get(keyOf(partnerId, clinician, nhsNumber));
  return hit && hit.until > Date.now() ? { hint: hit.hint } : undefined;
}

export function lookUpHint(partner: PartnerConfig, connector: Connector<unknown>, clinician: string, patient: PatientContext): Promise<Wording | undefined> {
  const key = keyOf(partner.id, clinician, patient.nhsNumber);
  const hit = cachedHint(partner.id, clinician, patient.nhsNumber);
  if (hit) return Promise.resolve(hit.hint);
  const running = pending.get(key);
  if (running) return running;
  const signal = AbortSignal.timeout(HINT_TIMEOUT_MS);
  const accessToken = accessTokenSource(partner, connector, clinician, signal);
  if (!connector.patientHint || !accessToken) return Promise.resolve(undefined);
  const lookup = connector
    .patientHint({ config: partner, patient, fetch: (...args) => globalThis.fetch(...args), signal, accessToken })
    .then(
      (hint) => ({ hint, seconds: cacheSeconds(partner) }),
      // A failed lookup is asked again soon, not after the full caching time.
      () => ({ hint: undefined, seconds: Math.min(FAILED_LOOKUP_SECONDS, cacheSeconds(partner)) }),
    )
    .then(({ hint, seconds }) => {
      cache.set(key, { hint, until: Date.now() + seconds * 1000 });
      return hint;
    })
    .finally(() => pending.delete(key));
  pending.set(key, lookup);
  return lookup;
}

export function clearHints(): void {
  cache.clear();
}
