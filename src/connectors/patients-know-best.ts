import { z } from 'zod';
import { LaunchError } from '../shared/launch-error';
import type { PatientContext } from '../shared/patient';
import { partnerUrlSchema } from '../shared/url-policy';
import type { AccessTokenSource, Connector, LaunchInput, LaunchOutput } from './connector';
import { partnerBaseFields } from './partner-base';
import { partnerFetch, readErrorBody, readJson, withTimeout } from './partner-fetch';
import { patientsKnowBestPairing } from './patients-know-best-pairing';
import { relativePathProblem } from './relative-path';

/**
 * Patients Know Best: the clinician pairs once (OAuth 2.0, see patients-know-best-pairing.ts); each launch asks PKB's REST API
 * for a one-time password with the pairing's access token and opens
 * `<PKB>/otp.action?otpToken=<OTP>&redirect_uri=<relative landing path>`. PKB signs the clinician in, burns the
 * OTP and redirects to the landing page.
 */

const NAME = 'Patients Know Best';
const PLACEHOLDERS = ['nhsNumber', 'birthDate'] as const;
const SAMPLE_PATIENT: PatientContext = { nhsNumber: '9990000018', birthDate: '1985-03-12', name: { family: 'SAMPLE', given: 'Test' } };

/** A path on the partner's own site, like /oauth/token. */
const sitePath = z
  .string()
  .trim()
  .refine((value) => relativePathProblem(value) === undefined && !value.includes('?'), { message: 'must be a path on the PKB site, like /oauth/token' });

/** A landing page template like /clinician/patientSummary.action?nhsNumber={nhsNumber}. */
const landingTemplate = z
  .string()
  .trim()
  .max(500)
  .superRefine((template, ctx) => {
    const unknown = [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((name) => !PLACEHOLDERS.includes(name as never));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown placeholder {${unknown[0]}}: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(' or ')}` });
    const problem = relativePathProblem(fillTemplate(template, SAMPLE_PATIENT));
    if (problem) ctx.addIssue({ code: 'custom', message: `must be a relative path on the PKB site: it ${problem}` });
  });

export const patientsKnowBestConfigSchema = z
  .strictObject({
    kind: z.literal('pkb'),
    ...partnerBaseFields,
    /** PKB's site, which serves the sign-in pages, the REST API and the web app, e.g. https://sandbox.patientsknowbest.com. */
    baseUrl: partnerUrlSchema,
    /** The Trust's user client id (pairing authenticates a person, so not the Trust's system client). */
    clientId: z.string().trim().min(1).max(200),
    /** The scope PKB agreed for this client. */
    scope: z.string().trim().min(1).max(500),
    authorizePath: sitePath.default('/apiAuthorize.action'),
    tokenPath: sitePath.default('/oauth/token'),
    /** Where Unpair revokes the refresh token; leave out if PKB offers no revocation. */
    revokePath: sitePath.optional(),
    /** PKB's OTP endpoint is not public: the default is the sandbox's. */
    otpPath: sitePath.default('/api/sso/otp'),
    otpLoginPath: sitePath.default('/otp.action'),
    /** The page PKB shows when it refuses an OTP (used or expired): landing there makes one fresh launch. */
    loginPath: sitePath.default('/login.action'),
    /** Asks PKB whether it holds data from other organisations for the patient; null turns the hint off. */
    dataFromOtherOrgPath: z
      .string()
      .trim()
      .refine((value) => value.includes('{nhsNumber}') && relativePathProblem(value.replace('{nhsNumber}', '9990000018')) === undefined, {
        message: 'must be a path on the PKB site containing {nhsNumber}',
      })
      .nullable()
      .default('/api/patients/{nhsNumber}/dataFromOtherOrg'),
    /** How long an answer about other organisations' data is reused, per patient. */
    dataFromOtherOrgCacheSeconds: z.number().int().min(0).max(3600).default(300),
    /** Landing pages by name, as relative path templates with {nhsNumber} and {birthDate}. */
    landingPages: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), landingTemplate).default({ summary: '/clinician/patientSummary.action?nhsNumber={nhsNumber}' }),
    /** Which landing page the button opens. */
    target: z.string().default('summary'),
    timeoutMs: z.number().int().min(1000).max(25_000).default(10_000),
  })
  .refine((config) => Object.hasOwn(config.landingPages, config.target), { path: ['target'], message: 'must name one of landingPages' });
export type PatientsKnowBestConfig = z.infer<typeof patientsKnowBestConfigSchema>;

function fillTemplate(template: string, patient: PatientContext): string {
  return template.replace(/\{(nhsNumber|birthDate)\}/g, (_, name: 'nhsNumber' | 'birthDate') => encodeURIComponent(patient[name] ?? ''));
}

/** The landing path for this patient, refused before anything is sent if it is not a safe relative path. */
export function patientsKnowBestLandingPath(config: PatientsKnowBestConfig, patient: PatientContext): string {
  const template = Object.hasOwn(config.landingPages, config.target) ? config.landingPages[config.target] : undefined;
  const path = template === undefined ? undefined : fillTemplate(template, patient);
  if (path === undefined || relativePathProblem(path) !== undefined) {
    throw new LaunchError('redirect-refused', `The ${NAME} landing page in the configuration is not a page on the PKB site, so nothing was sent. Tell your IT service desk.`, ['launchPkbLandingRefused', NAME]);
  }
  return path;
}

export function patientsKnowBestOtpLaunchUrl(config: PatientsKnowBestConfig, otp: string, landingPath: string): string {
  const url = new URL(`${config.baseUrl}${config.otpLoginPath}`);
  url.searchParams.set('otpToken', otp);
  url.searchParams.set('redirect_uri', landingPath);
  return url.toString();
}

const otpAnswerSchema = z.object({ otp: z.string().regex(/^[A-Za-z0-9._~-]{16,512}$/), expiresIn: z.number().positive().max(3600).optional() });
const otherOrgAnswerSchema = z.object({ dataFromOtherOrg: z.boolean() });
/** An OTP's life when PKB does not say (the documented default). */
const DEFAULT_OTP_LIFE_SECONDS = 60;

/** A request with the pairing's access token; a token PKB rejects is refreshed once and the request retried. */
async function withAccessToken(
  input: { fetch: typeof fetch; signal: AbortSignal; accessToken: AccessTokenSource },
  url: string,
  method: 'GET' | 'POST',
): Promise<Response> {
  const send = (token: string) =>
    partnerFetch(input.fetch, NAME, url, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: input.signal });
  const token = await input.accessToken();
  const first = await send(token);
  if (first.status !== 401) return first;
  await first.body?.cancel();
  return send(await input.accessToken(token));
}

function otpProblem(status: number): LaunchError {
  if (status === 401 || status === 403) return new LaunchError('pkb-otp-refused', `${NAME} did not accept your pairing for signing in. Pair again from the EHR Launchpad menu in the toolbar.`, ['launchPkbOtpRefused', NAME]);
  if (status === 429) return new LaunchError('pkb-429', `${NAME} is busy. Try again in a moment.`, ['launchPartnerBusy', NAME]);
  if (status >= 500) return new LaunchError(`pkb-${status}`, `${NAME} is not available right now (HTTP ${status}). Try again shortly.`, ['launchPartnerUnavailable', NAME]);
  return new LaunchError(`pkb-${status}`, `${NAME} could not create a sign-in for you (HTTP ${status}). Tell your IT service desk.`, ['launchPkbNoSignIn', NAME]);
}

export async function requestOtp(input: LaunchInput<PatientsKnowBestConfig>): Promise<{ otp: string; expiresAt: number }> {
  if (!input.accessToken) throw new LaunchError('pairing-needed', `Pair with ${NAME} first: open the EHR Launchpad menu in the toolbar and choose Pair.`, ['launchPairFirst', NAME]);
  const accessToken = input.accessToken;
  const requestedAt = input.now();
  const parsed = await withTimeout(input.signal, input.config.timeoutMs, async (signal) => {
    const response = await withAccessToken({ fetch: input.fetch, signal, accessToken }, `${input.config.baseUrl}${input.config.otpPath}`, 'POST');
    if (!response.ok) {
      await readErrorBody(response);
      throw otpProblem(response.status);
    }
    return otpAnswerSchema.safeParse(await readJson(response, NAME));
  });
  if (!parsed.success) throw new LaunchError('partner-bad-answer', `${NAME} sent a sign-in answer EHR Launchpad could not read. Try again.`, ['launchPartnerBadAnswer', NAME]);
  // The OTP's life counts from when it was asked for: time spent waiting for the answer is already gone.
  return { otp: parsed.data.otp, expiresAt: requestedAt + (parsed.data.expiresIn ?? DEFAULT_OTP_LIFE_SECONDS) * 1000 };
}

export const patientsKnowBestConnector: Connector<PatientsKnowBestConfig> = {
  kind: 'pkb',
  displayName: NAME,
  configSchema: patientsKnowBestConfigSchema,
  secretNames: [],
  pairing: patientsKnowBestPairing,
  patientFreeRequest: true,
  launchOrigins: (config) => [new URL(config.baseUrl).origin],
  apiOrigins: (config) => [new URL(config.baseUrl).origin],

  async buildLaunch(input: LaunchInput<PatientsKnowBestConfig>): Promise<LaunchOutput> {
    // Checked first: a bad landing page must stop the launch before PKB is asked for anything.
    const landing = patientsKnowBestLandingPath(input.config, input.patient);
    const { otp, expiresAt } = await requestOtp(input);
    return { instruction: { open: patientsKnowBestOtpLaunchUrl(input.config, otp, landing) }, expiresAt };
  },

  landingRefused(config, url) {
    try {
      const landed = new URL(url);
      return landed.origin === new URL(config.baseUrl).origin && landed.pathname === config.loginPath;
    } catch {
      return false;
    }
  },

  async patientHint(input) {
    const template = input.config.dataFromOtherOrgPath;
    if (!template) return undefined;
    const url = `${input.config.baseUrl}${template.replace('{nhsNumber}', encodeURIComponent(input.patient.nhsNumber))}`;
    const parsed = await withTimeout(input.signal, input.config.timeoutMs, async (signal) => {
      const response = await withAccessToken({ ...input, signal }, url, 'GET');
      if (!response.ok) {
        await readErrorBody(response);
        return undefined;
      }
      return otherOrgAnswerSchema.safeParse(await readJson(response, NAME));
    });
    if (!parsed) return undefined;
    return parsed.success && parsed.data.dataFromOtherOrg ? ['launchPkbOtherOrgs', input.config.label] : undefined;
  },
};
