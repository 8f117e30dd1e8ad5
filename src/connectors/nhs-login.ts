import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { LaunchError } from '../shared/launch-error';
import { isSecureUrl, LOOPBACK_HTTP_ALLOWED, partnerUrlSchema } from '../shared/url-policy';
import type { Connector, LaunchInput, LaunchOutput } from './connector';
import { newJti, requireSigner, signJwt, type JwtSigner } from './jwt';
import { partnerBaseFields } from './partner-base';

/**
 * NHS login (or any OIDC provider that supports asserted login identity). The extension is relying party 1:
 * the clinician signs in once (authorization code + PKCE, state, nonce, private_key_jwt with this
 * installation's key) and the ID token's `jti` is kept. To open relying party 2 signed in, the extension signs
 * `asserted_login_identity` = { code: that jti, iss: RP1 client id, jti, iat, exp <= iat + 60 } and opens RP2's
 * launch URL with it and `prompt=none`.
 */

const ASSERTION_LIFE_SECONDS = 60;

export const nhsLoginConfigSchema = z.strictObject({
  kind: z.literal('nhs-login'),
  ...partnerBaseFields,
  /** The OpenID provider's issuer; its discovery document is read from it. */
  issuer: partnerUrlSchema,
  /** RP1: this installation's client id at the provider. */
  clientId: z.string().trim().min(1).max(200),
  scope: z.string().trim().regex(/(^|\s)openid(\s|$)/, 'must include openid').default('openid profile'),
  /** `prompt` for the RP1 sign-in: blank (the provider decides), `login` (always ask) or `none` (never ask). */
  signInPrompt: z.enum(['', 'login', 'none']).default(''),
  /** Vectors of trust for the sign-in, e.g. ["P9.Cp.Cd"], sent as `vtr` when set. */
  vtr: z.string().trim().max(200).optional(),
  alg: z.enum(['ES256', 'RS256']).default('ES256'),
  /**
   * RP2's launch URL with `{assertion}` and `{prompt}` placeholders, e.g.
   * `https://rp2.example/launch?asserted_login_identity={assertion}&prompt={prompt}` (PKB names them
   * `assertedLoginIdentity` and `prompt`).
   */
  launchUrlTemplate: z
    .string()
    .trim()
    .refine((t) => t.includes('{assertion}'), { message: 'must contain {assertion}' })
    .refine((t) => isSecureUrl(t.replace(/\{(assertion|prompt)\}/g, 'x')), { message: 'must be an https:// address' }),
  /** `prompt` sent to RP2: none (seamless, the default), login or blank, as the provider's table defines. */
  launchPrompt: z.enum(['none', 'login', '']).default('none'),
});
export type NhsLoginConfig = z.infer<typeof nhsLoginConfigSchema>;

/** What the background keeps after the sign-in: enough to assert the identity, nothing to reuse elsewhere. */
export interface NhsLoginSession {
  idTokenJti: string;
  subject: string;
  expiresAt: number;
}

/** Only the sandbox build may talk OIDC over http://127.0.0.1. */
const insecure = LOOPBACK_HTTP_ALLOWED ? { [oauth.allowInsecureRequests]: true } : {};

async function discover(config: NhsLoginConfig, fetchImpl: typeof fetch): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, { [oauth.customFetch]: fetchImpl, ...insecure });
  return oauth.processDiscoveryResponse(issuer, response);
}

export interface SignInInput {
  config: NhsLoginConfig;
  signer: JwtSigner;
  fetch: typeof fetch;
  redirectUri: string;
  /** Shows the provider's pages to the clinician and answers the URL the provider redirected back to. */
  authorize(url: string): Promise<string>;
  now: () => number;
}

export async function signInToProvider(input: SignInInput): Promise<NhsLoginSession> {
  const { config } = input;
  const as = await discover(config, input.fetch);
  const client: oauth.Client = { client_id: config.clientId, token_endpoint_auth_method: 'private_key_jwt' };
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint!);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: input.redirectUri,
    scope: config.scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  if (config.signInPrompt) params.prompt = config.signInPrompt;
  if (config.vtr) params.vtr = config.vtr;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);

  let callback: URL;
  try {
    callback = new URL(await input.authorize(url.toString()));
  } catch {
    throw new LaunchError('sign-in-cancelled', 'The NHS login sign-in was closed before it finished. Try again.', ['launchSignInCancelled', 'NHS login']);
  }
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(as, client, callback, state);
  } catch {
    throw new LaunchError('sign-in-refused', 'NHS login did not complete the sign-in (the answer did not match the request). Try again.', ['launchSignInRefused', 'NHS login']);
  }
  const auth = oauth.PrivateKeyJwt({ key: input.signer.key, kid: input.signer.kid });
  const response = await oauth.authorizationCodeGrantRequest(as, client, auth, parameters, input.redirectUri, codeVerifier, {
    [oauth.customFetch]: input.fetch,
    ...insecure,
  });
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  } catch {
    throw new LaunchError('sign-in-refused', 'NHS login did not accept the sign-in. Try again; if it keeps happening, tell your IT service desk.', ['launchSignInRefused', 'NHS login']);
  }
  const claims = oauth.getValidatedIdTokenClaims(result)!;
  if (typeof claims.jti !== 'string' || !claims.jti) {
    throw new LaunchError('sign-in-refused', 'NHS login answered without an ID token id, so other apps cannot be opened signed in.', ['launchSignInRefused', 'NHS login']);
  }
  return { idTokenJti: claims.jti, subject: claims.sub, expiresAt: claims.exp * 1000 };
}

export async function assertedLoginIdentity(config: NhsLoginConfig, signer: JwtSigner, session: NhsLoginSession, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return signJwt(signer, { code: session.idTokenJti, iss: config.clientId, jti: newJti(), iat, exp: iat + ASSERTION_LIFE_SECONDS });
}

export function rp2LaunchUrl(config: NhsLoginConfig, assertion: string): string {
  return config.launchUrlTemplate.replace('{assertion}', encodeURIComponent(assertion)).replace('{prompt}', encodeURIComponent(config.launchPrompt));
}

function readSession(raw: unknown, nowMs: number): NhsLoginSession {
  const session = raw as Partial<NhsLoginSession> | undefined;
  if (!session?.idTokenJti || typeof session.expiresAt !== 'number' || session.expiresAt <= nowMs) {
    throw new LaunchError('sign-in-needed', 'Sign in to NHS login first: open the EHR Launchpad menu in the toolbar and choose Sign in.', ['launchSignInNeeded', 'NHS login']);
  }
  return session as NhsLoginSession;
}

export const nhsLoginConnector: Connector<NhsLoginConfig> = {
  kind: 'nhs-login',
  displayName: 'NHS login',
  patientSpecific: false,
  configSchema: nhsLoginConfigSchema,
  secretNames: [],
  signingAlg: (config) => config.alg,
  signInStep: true,
  launchOrigins: (config) => [new URL(config.launchUrlTemplate.replace(/\{(assertion|prompt)\}/g, 'x')).origin],
  apiOrigins: (config) => [new URL(config.issuer).origin],
  // The assertion's iat/exp (60 s at most) must be in the provider's time, not a skewed desktop's.
  clockProbeUrl: (config) => `${config.issuer}/.well-known/openid-configuration`,

  async buildLaunch(input: LaunchInput<NhsLoginConfig>): Promise<LaunchOutput> {
    const signer = requireSigner(input.signer, 'NHS login');
    const session = readSession(input.partnerSession, input.now());
    const assertion = await assertedLoginIdentity(input.config, signer, session, input.now());
    return { instruction: { open: rp2LaunchUrl(input.config, assertion) } };
  },
};
