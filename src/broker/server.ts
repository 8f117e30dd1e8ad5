import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Registry } from 'prom-client';
import { connectorFor } from '../connectors/registry';
import { resolveProvider } from '../shared/identity/idp-config';
import { createTokenVerifier, type TokenVerifier } from './auth/access-token';
import { BrokerAuthError } from './auth/errors';
import { FailedChecks } from './auth/failed-checks';
import type { CallerCheck } from './caller';
import { createKeyRing, type KeyRing } from './keys/key-ring';
import { brokerLogDestination } from './log-destination';
import { createMetrics, type BrokerMetrics } from './metrics';
import { partnerHttp } from './partner-http';
import { BrokerProblem } from './problem';
import { launchRoutes } from './routes/launch';
import { publicRoutes } from './routes/public';
import { SettingsError, type BrokerSettings } from './settings';
import type { BrokerStore } from './store/store';

export interface BrokerDeps {
  settings: BrokerSettings;
  store: BrokerStore;
  fetch?: typeof fetch;
  now?: () => number;
  /** Where log lines go (tests capture them); stdout otherwise, buffered (./log-destination). */
  logStream?: DestinationStream;
  /** Shared verifier (tests inject one); made from the settings otherwise. */
  verifier?: TokenVerifier;
  /** Registries of what runs beside the server (audit forwarding), served on /metrics after its own. */
  moreMetrics?: Registry[];
}

/** What the routes share. */
export interface BrokerContext {
  settings: BrokerSettings;
  store: BrokerStore;
  /** The connectors' fetch for partner calls (./partner-http unless a test gives one). */
  fetch: typeof fetch;
  now: () => number;
  keys: KeyRing;
  metrics: BrokerMetrics;
  moreMetrics: Registry[];
  callerCheck: CallerCheck;
}

/** Bodies are small JSON: a launch request is well under 2 KB. */
const BODY_LIMIT = 16 * 1024;
/** How often an instance checks its signing keys for a successor due or a predecessor to retire. */
const KEY_UPKEEP_MS = 3_600_000;

export async function buildBroker(deps: BrokerDeps): Promise<FastifyInstance> {
  const { settings, store } = deps;
  const fetchImpl = deps.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const now = deps.now ?? Date.now;
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // Only method, path, status and timing are logged: never headers (tokens, proofs) or bodies (patients).
    logger: {
      level: settings.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.dpop', 'req.headers.cookie'], censor: '[redacted]' },
      stream: deps.logStream ?? brokerLogDestination(),
    },
    // X-Forwarded-For only from a proxy the operator names (BROKER_TRUST_PROXY): otherwise a client could choose
    // the address the per-address limit counts.
    trustProxy: settings.trustProxy,
    // One line per request, when it is answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.addHook('onResponse', (request, reply, done) => {
    // The route's pattern, not the raw URL: no query string (nothing secret is sent in one, but nothing can leak).
    request.log.info({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request answered');
    done();
  });
  const metrics = createMetrics();
  const keys = createKeyRing({ store, kek: settings.kek, ...(settings.previousKek ? { previousKek: settings.previousKek } : {}), now, rotateAfterDays: settings.document.keys.rotateAfterDays, overlapHours: settings.document.keys.overlapHours });
  const verifier =
    deps.verifier ??
    createTokenVerifier({
      provider: settings.document.identity.provider,
      ...(settings.document.identity.audience ? { audience: settings.document.identity.audience } : {}),
      fetch: fetchImpl,
      now,
    });
  const ctx: BrokerContext = {
    settings,
    store,
    fetch: deps.fetch ?? partnerHttp,
    now,
    keys,
    metrics,
    moreMetrics: deps.moreMetrics ?? [],
    callerCheck: {
      store,
      verifier,
      // Resolved once here: every request maps its claims with it.
      provider: resolveProvider(settings.document.identity.provider),
      // Read at each request: a broker listening on a port picked at start learns its URL after listen.
      get publicUrl() {
        return settings.publicUrl;
      },
      enrolment: settings.document.enrolment,
      limits: settings.document.rateLimits,
      failedChecks: new FailedChecks(),
      now,
    },
  };

  // A coarse per-address limit in each instance's memory, in front of everything (the shared limits above are
  // the ones that hold across instances).
  await app.register(rateLimit, { max: 1200, timeWindow: '1 minute', errorResponseBuilder: (_req, context) => ({ statusCode: 429, code: 'rate_limited', message: `Too many requests: try again in ${context.after}.` }) });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof BrokerAuthError) {
      metrics.authFailures.inc({ code: error.code });
      if (error.status === 401) reply.header('www-authenticate', `DPoP algs="ES256 RS256", error="${error.code === 'invalid_dpop_proof' ? 'invalid_dpop_proof' : 'invalid_token'}"`);
      return reply.code(error.status).send({ code: error.code, message: error.message });
    }
    if (error instanceof BrokerProblem) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.status).send({ code: error.code, message: error.message });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return reply.code(413).send({ code: 'too_large', message: 'The request is too large.' });
    if (status === 429) return reply.code(429).send({ code: 'rate_limited', message: 'Too many requests. Wait a moment and try again.' });
    if (status && status >= 400 && status < 500) return reply.code(status).send({ code: 'bad_request', message: 'The request is not valid.' });
    // Only the kind of error: its message could quote partner data.
    request.log.error({ errorName: error instanceof Error ? error.name : typeof error }, 'unexpected error');
    return reply.code(500).send({ code: 'internal', message: 'The launch broker failed, so nothing was opened. Try again; if it keeps happening, tell your IT service desk.' });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'not_found', message: 'There is nothing here.' }));

  // Keys for every partner that signs, made (or rotated) now: the JWKS is ready to enrol before the first launch.
  const signingAlgs = settings.document.partners.flatMap((partner) => {
    const signingAlg = connectorFor(partner.kind)?.signingAlg;
    return signingAlg ? [signingAlg(partner as never)] : [];
  });
  for (const alg of new Set(signingAlgs)) {
    try {
      await keys.signer(alg);
    } catch {
      throw new SettingsError(
        settings.previousKek
          ? 'The signing keys in the database cannot be opened with this BROKER_KEK or BROKER_KEK_PREVIOUS (neither is the key they were sealed under).'
          : 'The signing keys in the database cannot be opened with this BROKER_KEK (it was changed, or not set when they were made).',
      );
    }
  }

  // A successor key is published ahead of its first signature even when nobody launches (nights, weekends).
  if (signingAlgs.length > 0) {
    const upkeep = setInterval(() => void keys.maintain(signingAlgs).catch((error: unknown) => app.log.warn({ errorName: error instanceof Error ? error.name : typeof error }, 'signing key upkeep failed')), KEY_UPKEEP_MS);
    upkeep.unref();
    app.addHook('onClose', async () => clearInterval(upkeep));
  }

  publicRoutes(app, ctx);
  launchRoutes(app, ctx);
  return app;
}
