/**
 * Forwarding of the broker's audit trail to the organisation's endpoint (BROKER_AUDIT_FORWARD_URL), as the
 * extension forwards its own: each entry POSTed as one FHIR R4 AuditEvent (application/fhir+json), its id the
 * entry's id so the endpoint can recognise a repeat. Entries wait in the database's outbox (store.forwardBatch),
 * shared by every instance; an entry leaves it once the endpoint has answered for it, so a crash in between sends
 * it again (at least once).
 *
 * 2xx: stored. Unreachable, timed out, 5xx, 408, 429 (or a redirect, which is not followed: the token must not
 * go elsewhere): the endpoint is down for every entry, so forwarding pauses, retrying after 30 s, then 1, 2, 4 …
 * minutes up to an hour; so do 401 and 403, which refuse the broker's token rather than the entry (the extension
 * drops on those). Any other 4xx refuses that entry for good: it is dropped, counted and logged by status.
 * Logs never hold the token, an entry's content or the endpoint's answer.
 */
import { auditEventFor, type AuditSource } from '../shared/audit';
import type { AuditForwardMetrics } from './metrics';
import type { AuditBatchEntry, BrokerStore } from './store/store';

/** The AuditEvent's source.observer, as `broker:admin audit --fhir` writes it. */
export const BROKER_AUDIT_OBSERVER = 'EHR Launchpad launch broker';
/** The broker's AuditEvent source: a server, not the clinician's device. */
export const BROKER_AUDIT_SOURCE: AuditSource = { observer: BROKER_AUDIT_OBSERVER, kind: 'application-server' };
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 60 * 60_000;

/** 30 s, 1 min, 2 min, … up to an hour: the extension's schedule. */
export function retryDelay(failures: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
}

/** The part of pino's logger used here. */
export interface ForwarderLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface AuditForwarderOptions {
  store: Pick<BrokerStore, 'forwardBatch'>;
  url: string;
  token?: string;
  log: ForwarderLog;
  metrics?: AuditForwardMetrics;
  fetch?: typeof fetch;
  now?: () => number;
  /** Time between rounds (default 5 s). */
  intervalMs?: number;
  /** Delay of the round a launch's audit entry asks for (default 250 ms): entries go out soon, a burst in one round. */
  nudgeMs?: number;
  /** Entries per batch (default 50). */
  batchSize?: number;
  /** Each POST's time limit (default 10 s). */
  timeoutMs?: number;
  /**
   * A round takes no further entry after this long (default 30 s): a slow endpoint must not keep one batch's rows
   * (and a database connection) for many minutes.
   */
  roundBudgetMs?: number;
}

export interface ForwarderStatus {
  /** Failures in a row (0 when the last try went through). */
  failures: number;
  /** When forwarding resumes after a failure (epoch ms), or null when not paused. */
  nextAt: number | null;
  lastProblem: string | null;
  /** Since this process started. */
  forwarded: number;
  dropped: number;
}

export interface AuditForwarder {
  /** Starts the rounds (the first one at once). */
  start(): void;
  /** Asks for a round soon (an entry was just audited); ignored while paused after a failure. */
  nudge(): void;
  /** One round now (after any round under way); respects the pause after a failure. */
  forwardNow(): Promise<void>;
  status(): ForwarderStatus;
  /** Stops the rounds, cutting short a POST in flight; resolves once the round under way has given its batch back. */
  stop(): Promise<void>;
}

type Answer = { kind: 'stored' } | { kind: 'dropped'; status: number } | { kind: 'retry'; problem: string };

export function createAuditForwarder(options: AuditForwarderOptions): AuditForwarder {
  const fetchImpl = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5_000;
  const nudgeMs = options.nudgeMs ?? 250;
  const batchSize = options.batchSize ?? 50;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const roundBudgetMs = options.roundBudgetMs ?? 30_000;
  const headers: Record<string, string> = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  const state: ForwarderStatus = { failures: 0, nextAt: null, lastProblem: null, forwarded: 0, dropped: 0 };
  const stopping = new AbortController();
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Infinity;
  // Rounds run one at a time: two at once in one process would only contend for the same rows.
  let chain: Promise<void> = Promise.resolve();

  async function post(entry: AuditBatchEntry): Promise<Answer> {
    let status: number;
    try {
      const response = await fetchImpl(options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(auditEventFor(entry, BROKER_AUDIT_SOURCE)),
        redirect: 'manual',
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
      });
      status = response.status;
      // The answer's body is never read (nor logged); cancelling it frees the connection.
      await response.body?.cancel().catch(() => undefined);
    } catch {
      return { kind: 'retry', problem: 'the endpoint could not be reached' };
    }
    if (status >= 200 && status < 300) return { kind: 'stored' };
    if (status >= 500 || status === 408 || status === 429) return { kind: 'retry', problem: `the endpoint answered HTTP ${status}` };
    // The broker's own credentials, not this event: dropping would empty the queue until someone fixed the token.
    if (status === 401 || status === 403) return { kind: 'retry', problem: `the endpoint refused the broker's credentials (HTTP ${status})` };
    if (status >= 400) return { kind: 'dropped', status };
    return { kind: 'retry', problem: `the endpoint answered HTTP ${status} (redirects are not followed)` };
  }

  async function round(): Promise<void> {
    if (stopping.signal.aborted) return;
    if (state.nextAt !== null && now() < state.nextAt) return;
    const began = now();
    for (;;) {
      const outcome: { problem: string | null; done: number } = { problem: null, done: 0 };
      let taken: number;
      try {
        ({ taken } = await options.store.forwardBatch(batchSize, async (entries) => {
          const done: string[] = [];
          for (const entry of entries) {
            if (stopping.signal.aborted || now() - began > roundBudgetMs) break;
            const answer = await post(entry);
            if (answer.kind === 'retry') {
              // A POST cut short by stop() says nothing about the endpoint.
              if (!stopping.signal.aborted) outcome.problem = answer.problem;
              break;
            }
            done.push(entry.id);
            if (answer.kind === 'stored') {
              state.forwarded += 1;
              options.metrics?.forwarded.inc();
            } else {
              state.dropped += 1;
              state.lastProblem = `the endpoint refused an event with HTTP ${answer.status}`;
              options.metrics?.dropped.inc();
              options.log.warn({ status: answer.status }, 'audit forwarding: the endpoint refused an audit event, which is dropped');
            }
          }
          outcome.done = done.length;
          return done;
        }));
      } catch (error) {
        // The database, not the endpoint: the next round tries again, without the endpoint's backoff.
        options.log.warn({ errorName: error instanceof Error ? error.name : typeof error }, 'audit forwarding: the queue could not be read or cleared');
        return;
      }
      if (outcome.problem !== null) {
        state.failures += 1;
        state.nextAt = now() + retryDelay(state.failures);
        state.lastProblem = outcome.problem;
        options.metrics?.failures.inc();
        options.log.warn({ problem: outcome.problem, failures: state.failures, retryInSeconds: Math.round(retryDelay(state.failures) / 1000) }, 'audit forwarding paused');
        return;
      }
      if (state.failures > 0) {
        options.log.info({ after: state.failures }, 'audit forwarding resumed');
        state.failures = 0;
        state.nextAt = null;
      }
      if (stopping.signal.aborted) return;
      if (now() - began > roundBudgetMs) {
        // More may be waiting: continue soon in a new round rather than hold this one.
        if (taken === batchSize || outcome.done < taken) schedule(0);
        return;
      }
      if (taken < batchSize) return;
    }
  }

  function forwardNow(): Promise<void> {
    // A fault here (a logger throwing) must not end every later round.
    chain = chain.then(round).catch(() => undefined);
    return chain;
  }

  function schedule(delayMs: number) {
    if (!started || stopping.signal.aborted) return;
    const at = now() + delayMs;
    if (timer !== undefined && dueAt <= at) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Infinity;
      void forwardNow().finally(() => schedule(intervalMs));
    }, delayMs);
    // Rounds never keep the process alive: stop() or the process ending ends them.
    timer.unref();
  }

  return {
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    nudge() {
      if (state.nextAt === null) schedule(nudgeMs);
    },
    forwardNow,
    status: () => ({ ...state }),
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      timer = undefined;
      await chain;
    },
  };
}
