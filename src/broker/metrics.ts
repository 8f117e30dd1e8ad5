import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics for /metrics: one registry per broker instance (tests build several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    launches: new Counter({ name: 'broker_launches_total', help: 'Launch requests by partner and outcome', labelNames: ['partner', 'outcome'] as const, registers: [registry] }),
    launchSeconds: new Histogram({
      name: 'broker_launch_duration_seconds',
      help: 'Time to answer a launch request, partner calls included',
      labelNames: ['partner'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    authFailures: new Counter({ name: 'broker_auth_failures_total', help: 'Requests refused at authentication, by code', labelNames: ['code'] as const, registers: [registry] }),
  };
}
export type BrokerMetrics = ReturnType<typeof createMetrics>;

/**
 * Audit forwarding's metrics, in a registry of their own: the forwarder runs beside the server (start.ts), which
 * gives this registry to the server (moreMetrics) to serve on /metrics after its own. `backlog` asks the store when scraped.
 */
export function createAuditForwardMetrics(outboxSize: () => Promise<number>) {
  const registry = new Registry();
  return {
    registry,
    forwarded: new Counter({ name: 'broker_audit_forwarded_total', help: 'Audit events the endpoint stored (2xx)', registers: [registry] }),
    dropped: new Counter({ name: 'broker_audit_forward_dropped_total', help: 'Audit events dropped because the endpoint refused them for good (4xx other than 408 and 429)', registers: [registry] }),
    failures: new Counter({ name: 'broker_audit_forward_failures_total', help: 'Forwarding attempts that paused the queue: endpoint unreachable, 5xx, 408, 429 or a redirect', registers: [registry] }),
    backlog: new Gauge({
      name: 'broker_audit_forward_backlog',
      help: 'Audit events waiting to be forwarded (all instances: the queue is in the database)',
      registers: [registry],
      async collect() {
        // A scrape while the database is down shows no value rather than failing the whole page.
        const size = await outboxSize().catch(() => undefined);
        if (size === undefined) this.reset();
        else this.set(size);
      },
    }),
  };
}
export type AuditForwardMetrics = ReturnType<typeof createAuditForwardMetrics>;
