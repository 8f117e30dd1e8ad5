import { z } from 'zod';
import { LaunchError } from '../shared/launch-error';
import type { MessageKey } from '../shared/message-key';
import { isAllowedLaunchUrl } from '../shared/launch-instruction';
import type { Connector, LaunchInput, LaunchOutput } from './connector';
import { partnerBaseFields } from './partner-base';
import { partnerFetch, readErrorBody, readJson, sleep, withTimeout } from './partner-fetch';
import { originSchema, partnerUrlSchema } from '../shared/url-policy';

/**
 * Parchment (prescribing): a partner-to-Parchment call `POST <api>/v1/sso` with the partner's and the
 * organisation's credentials in headers answers a redirect_url, valid five minutes and used once, that signs
 * the user in to the portal and lands on `redirect_path`.
 */

const NAME = 'Parchment';
const SSO_PATH = '/v1/sso';
const parchmentPatientId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a Parchment patient id');

export const parchmentConfigSchema = z.strictObject({
  kind: z.literal('parchment'),
  ...partnerBaseFields,
  /** The API base, e.g. https://api.parchmenthealth.io/external: the connector posts to `<apiBaseUrl>/v1/sso`. */
  apiBaseUrl: partnerUrlSchema.refine((url) => !url.toLowerCase().endsWith(SSO_PATH), {
    // The guide's full endpoint pasted here would post to /v1/sso/v1/sso and fail at every launch.
    message: `ends in ${SSO_PATH}, which EHR Launchpad adds itself: give the API base without it (like https://api.parchmenthealth.io/external)`,
  }),
  /** The portal the redirect_url must point at, e.g. https://portal.parchment.health. */
  portalOrigin: originSchema,
  partnerId: z.string().trim().min(1).max(200),
  organizationId: z.string().trim().min(1).max(200),
  /** Where the launch lands for a patient Parchment knows. */
  target: z.enum(['dashboard', 'patient', 'prescriptions']).default('prescriptions'),
  /** Use the /embed/ pages (no navigation chrome), for display inside an iframe. */
  embed: z.boolean().default(false),
  /** Parchment's own patient ids, keyed by NHS number: Parchment does not look patients up by NHS number. */
  patientIds: z.record(z.string().regex(/^[0-9]{10}$/, 'keys must be 10-digit NHS numbers'), parchmentPatientId).default({}),
  timeoutMs: z.number().int().min(1000).max(25_000).default(15_000),
});
export type ParchmentConfig = z.infer<typeof parchmentConfigSchema>;

const successSchema = z.object({
  success: z.literal(true),
  data: z.object({
    sso_token: z.string().min(1),
    redirect_url: z.string().min(1),
    expires_in: z.number().positive(),
  }),
});

/** The problem type Parchment answers, with 404, for an x-user-id it does not know. */
const USER_NOT_FOUND = 'user-not-found';

const problemSchema = z.object({
  success: z.literal(false),
  error: z.object({ type: z.string().optional(), title: z.string().optional(), detail: z.string().optional() }),
});

export interface ParchmentLanding {
  path: string;
  /** Set when the patient has no Parchment id and the launch goes to the dashboard instead. */
  notice?: string;
}

/** The note for a patient Parchment has no id for, in _locales (the bar shows it before the click, too). */
export const PARCHMENT_DASHBOARD_NOTE = 'launchParchmentDashboard' satisfies MessageKey;

/** The redirect_path for this patient: always a single leading '/', built only from validated ids. */
export function parchmentRedirectPath(config: ParchmentConfig, nhsNumber: string): ParchmentLanding {
  const root = config.embed ? '/embed' : '/dashboard';
  const patientId = Object.hasOwn(config.patientIds, nhsNumber) ? config.patientIds[nhsNumber] : undefined;
  if (!patientId || config.target === 'dashboard') {
    const path = config.embed ? '/embed/dashboard' : '/dashboard';
    return patientId
      ? { path }
      : { path, notice: 'This patient is not linked to a Parchment record, so Parchment opened at the dashboard.' };
  }
  const patientPath = `${root}/patients/${encodeURIComponent(patientId)}`;
  return { path: config.target === 'prescriptions' ? `${patientPath}/prescriptions` : patientPath };
}

/** The last segment of the problem's type URI, e.g. `user-not-found` for https://parchment.health/errors/user-not-found. */
function problemKind(type: string | undefined): string | undefined {
  return type?.replace(/\/+$/, '').split('/').pop()?.toLowerCase();
}

function userAdvice(status: number): LaunchError {
  return new LaunchError(
    `parchment-${status}`,
    'Parchment refused to sign you in. Check your Parchment user id in your clinician profile; if it comes from your organisation sign-in, tell your IT service desk.',
    ['launchParchmentUser'],
  );
}

/**
 * Our own words for each answer Parchment documents (by status and problem type). The problem's title and
 * detail are the partner's text (a gateway or a fault can put anything there), so none of it is shown.
 */
function problemMessage(status: number, body: unknown, retryAfter: string | null): LaunchError {
  const problem = problemSchema.safeParse(body);
  if (status === 429) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds > 0) {
      const wait = String(Math.ceil(seconds));
      return new LaunchError('parchment-429', `Parchment is busy. Try again in ${wait} seconds.`, ['launchPartnerBusyFor', NAME, wait]);
    }
    return new LaunchError('parchment-429', 'Parchment is busy. Try again in a moment.', ['launchPartnerBusy', NAME]);
  }
  if (status === 401) {
    return new LaunchError('parchment-401', "Parchment did not accept this organisation's credentials. Tell your IT service desk.", ['launchParchmentCredentials']);
  }
  if (status === 403) return userAdvice(status);
  if (status === 404 && problem.success && problemKind(problem.data.error.type) === USER_NOT_FOUND) return userAdvice(status);
  if (status === 404) {
    // Any other 404 means the request went to an address with no SSO endpoint: the configuration is at fault.
    return new LaunchError('parchment-404', 'Parchment has no sign-in service at the configured address. Tell your IT service desk.', ['launchParchmentNoService']);
  }
  if (status === 400) {
    return new LaunchError('parchment-400', 'Parchment rejected the request, so nothing was opened. Try again; if it keeps happening, tell your IT service desk.', ['launchParchmentRejected']);
  }
  if (status >= 500) {
    return new LaunchError(`parchment-${status}`, 'Parchment is not available right now. Try again shortly.', ['launchPartnerUnavailable', NAME]);
  }
  return new LaunchError(`parchment-${status}`, 'Parchment answered with an error, so nothing was opened. Try again; if it keeps happening, tell your IT service desk.', ['launchPartnerError', NAME]);
}

/** Waits for Retry-After once, when it is short enough to be worth it. */
const MAX_RETRY_WAIT_MS = 3000;

async function requestSso(input: LaunchInput<ParchmentConfig>, path: string, signal: AbortSignal): Promise<Response> {
  const { config, secrets, clinician } = input;
  const init: RequestInit = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-partner-id': config.partnerId,
      'x-partner-secret': secrets.partnerSecret ?? '',
      'x-organization-id': config.organizationId,
      'x-organization-secret': secrets.organizationSecret ?? '',
      'x-user-id': clinician.parchmentUserId ?? '',
    },
    body: JSON.stringify({ redirect_path: path }),
    signal,
  };
  const url = `${config.apiBaseUrl}${SSO_PATH}`;
  const first = await partnerFetch(input.fetch, NAME, url, init);
  if (first.status !== 429) return first;
  const waitMs = Number(first.headers.get('retry-after')) * 1000;
  if (!Number.isFinite(waitMs) || waitMs <= 0 || waitMs > MAX_RETRY_WAIT_MS) return first;
  await first.body?.cancel();
  await sleep(waitMs, signal, NAME);
  return partnerFetch(input.fetch, NAME, url, init);
}

export const parchmentConnector: Connector<ParchmentConfig> = {
  kind: 'parchment',
  displayName: NAME,
  configSchema: parchmentConfigSchema,
  secretNames: ['partnerSecret', 'organizationSecret'],
  // Parchment signs the clinician in from x-user-id alone.
  identityFields: () => ['partnerUserId'],
  launchOrigins: (config) => [config.portalOrigin],
  apiOrigins: (config) => [new URL(config.apiBaseUrl).origin],

  async buildLaunch(input: LaunchInput<ParchmentConfig>): Promise<LaunchOutput> {
    if (!input.clinician.parchmentUserId) {
      throw new LaunchError('clinician-incomplete', 'Your Parchment user id is not set. Add it to your clinician profile in EHR Launchpad.', ['launchParchmentUserIdMissing']);
    }
    const landing = parchmentRedirectPath(input.config, input.patient.nhsNumber);
    const requestedAt = input.now();
    const parsed = await withTimeout(input.signal, input.config.timeoutMs, async (signal) => {
      const response = await requestSso(input, landing.path, signal);
      // An error keeps its status and advice whatever its body (a gateway may answer with a page, not JSON).
      if (!response.ok) {
        const { json } = await readErrorBody(response);
        throw problemMessage(response.status, json, response.headers.get('retry-after'));
      }
      return successSchema.safeParse(await readJson(response, NAME));
    });
    if (!parsed.success) {
      throw new LaunchError('partner-bad-answer', 'Parchment sent an answer EHR Launchpad could not read. Try again.', ['launchPartnerBadAnswer', NAME]);
    }
    // The link is good for expires_in seconds from issue: one that is already spent is never opened.
    if (input.now() - requestedAt >= parsed.data.data.expires_in * 1000) {
      throw new LaunchError('parchment-expired', 'The Parchment sign-in link expired before it could be opened. Try again.', ['launchParchmentExpired']);
    }
    const redirectUrl = parsed.data.data.redirect_url;
    // The link must lead to the configured portal's SSO page and nowhere else.
    if (!isAllowedLaunchUrl(redirectUrl, [input.config.portalOrigin]) || new URL(redirectUrl).pathname !== '/auth/sso') {
      throw new LaunchError('parchment-foreign-redirect', 'Parchment answered with a sign-in link to an unexpected address, so it was not opened. Tell your IT service desk.', ['launchParchmentForeignRedirect']);
    }
    return landing.notice
      ? { instruction: { open: redirectUrl }, notice: landing.notice, noticeWording: [PARCHMENT_DASHBOARD_NOTE, input.config.label] }
      : { instruction: { open: redirectUrl } };
  },
};
