/**
 * Audit forwarding against a real HTTP endpoint on 127.0.0.1 that records what it receives, with the store's
 * outbox in PGlite. The clock is injected: a retry after the 30-second pause is a clock moved on, not a wait.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sandboxBrokerEnv } from '../../tests/sandbox/broker-config';
import { describeOnLoopback } from '../../tests/sandbox/test-kit';
import { JWK_THUMBPRINT_SYSTEM, NHS_NUMBER_SYSTEM } from '../shared/audit';
import { auditEndpoint, auditEntry } from './broker-test-fixtures';
import { BROKER_AUDIT_OBSERVER, createAuditForwarder, retryDelay, type AuditForwarderOptions } from './audit-forwarder';
import { createAuditForwardMetrics } from './metrics';
import { startBroker } from './start';
import { openStore, type BrokerStore } from './store/store';

/** A port nothing listens on. */
async function closedPort(): Promise<string> {
  const gone = await auditEndpoint();
  await gone.close();
  return gone.url;
}

const TOKEN = `forward-${randomBytes(12).toString('base64url')}`;

const entry = (overrides: Parameters<typeof auditEntry>[0] = {}) =>
  auditEntry({ identity: { verified: true, issuer: 'https://cis2.example.test', subject: '555000000101', role: 'R8000' }, installation: 'jkt-ward-7', ...overrides });

// One PGlite for the file (it takes seconds to start); each test starts with an empty outbox.
let store: BrokerStore;
beforeAll(async () => {
  store = await openStore({ forwardAudit: true });
}, 60_000);
afterAll(async () => {
  await store.close();
});

describe('audit forwarder', { timeout: 30_000 }, () => {
  let clock: number;
  let logs: string[];
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    clock = Date.parse('2026-01-01T00:00:00Z');
    logs = [];
    await store.forwardBatch(10_000, async (entries) => entries.map((e) => e.id));
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  const forwarder = (url: string, extra: Partial<AuditForwarderOptions> = {}) => {
    const created = createAuditForwarder({
      store,
      url,
      token: TOKEN,
      now: () => clock,
      log: {
        info: (fields, message) => logs.push(JSON.stringify({ level: 'info', ...fields, message })),
        warn: (fields, message) => logs.push(JSON.stringify({ level: 'warn', ...fields, message })),
      },
      ...extra,
    });
    closers.push(() => created.stop());
    return created;
  };
  const serve = async (answer?: (n: number) => number | 'hang') => {
    const server = await auditEndpoint(answer);
    closers.push(server.close);
    return server;
  };
  /** Nothing secret or clinical in any log line. */
  const expectCleanLogs = () => {
    for (const line of logs) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain('9434765919');
      expect(line).not.toContain('endpoint-answer-body');
      expect(line).not.toContain('127.0.0.1');
    }
  };

  it('POSTs each entry as one FHIR AuditEvent, with the bearer token, oldest first, and empties the outbox', async () => {
    const server = await serve();
    const ok = await store.appendAudit(entry());
    const refused = await store.appendAudit(entry({ outcome: 'refused', code: 'identity-incomplete', nhsNumber: '9990000018' }));
    const metrics = createAuditForwardMetrics(() => store.outboxSize());
    const sender = forwarder(server.url, { metrics });
    await sender.forwardNow();

    expect(server.received).toHaveLength(2);
    for (const { headers } of server.received) {
      expect(headers['content-type']).toBe('application/fhir+json');
      expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    }
    const [first, second] = server.received.map((r) => r.event);
    expect(first).toMatchObject({
      resourceType: 'AuditEvent',
      id: ok.id,
      type: { code: '110110' },
      action: 'E',
      outcome: '0',
      recorded: '2025-03-04T05:06:07.089Z',
      agent: [
        { who: { identifier: { system: 'https://cis2.example.test', value: '555000000101' } }, role: [{ coding: [{ code: 'R8000' }] }], requestor: true },
        { who: { display: 'black-pear' }, requestor: false },
        { type: { coding: [{ code: '110153' }] }, who: { type: 'Device', identifier: { system: JWK_THUMBPRINT_SYSTEM, value: 'jkt-ward-7' } }, requestor: false },
      ],
      source: { observer: { display: BROKER_AUDIT_OBSERVER } },
      entity: [{ what: { identifier: { system: NHS_NUMBER_SYSTEM, value: '9434765919' } } }],
    });
    expect(second).toMatchObject({ id: refused.id, outcome: '4', outcomeDesc: 'identity-incomplete', entity: [{ what: { identifier: { value: '9990000018' } } }] });
    expect(await store.outboxSize()).toBe(0);
    expect(sender.status()).toMatchObject({ forwarded: 2, dropped: 0, failures: 0, nextAt: null });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/broker_audit_forwarded_total 2/);
    expect(text).toMatch(/broker_audit_forward_backlog 0/);
    // Nothing more to send: another round posts nothing.
    await sender.forwardNow();
    expect(server.received).toHaveLength(2);
    expectCleanLogs();
  });

  it('sends no Authorization header without a token', async () => {
    const server = await serve();
    await store.appendAudit(entry());
    await forwarder(server.url, { token: '' }).forwardNow();
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.headers.authorization).toBeUndefined();
  });

  it('pauses on 503 and delivers once after the retry; the entries behind it wait in order', async () => {
    const server = await serve((n) => (n === 1 ? 503 : 200));
    const a = await store.appendAudit(entry());
    const b = await store.appendAudit(entry({ ms: 2 }));
    const sender = forwarder(server.url);
    await sender.forwardNow();
    expect(server.received.map((r) => r.event.id)).toEqual([a.id]);
    expect(await store.outboxSize()).toBe(2);
    expect(sender.status()).toMatchObject({ failures: 1, nextAt: clock + 30_000, lastProblem: 'the endpoint answered HTTP 503' });
    expect(logs.at(-1)).toMatch(/"level":"warn".*"problem":"the endpoint answered HTTP 503".*"retryInSeconds":30.*audit forwarding paused/);

    // Still paused: nothing is sent before the 30 seconds are up.
    clock += 29_000;
    await sender.forwardNow();
    expect(server.received).toHaveLength(1);
    clock += 1_000;
    await sender.forwardNow();
    expect(server.received.map((r) => r.event.id)).toEqual([a.id, a.id, b.id]);
    expect(await store.outboxSize()).toBe(0);
    expect(sender.status()).toMatchObject({ failures: 0, nextAt: null, forwarded: 2 });
    expect(logs.at(-1)).toMatch(/audit forwarding resumed/);
    expectCleanLogs();
  });

  it('retries after 408 and 429 too, backing off 30 s, 1, 2, 4 minutes … up to an hour', async () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000]);
    const server = await serve((n) => (n === 1 ? 408 : n === 2 ? 429 : 204));
    await store.appendAudit(entry());
    const sender = forwarder(server.url);
    await sender.forwardNow();
    expect(sender.status()).toMatchObject({ failures: 1, nextAt: clock + 30_000 });
    clock += 30_000;
    await sender.forwardNow();
    expect(sender.status()).toMatchObject({ failures: 2, nextAt: clock + 60_000, lastProblem: 'the endpoint answered HTTP 429' });
    clock += 60_000;
    await sender.forwardNow();
    expect(sender.status()).toMatchObject({ failures: 0, forwarded: 1 });
    expect(server.received).toHaveLength(3);
  });

  it('drops an entry refused with 400, logging the status only, never retries it, and goes on with the next', async () => {
    const server = await serve((n) => (n === 1 ? 400 : 200));
    const metrics = createAuditForwardMetrics(() => store.outboxSize());
    const bad = await store.appendAudit(entry());
    const good = await store.appendAudit(entry({ ms: 3 }));
    const sender = forwarder(server.url, { metrics });
    await sender.forwardNow();
    expect(server.received.map((r) => r.event.id)).toEqual([bad.id, good.id]);
    expect(await store.outboxSize()).toBe(0);
    expect(sender.status()).toMatchObject({ dropped: 1, forwarded: 1, failures: 0, nextAt: null, lastProblem: 'the endpoint refused an event with HTTP 400' });
    const warnings = logs.filter((line) => line.includes('"warn"'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toEqual({ level: 'warn', status: 400, message: 'audit forwarding: the endpoint refused an audit event, which is dropped' });
    expect(await metrics.registry.metrics()).toMatch(/broker_audit_forward_dropped_total 1/);
    await sender.forwardNow();
    expect(server.received).toHaveLength(2);
    expectCleanLogs();
  });

  it("pauses on 401 and 403 (the broker's token, not the entry) and keeps the entries until the endpoint takes them", async () => {
    const server = await serve((n) => (n === 1 ? 401 : n === 2 ? 403 : 200));
    const kept = await store.appendAudit(entry());
    const sender = forwarder(server.url);
    await sender.forwardNow();
    expect(sender.status()).toMatchObject({ failures: 1, dropped: 0, lastProblem: "the endpoint refused the broker's credentials (HTTP 401)" });
    expect(await store.outboxSize()).toBe(1);
    clock += 30_000;
    await sender.forwardNow();
    expect(sender.status()).toMatchObject({ failures: 2, dropped: 0, lastProblem: "the endpoint refused the broker's credentials (HTTP 403)" });
    clock += 60_000;
    await sender.forwardNow();
    expect(server.received.map((r) => r.event.id)).toEqual([kept.id, kept.id, kept.id]);
    expect(sender.status()).toMatchObject({ failures: 0, forwarded: 1, dropped: 0 });
    expect(await store.outboxSize()).toBe(0);
    expectCleanLogs();
  });

  it('keeps entries in the outbox while the endpoint is unreachable', async () => {
    const url = await closedPort();
    await store.appendAudit(entry());
    const sender = forwarder(url);
    await sender.forwardNow();
    expect(await store.outboxSize()).toBe(1);
    expect(sender.status()).toMatchObject({ failures: 1, lastProblem: 'the endpoint could not be reached', forwarded: 0, dropped: 0 });
    clock += 30_000;
    await sender.forwardNow();
    expect(sender.status()).toMatchObject({ failures: 2, nextAt: clock + 60_000 });
    expect(await store.outboxSize()).toBe(1);
    expectCleanLogs();
  });

  it('gives up on a POST after its time limit and keeps the entry; does not follow a redirect', async () => {
    const hanging = await serve(() => 'hang');
    await store.appendAudit(entry());
    const slow = forwarder(hanging.url, { timeoutMs: 100 });
    await slow.forwardNow();
    expect(hanging.received).toHaveLength(1);
    expect(slow.status()).toMatchObject({ failures: 1, lastProblem: 'the endpoint could not be reached' });
    expect(await store.outboxSize()).toBe(1);

    const redirecting = await serve(() => 307);
    const moved = forwarder(redirecting.url);
    await moved.forwardNow();
    expect(moved.status()).toMatchObject({ failures: 1, lastProblem: 'the endpoint answered HTTP 307 (redirects are not followed)' });
    expect(await store.outboxSize()).toBe(1);
  });

  it('runs by itself once started, soon after a nudge, and stop() cuts a POST short, keeping its entry', async () => {
    let hang = false;
    const server = await serve(() => (hang ? 'hang' : 200));
    const sender = forwarder(server.url, { now: Date.now, intervalMs: 60_000, nudgeMs: 10 });
    await store.appendAudit(entry());
    sender.start();
    await vi.waitFor(() => expect(server.received).toHaveLength(1), { timeout: 5_000 });
    // The next interval is a minute away: only the nudge brings this one out.
    await store.appendAudit(entry({ ms: 5 }));
    sender.nudge();
    await vi.waitFor(() => expect(server.received).toHaveLength(2), { timeout: 5_000 });
    await vi.waitFor(async () => expect(await store.outboxSize()).toBe(0), { timeout: 5_000 });

    hang = true;
    await store.appendAudit(entry({ ms: 6 }));
    sender.nudge();
    await vi.waitFor(() => expect(server.received).toHaveLength(3), { timeout: 5_000 });
    const stopping = Date.now();
    await sender.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    expect(await store.outboxSize()).toBe(1);
    // Stopping is not the endpoint failing.
    expect(sender.status()).toMatchObject({ failures: 0, nextAt: null });
    sender.nudge();
    await sender.forwardNow();
    expect(server.received).toHaveLength(3);
  });
});

// The endpoint here is http://127.0.0.1, which only the sandbox build's address rules accept.
describeOnLoopback('broker start with BROKER_AUDIT_FORWARD_URL', () => {
  it('forwards what is queued, adds its metrics to /metrics, and stops with the broker', async () => {
    const server = await auditEndpoint();
    const dir = await mkdtemp(join(tmpdir(), 'broker-forward-'));
    try {
      const kept = await openStore({ dataDir: dir, forwardAudit: true });
      const { id } = await kept.appendAudit(entry());
      await kept.close();
      const urls = Object.fromEntries(['ehr', 'parchment-api', 'parchment-portal', 'phpkb', 'black-pear', 'nhs-login', 'nhs-login-rp2', 'pkb', 'ehr-banner', 'org-idp'].map((name) => [name, `https://${name}.example.test`])) as Parameters<typeof sandboxBrokerEnv>[0];
      const broker = await startBroker(
        { ...sandboxBrokerEnv(urls), BROKER_DATA_DIR: dir, BROKER_KEK: randomBytes(32).toString('base64url'), BROKER_AUDIT_FORWARD_URL: server.url, BROKER_AUDIT_FORWARD_TOKEN: TOKEN, BROKER_LOG_LEVEL: 'silent' },
        { exitOnSignal: false },
      );
      try {
        await vi.waitFor(() => expect(server.received.map((r) => r.event.id)).toEqual([id]), { timeout: 10_000 });
        expect(server.received[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
        await vi.waitFor(async () => expect(await (await fetch(`${broker.url}/metrics`)).text()).toMatch(/broker_audit_forwarded_total 1\n[\s\S]*broker_audit_forward_backlog 0/), { timeout: 5_000 });
        const page = await (await fetch(`${broker.url}/metrics`)).text();
        expect(page).toMatch(/# TYPE broker_launches_total counter/);
      } finally {
        await broker.stop();
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
