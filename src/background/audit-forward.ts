import type { FhirAuditEvent } from '../shared/audit';
import type { IdbStore } from './idb';

/**
 * Forwarding of audit events to the organisation's endpoint: each AuditEvent is POSTed as
 * application/fhir+json. Events wait in a persistent outbox (IndexedDB), so they survive the service worker
 * being stopped; a failure backs off exponentially for the whole queue (the endpoint is down for everyone),
 * and the caller is told when to wake up again (an alarm: timers die with the worker).
 */

export const OUTBOX_CAP = 10_000;
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60_000;
const POST_TIMEOUT_MS = 10_000;

interface OutboxMeta {
  next: number;
  oldest: number;
  /** Events lost because the outbox was full, or refused for good by the endpoint. */
  dropped: number;
  rejected: number;
  /** Consecutive failed attempts, and when the next may run (epoch ms). */
  failures: number;
  nextAt: number;
  lastError: string | null;
  lastSentAt: number | null;
}

export interface OutboxStatus {
  pending: number;
  dropped: number;
  rejected: number;
  failures: number;
  nextAt: number | null;
  lastError: string | null;
  lastSentAt: number | null;
}

export interface ForwarderDeps {
  outbox: IdbStore;
  meta: IdbStore;
  now(): number;
  /** One POST; answers the HTTP status or throws on a network failure. */
  post(endpoint: string, body: string): Promise<number>;
  /** Asks to be woken at this time (epoch ms) for a retry, or never (null). */
  wake(at: number | null): void | Promise<void>;
  cap?: number;
}

const META_KEY = 'outbox';
const keyOf = (seq: number) => String(seq).padStart(12, '0');

/** 30 s, 1 min, 2 min, … up to an hour. */
export function retryDelay(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
}

/** Statuses worth trying again later; any other refusal will not change by retrying. */
function retryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

export function createAuditForwarder(deps: ForwarderDeps) {
  const cap = deps.cap ?? OUTBOX_CAP;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  };
  const readMeta = async (): Promise<OutboxMeta> =>
    (await deps.meta.get<OutboxMeta>(META_KEY)) ?? { next: 0, oldest: 0, dropped: 0, rejected: 0, failures: 0, nextAt: 0, lastError: null, lastSentAt: null };

  async function flushNow(endpoint: string | null): Promise<OutboxStatus> {
    const meta = await readMeta();
    if (!endpoint) {
      await deps.wake(null);
      return statusOf(meta);
    }
    const now = deps.now();
    if (meta.failures > 0 && now < meta.nextAt) {
      await deps.wake(meta.nextAt);
      return statusOf(meta);
    }
    while (meta.oldest < meta.next) {
      const key = keyOf(meta.oldest);
      const body = await deps.outbox.get<string>(key);
      if (body !== undefined) {
        let status: number | null;
        try {
          status = await deps.post(endpoint, body);
        } catch {
          status = null;
        }
        if (status === null || retryable(status)) {
          meta.failures += 1;
          meta.nextAt = deps.now() + retryDelay(meta.failures);
          meta.lastError = status === null ? 'the endpoint could not be reached' : `the endpoint answered HTTP ${status}`;
          await deps.meta.put(META_KEY, meta);
          await deps.wake(meta.nextAt);
          return statusOf(meta);
        }
        if (status >= 200 && status < 300) {
          meta.lastSentAt = deps.now();
        } else {
          meta.rejected += 1;
          meta.lastError = `the endpoint refused an event with HTTP ${status}`;
        }
        await deps.outbox.delete(key);
      }
      meta.oldest += 1;
      await deps.meta.put(META_KEY, meta);
    }
    meta.failures = 0;
    meta.nextAt = 0;
    await deps.meta.put(META_KEY, meta);
    await deps.wake(null);
    return statusOf(meta);
  }

  return {
    /** Puts one event in the outbox (dropping the oldest when full); the caller flushes. */
    enqueue(event: FhirAuditEvent): Promise<void> {
      return serial(async () => {
        const meta = await readMeta();
        await deps.outbox.put(keyOf(meta.next), JSON.stringify(event));
        meta.next += 1;
        while (meta.next - meta.oldest > cap) {
          await deps.outbox.delete(keyOf(meta.oldest));
          meta.oldest += 1;
          meta.dropped += 1;
        }
        await deps.meta.put(META_KEY, meta);
      });
    },

    /** Sends what is due, in order; stops at the first failure worth retrying and asks to be woken for it. */
    flush(endpoint: string | null): Promise<OutboxStatus> {
      return serial(() => flushNow(endpoint));
    },

    /** After the endpoint changed: try at once rather than wait out the old endpoint's backoff. */
    resetBackoff(): Promise<void> {
      return serial(async () => {
        const meta = await readMeta();
        meta.failures = 0;
        meta.nextAt = 0;
        await deps.meta.put(META_KEY, meta);
      });
    },

    status(): Promise<OutboxStatus> {
      return serial(async () => statusOf(await readMeta()));
    },
  };
}

function statusOf(meta: OutboxMeta): OutboxStatus {
  return {
    pending: meta.next - meta.oldest,
    dropped: meta.dropped,
    rejected: meta.rejected,
    failures: meta.failures,
    nextAt: meta.failures > 0 ? meta.nextAt : null,
    lastError: meta.lastError,
    lastSentAt: meta.lastSentAt,
  };
}

/** The real POST: FHIR JSON, no cookies, no cache. */
export async function postAuditEvent(endpoint: string, body: string): Promise<number> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
    body,
    credentials: 'omit',
    cache: 'no-store',
    signal: AbortSignal.timeout(POST_TIMEOUT_MS),
  });
  return response.status;
}
