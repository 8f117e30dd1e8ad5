import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
