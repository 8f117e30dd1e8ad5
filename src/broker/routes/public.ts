import type { FastifyInstance } from 'fastify';
import type { BrokerContext } from '../server';

/** Unauthenticated: the signing keys partners fetch, health for load balancers, and Prometheus metrics. */
export function publicRoutes(app: FastifyInstance, ctx: BrokerContext): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return ctx.keys.jwks();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await ctx.store.ping();
      return { status: 'ready' };
    } catch {
      reply.code(503);
      return { status: 'not-ready', reason: 'database' };
    }
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    const pages = await Promise.all([ctx.metrics.registry, ...ctx.moreMetrics].map((registry) => registry.metrics()));
    return pages.join('\n');
  });
}
