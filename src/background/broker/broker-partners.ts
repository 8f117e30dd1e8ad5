import { browser } from '../../shared/browser-api';
import type { Config } from '../../shared/config';
import { goesViaBroker } from '../../shared/config';
import { storageKeys } from '../storage/storage-keys';
import { brokerCredentials } from './broker-credentials';
import { brokerReady } from './broker-health';
import { fetchBrokerPartners, type ListedPartner } from './broker-partners-client';
import { createListedPartnerCache } from './listed-partner-cache';

/** A minute: long enough for a popup, its options page and a few launches; short enough to follow the broker. */
const LIST_TTL_MS = 60_000;
/** The list is a convenience before a launch: a broker slow to give it must not hold the launch long. */
const LIST_TIMEOUT_MS = 3_000;

const cache = createListedPartnerCache({ ttlMs: LIST_TTL_MS, now: Date.now });

// Any change to the sign-in (sign-out, another clinician, a renewed token) drops the list: it was that sign-in's.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'session' && Object.hasOwn(changes, storageKeys.orgIdentity.key)) cache.clear();
});

/**
 * The partners the broker says the signed-in clinician may launch, or null when that is not known (nobody
 * signed in, no key yet, the broker not answering or answering something else). Null never refuses anything.
 */
export async function listedPartners(brokerUrl: string, signal?: AbortSignal): Promise<ListedPartner[] | null> {
  const credentials = await brokerCredentials();
  if (!credentials.ok) return null;
  const { identity } = credentials.record;
  const key = JSON.stringify([brokerUrl, identity.issuer, identity.subject]);
  try {
    return await cache.get(key, () =>
      fetchBrokerPartners({
        brokerUrl,
        accessToken: credentials.accessToken,
        dpop: credentials.dpop,
        fetch: (...args) => globalThis.fetch(...args),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(LIST_TIMEOUT_MS)]) : AbortSignal.timeout(LIST_TIMEOUT_MS),
        now: Date.now,
      }),
    );
  } catch {
    return null;
  }
}

/** The popup's and options page's view of the broker: where, which partners go through it, health, and its list. */
export async function brokerStatus(config: Config) {
  if (!config.broker) return null;
  const url = config.broker.url;
  const [ready, listed] = await Promise.all([brokerReady(url), listedPartners(url)]);
  return {
    url,
    partners: config.partners.filter((p) => goesViaBroker(config, p)).map((p) => p.id),
    ready,
    /** Ids and labels the broker lists for this clinician; null when not known. */
    listed: listed?.map(({ id, label }) => ({ id, label })) ?? null,
  };
}
