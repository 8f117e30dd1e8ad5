import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FhirAuditEvent } from '../../shared/audit';
import { openAuditDb } from './audit-db';
import { createAuditForwarder, FIRST_RETRY_MS, MAX_RETRY_MS, retryDelay } from './audit-forward';

const ENDPOINT = 'https://audit.example-trust.nhs.uk/fhir/AuditEvent';
const event = (id: string) => ({ resourceType: 'AuditEvent', id }) as FhirAuditEvent;

/** A forwarder over an in-memory IndexedDB, a hand-moved clock and a scripted endpoint. */
function rig(answers: (number | 'down')[] = [], cap?: number) {
  let now = 1_000_000;
  const posted: { endpoint: string; id: string }[] = [];
  const wakes: (number | null)[] = [];
  const script = [...answers];
  const forwarder = createAuditForwarder({
    db: openAuditDb(),
    now: () => now,
    post: async (endpoint, body) => {
      const answer = script.shift() ?? 201;
      if (answer === 'down') throw new TypeError('Failed to fetch');
      if (answer >= 200 && answer < 300) posted.push({ endpoint, id: (JSON.parse(body) as FhirAuditEvent).id });
      return answer;
    },
    wake: (at) => void wakes.push(at),
    ...(cap ? { cap } : {}),
  });
  return { forwarder, posted, wakes, advance: (ms: number) => (now += ms), now: () => now };
}

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});

describe('audit forwarding queue', () => {
  it('backs off exponentially from 30 s up to an hour', () => {
    expect([1, 2, 3, 4].map(retryDelay)).toEqual([FIRST_RETRY_MS, 2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS, 8 * FIRST_RETRY_MS]);
    expect(retryDelay(30)).toBe(MAX_RETRY_MS);
  });

  it('sends queued events in order as FHIR and empties the outbox', async () => {
    const { forwarder, posted, wakes } = rig();
    await forwarder.enqueue(event('a'));
    await forwarder.enqueue(event('b'));
    const status = await forwarder.flush(ENDPOINT);
    expect(posted).toEqual([{ endpoint: ENDPOINT, id: 'a' }, { endpoint: ENDPOINT, id: 'b' }]);
    expect(status).toMatchObject({ pending: 0, failures: 0, nextAt: null });
    expect(wakes.at(-1)).toBeNull();
  });

  it('keeps events while the endpoint is down, retries after the backoff, then sends them all', async () => {
    const { forwarder, posted, wakes, advance, now } = rig(['down', 503]);
    await forwarder.enqueue(event('a'));
    await forwarder.enqueue(event('b'));

    let status = await forwarder.flush(ENDPOINT);
    expect(status).toMatchObject({ pending: 2, failures: 1, lastError: 'the endpoint could not be reached' });
    expect(wakes.at(-1)).toBe(now() + FIRST_RETRY_MS);

    // Too early: nothing is sent, the wake-up stays.
    advance(FIRST_RETRY_MS - 1);
    status = await forwarder.flush(ENDPOINT);
    expect(posted).toEqual([]);
    expect(status.failures).toBe(1);

    advance(1);
    status = await forwarder.flush(ENDPOINT);
    expect(status).toMatchObject({ pending: 2, failures: 2, lastError: 'the endpoint answered HTTP 503' });
    expect(wakes.at(-1)).toBe(now() + 2 * FIRST_RETRY_MS);

    advance(2 * FIRST_RETRY_MS);
    status = await forwarder.flush(ENDPOINT);
    expect(posted.map((p) => p.id)).toEqual(['a', 'b']);
    expect(status).toMatchObject({ pending: 0, failures: 0, nextAt: null });
  });

  it('survives the worker being stopped: a new forwarder over the same database sends what was queued', async () => {
    const first = rig(['down']);
    await first.forwarder.enqueue(event('a'));
    await first.forwarder.flush(ENDPOINT);
    const second = rig([]);
    second.advance(FIRST_RETRY_MS);
    const status = await second.forwarder.flush(ENDPOINT);
    expect(second.posted.map((p) => p.id)).toEqual(['a']);
    expect(status.pending).toBe(0);
  });

  it('drops an event the endpoint refuses for good (4xx) and goes on with the next', async () => {
    const { forwarder, posted } = rig([400, 201]);
    await forwarder.enqueue(event('bad'));
    await forwarder.enqueue(event('good'));
    const status = await forwarder.flush(ENDPOINT);
    expect(posted.map((p) => p.id)).toEqual(['good']);
    expect(status).toMatchObject({ pending: 0, rejected: 1, lastError: 'the endpoint refused an event with HTTP 400' });
  });

  it('retries 429 and 408 like an outage', async () => {
    const { forwarder } = rig([429]);
    await forwarder.enqueue(event('a'));
    expect(await forwarder.flush(ENDPOINT)).toMatchObject({ pending: 1, failures: 1 });
  });

  it('caps the outbox, dropping the oldest and counting them', async () => {
    const { forwarder, posted } = rig([], 2);
    for (const id of ['a', 'b', 'c']) await forwarder.enqueue(event(id));
    const status = await forwarder.flush(ENDPOINT);
    expect(posted.map((p) => p.id)).toEqual(['b', 'c']);
    expect(status.dropped).toBe(1);
  });

  it('sends nothing and sets no wake-up while forwarding is off; resetBackoff tries a new endpoint at once', async () => {
    const { forwarder, posted, wakes } = rig(['down']);
    await forwarder.enqueue(event('a'));
    expect(await forwarder.flush(null)).toMatchObject({ pending: 1 });
    expect(wakes).toEqual([null]);
    await forwarder.flush(ENDPOINT);
    await forwarder.resetBackoff();
    await forwarder.flush('https://new.example-trust.nhs.uk/AuditEvent');
    expect(posted).toEqual([{ endpoint: 'https://new.example-trust.nhs.uk/AuditEvent', id: 'a' }]);
  });

  it('flushes one at a time: overlapping flushes do not send an event twice', async () => {
    const { forwarder, posted } = rig();
    for (const id of ['a', 'b', 'c']) await forwarder.enqueue(event(id));
    await Promise.all([forwarder.flush(ENDPOINT), forwarder.flush(ENDPOINT), forwarder.flush(ENDPOINT)]);
    expect(posted.map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });
});
