import type { FhirAuditEvent } from '../../shared/audit';
import { addCapped, queueTx, readMeta, updateMeta, type AuditDb, type OutboxMeta } from './audit-db';
import { inTransaction } from '../storage/idb';

/**
 * Forwarding of audit events to the organisation's endpoint: each AuditEvent is POSTed as
 * application/fhir+json. Events wait in a persistent outbox (IndexedDB), so they survive the service worker
 * being stopped; a failure backs off exponentially for the whole queue (the endpoint is down for everyone),
 * and the caller is told when to wake up again (an alarm: timers die with the worker). An event leaves the
 * outbox only after the endpoint answered, so a worker stopped in between sends it again (at least once;
 * the event's id lets the endpoint see the repeat).
 */

export const OUTBOX_CAP = 10_000;
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60_000;
const POST_TIMEOUT_MS = 10_000;

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
  db: AuditDb;
  now(): number;
  /** One POST; answers the HTTP status or throws on a network failure. */
  post(endpoint: string, body: string): Promise<number>;
  /** Asks to be woken at this time (epoch ms) for a retry, or never (null). */
  wake(at: number | null): void | Promise<void>;
  cap?: number;
}

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
  // Flushes (and backoff resets) run one at a time: two overlapping flushes would send an event twice.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run);
    queue = next.catch(() => undefined);
    return next;
  };

  async function readStatus(): Promise<OutboxStatus> {
    const tx = queueTx(await deps.db(), 'outbox', 'readonly');
    const [meta, pending] = await inTransaction(tx, () => Promise.all([readMeta(tx, 'outbox'), tx.objectStore('outbox').count()]));
    return statusOf(meta, pending);
  }

  async function changeMeta(change: (meta: OutboxMeta) => void, removeKey?: number): Promise<OutboxStatus> {
    const tx = queueTx(await deps.db(), 'outbox', 'readwrite');
    const [meta, pending] = await inTransaction(tx, async () => {
      if (removeKey !== undefined) await tx.objectStore('outbox').delete(removeKey);
      return Promise.all([updateMeta(tx, 'outbox', change), tx.objectStore('outbox').count()]);
    });
    return statusOf(meta, pending);
  }

  async function oldest(): Promise<{ key: number; body: string } | undefined> {
    const tx = queueTx(await deps.db(), 'outbox', 'readonly');
    return inTransaction(tx, async () => {
      const first = await tx.objectStore('outbox').openCursor();
      return first ? { key: first.key, body: first.value } : undefined;
    });
  }

  async function flushNow(endpoint: string | null): Promise<OutboxStatus> {
    const status = await readStatus();
    if (!endpoint) {
      await deps.wake(null);
      return status;
    }
    if (status.nextAt !== null && deps.now() < status.nextAt) {
      await deps.wake(status.nextAt);
      return status;
    }
    for (let event = await oldest(); event; event = await oldest()) {
      let answer: number | null;
      try {
        answer = await deps.post(endpoint, event.body);
      } catch {
        answer = null;
      }
      if (answer === null || retryable(answer)) {
        const failed = await changeMeta((meta) => {
          meta.failures += 1;
          meta.nextAt = deps.now() + retryDelay(meta.failures);
          meta.lastError = answer === null ? 'the endpoint could not be reached' : `the endpoint answered HTTP ${answer}`;
        });
        await deps.wake(failed.nextAt);
        return failed;
      }
      const sent = answer >= 200 && answer < 300;
      await changeMeta((meta) => {
        if (sent) {
          meta.lastSentAt = deps.now();
        } else {
          meta.rejected += 1;
          meta.lastError = `the endpoint refused an event with HTTP ${answer}`;
        }
      }, event.key);
    }
    const done = await changeMeta((meta) => {
      meta.failures = 0;
      meta.nextAt = 0;
    });
    await deps.wake(null);
    return done;
  }

  return {
    /** Puts one event in the outbox (dropping the oldest when full); the caller flushes. */
    async enqueue(event: FhirAuditEvent): Promise<void> {
      const tx = queueTx(await deps.db(), 'outbox', 'readwrite');
      await inTransaction(tx, () => addCapped(tx, 'outbox', JSON.stringify(event), cap));
    },

    /** Sends what is due, in order; stops at the first failure worth retrying and asks to be woken for it. */
    flush(endpoint: string | null): Promise<OutboxStatus> {
      return serial(() => flushNow(endpoint));
    },

    /** After the endpoint changed: try at once rather than wait out the old endpoint's backoff. */
    resetBackoff(): Promise<void> {
      return serial(async () => {
        await changeMeta((meta) => {
          meta.failures = 0;
          meta.nextAt = 0;
        });
      });
    },

    status(): Promise<OutboxStatus> {
      return readStatus();
    },
  };
}

function statusOf(meta: OutboxMeta, pending: number): OutboxStatus {
  return {
    pending,
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
