import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../shared/audit';
import { connectorFor } from '../../connectors/registry';
import { DEFAULT_IDENTITY, resolveProvider } from '../../shared/identity/idp-config';
import { clinicianForPartner } from '../../shared/identity/partner-identity';
import { isLaunchError } from '../../shared/launch-error';
import { withTimeout } from '../../connectors/partner-fetch';
import type { LaunchAnswer } from '../../shared/broker/broker-api';
import { instructionUrl, isAllowedLaunchUrl } from '../../shared/launch-instruction';
import type { PartnerConfig } from '../../shared/config';
import { profileForPartner } from '../auth/access-token';
import { authenticate, storeCall, type Caller } from '../caller';
import { launchRequestSchema } from '../launch-request';
import { nodeSha256 } from '../node-sha256';
import { BrokerProblem } from '../problem';
import type { BrokerContext } from '../server';

/**
 * How long one launch may take here, its authentication included, whatever the provider and the partner do: well
 * inside the extension's own 25 s, so the answer (and its audit entry) is one the extension is still waiting for.
 */
const LAUNCH_TIMEOUT_MS = 20_000;
/** The launch's only limit is its own deadline: nothing else aborts it (a client that goes away still gets audited). */
const NEVER_ABORTED = new AbortController().signal;

export function launchRoutes(app: FastifyInstance, ctx: BrokerContext): void {
  const provider = resolveProvider(ctx.settings.document.identity.provider);
  // The broker acts only for a verified clinician: identity is always required here.
  const identitySettings = { ...DEFAULT_IDENTITY, required: true };

  function clinicianFor(caller: Caller, partner: PartnerConfig) {
    const connector = connectorFor(partner.kind)!;
    const who = clinicianForPartner({
      partner,
      sends: connector.identityFields?.(partner) ?? [],
      typed: null,
      identity: caller.clinician.identity,
      settings: identitySettings,
      provider,
    });
    if (!who.ok) return who;
    return { ok: true as const, profile: profileForPartner(caller.clinician, provider, partner) };
  }

  app.get('/v1/partners', async (request) => {
    const caller = await authenticate(request, ctx.callerCheck);
    return ctx.settings.document.partners.filter((partner) => clinicianFor(caller, partner).ok).map((partner) => ({ id: partner.id, label: partner.label, kind: partner.kind }));
  });

  app.post('/v1/launch', async (request) => {
    const started = performance.now();
    const caller = await authenticate(request, ctx.callerCheck);
    const parsed = launchRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new BrokerProblem(400, 'bad_request', `The launch request is not valid (${first ? `${first.path.join('.')}: ${first.message}` : 'body'}).`);
    }
    const { partnerId, patient } = parsed.data;
    const partner = ctx.settings.document.partners.find((p) => p.id === partnerId);
    const connector = partner && connectorFor(partner.kind);
    if (!partner || !connector) throw new BrokerProblem(404, 'unknown_partner', 'The launch broker does not launch this partner. Tell your IT service desk.');

    const { clinician } = caller;
    const audit = (outcome: AuditEntry['outcome'], code?: string) =>
      ctx.store.appendAudit({
        time: new Date(ctx.now()).toISOString(),
        event: 'launch',
        clinician: clinician.fields.username ?? clinician.subject,
        partnerId,
        nhsNumber: patient.nhsNumber,
        outcome,
        ...(code ? { code } : {}),
        ms: Math.round(performance.now() - started),
        identity: { verified: true, issuer: clinician.issuer, subject: clinician.subject, ...(clinician.role ? { role: clinician.role.id } : {}) },
        installation: caller.installation,
      });
    const done = (outcome: string) => {
      ctx.metrics.launches.inc({ partner: partnerId, outcome });
      ctx.metrics.launchSeconds.observe({ partner: partnerId }, (performance.now() - started) / 1000);
    };

    const who = clinicianFor(caller, partner);
    if (!who.ok) {
      await audit('refused', who.problem.code).catch(() => undefined);
      done('refused');
      throw new BrokerProblem(403, who.problem.code, who.problem.message);
    }
    // What the sign-in check and the database took comes out of the partner's time; with none left, the partner
    // is not asked (and not blamed).
    const left = LAUNCH_TIMEOUT_MS - (performance.now() - started);
    if (left <= 0) {
      await audit('error', 'broker-timeout').catch(() => undefined);
      done('error');
      throw new BrokerProblem(503, 'broker_timeout', 'The launch broker took too long to check your sign-in, so nothing was opened. Try again.');
    }
    // The keys are read from the database: a database that does not answer is said as such.
    const signer = connector.signingAlg ? await storeCall(() => ctx.keys.signer(connector.signingAlg!(partner))) : undefined;
    let output;
    try {
      output = await withTimeout(NEVER_ABORTED, left, (signal) =>
        connector.buildLaunch({
          config: partner,
          secrets: ctx.settings.secrets[partner.id] ?? {},
          clinician: who.profile,
          patient: { nhsNumber: patient.nhsNumber, name: patient.name, ...(patient.birthDate ? { birthDate: patient.birthDate } : {}) },
          fetch: ctx.fetch,
          signal,
          now: ctx.now,
          sha256: nodeSha256,
          ...(signer ? { signer } : {}),
        }),
      );
    } catch (error) {
      const code = isLaunchError(error) ? error.code : 'internal';
      await audit('error', code).catch(() => undefined);
      done('error');
      // A connector's LaunchError is written for the clinician and never holds a secret; anything else is not shown.
      if (isLaunchError(error)) throw new BrokerProblem(502, code, error.message);
      throw error;
    }
    if (!isAllowedLaunchUrl(instructionUrl(output.instruction), connector.launchOrigins(partner))) {
      await audit('error', 'launch-origin-refused').catch(() => undefined);
      done('error');
      throw new BrokerProblem(502, 'launch-origin-refused', 'The partner answered with an address that is not on the allowed list, so nothing was opened. Tell your IT service desk.');
    }
    // No audit, no launch: an instruction is only handed out once its record is durable.
    try {
      await audit('ok');
    } catch {
      done('audit-failed');
      throw new BrokerProblem(503, 'audit_unavailable', 'The launch broker cannot record launches just now, so nothing was opened. Try again shortly; if it keeps happening, tell your IT service desk.');
    }
    done('ok');
    const answer: LaunchAnswer = { instruction: output.instruction, ...(output.notice ? { notice: output.notice } : {}), ...(output.expiresAt ? { expiresAt: output.expiresAt } : {}) };
    return answer;
  });
}
