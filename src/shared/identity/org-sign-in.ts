import * as oauth from 'oauth4webapi';
import type { JwtSigner } from '../../connectors/jwt';
import { LaunchError } from '../launch-error';
import { LOOPBACK_HTTP_ALLOWED } from '../url-policy';
import type { OrgIdpConfig } from './idp-config';
import { resolveProvider } from './idp-config';

/**
 * The clinician's sign-in with the organisation's OpenID provider: authorization code with PKCE, state and
 * nonce; the ID token's issuer, audience, times, nonce and signature (against the provider's published keys)
 * are all checked, then userinfo is read for the claims the ID token does not carry (CIS2's roles). Pure:
 * the browser's part (showing the provider's pages) is the caller's `authorize`.
 */

export interface OrgSignInInput {
  provider: OrgIdpConfig;
  fetch: typeof fetch;
  redirectUri: string;
  /** Shows the provider's pages and answers the URL the provider redirected back to (throws when closed). */
  authorize(url: string): Promise<string>;
  now: () => number;
  /** This installation's key, for `clientAuth: private_key_jwt`. */
  signer?: JwtSigner;
  /** Overrides the configured prompt: `none` for the silent re-check, `login` to choose another role. */
  prompt?: 'none' | 'login' | 'select_account' | '';
  /** The clinician the provider should expect, where the provider honours login_hint. */
  loginHint?: string;
}

export interface OrgSignInResult {
  issuer: string;
  subject: string;
  /** The ID token's claims, then userinfo's for names the ID token does not have. */
  claims: Record<string, unknown>;
  idToken: string;
  /** Epoch ms. */
  idTokenExpiresAt: number;
  accessToken?: string;
  accessTokenExpiresAt?: number;
}

/** Only the sandbox build may talk OIDC over http://127.0.0.1. */
const insecure = LOOPBACK_HTTP_ALLOWED ? { [oauth.allowInsecureRequests]: true } : {};

/** Provider errors that mean "the clinician must sign in again", not "something is wrong". */
const SIGN_IN_NEEDED = new Set(['login_required', 'interaction_required', 'consent_required', 'account_selection_required']);

function refused(label: string, why: string): LaunchError {
  return new LaunchError('identity-refused', `${label} did not complete the sign-in (${why}). Try again; if it keeps happening, tell your IT service desk.`, ['launchIdentityRefused', label]);
}

export async function signInWithOrganisation(input: OrgSignInInput): Promise<OrgSignInResult> {
  const provider = resolveProvider(input.provider);
  const { label } = provider;
  const options = { [oauth.customFetch]: input.fetch, ...insecure };
  const issuer = new URL(provider.issuer);
  let discovery: Response;
  try {
    discovery = await oauth.discoveryRequest(issuer, options);
  } catch {
    throw new LaunchError('identity-unreachable', `${label} could not be reached to sign in. Check the network; if it keeps happening, tell your IT service desk.`, ['launchIdentityUnreachable', label]);
  }
  let as: oauth.AuthorizationServer;
  try {
    as = await oauth.processDiscoveryResponse(issuer, discovery);
  } catch {
    // Not a network fault: the provider answered, but not as the configured issuer (or not at all usefully).
    if (discovery.status >= 500 || discovery.status === 429) {
      throw new LaunchError('identity-unreachable', `${label} is not answering sign-ins just now. Try again shortly; if it keeps happening, tell your IT service desk.`, ['launchIdentityUnreachable', label]);
    }
    throw refused(label, 'its discovery document does not match the configured issuer');
  }
  if (!as.authorization_endpoint || !as.token_endpoint) throw refused(label, 'the provider publishes no sign-in endpoints');

  const client: oauth.Client = { client_id: provider.clientId, token_endpoint_auth_method: provider.clientAuth };
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  const prompt = input.prompt ?? provider.prompt;
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: provider.clientId,
    redirect_uri: input.redirectUri,
    scope: provider.scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  if (prompt) params.prompt = prompt;
  if (provider.acrValues) params.acr_values = provider.acrValues;
  if (input.loginHint) params.login_hint = input.loginHint;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);

  let callback: URL;
  try {
    callback = new URL(await input.authorize(url.toString()));
  } catch {
    // A silent check that could not finish without the clinician means the provider's session has ended.
    if (prompt === 'none') throw new LaunchError('identity-login-required', `Your ${label} session has ended. Sign in again.`, ['launchIdentityLoginRequired', label]);
    throw new LaunchError('identity-cancelled', `The ${label} sign-in was closed before it finished. Try again.`, ['launchIdentityCancelled', label]);
  }
  const error = callback.searchParams.get('error');
  if (error && callback.searchParams.get('state') === state && SIGN_IN_NEEDED.has(error)) {
    throw new LaunchError('identity-login-required', `Your ${label} session has ended. Sign in again.`, ['launchIdentityLoginRequired', label]);
  }
  let parameters: URLSearchParams;
  try {
    parameters = oauth.validateAuthResponse(as, client, callback, state);
  } catch {
    throw refused(label, error ? `the provider answered "${error.slice(0, 40)}"` : 'the answer did not match the request');
  }

  const auth = provider.clientAuth === 'private_key_jwt' ? privateKeyJwt(input.signer, label) : oauth.None();
  let tokens: oauth.TokenEndpointResponse;
  let claims: oauth.IDToken;
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, parameters, input.redirectUri, codeVerifier, options);
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    // The claims were checked above; the signature is checked against the keys the provider publishes.
    await oauth.validateApplicationLevelSignature(as, response, options);
    claims = oauth.getValidatedIdTokenClaims(tokens)!;
  } catch (cause) {
    if (cause instanceof LaunchError) throw cause;
    throw refused(label, 'its ID token did not pass the checks');
  }
  if (claims.exp * 1000 <= input.now()) throw refused(label, 'its ID token has expired');
  // The assurance asked for must be the assurance given: a weaker sign-in (password for smartcard) is refused.
  if (provider.acrValues && !provider.acrValues.split(/\s+/).includes(String(claims.acr ?? ''))) {
    throw refused(label, 'the sign-in was not made at the assurance level your organisation asks for');
  }

  let userinfo: Record<string, unknown> = {};
  if (as.userinfo_endpoint) {
    try {
      const response = await oauth.userInfoRequest(as, client, tokens.access_token, options);
      userinfo = (await oauth.processUserInfoResponse(as, client, claims.sub, response)) as Record<string, unknown>;
    } catch {
      throw refused(label, 'its user information could not be read');
    }
  }
  const now = input.now();
  return {
    issuer: claims.iss,
    subject: claims.sub,
    claims: { ...userinfo, ...(claims as Record<string, unknown>) },
    idToken: tokens.id_token!,
    idTokenExpiresAt: claims.exp * 1000,
    accessToken: tokens.access_token,
    ...(typeof tokens.expires_in === 'number' ? { accessTokenExpiresAt: now + tokens.expires_in * 1000 } : {}),
  };
}

function privateKeyJwt(signer: JwtSigner | undefined, label: string): oauth.ClientAuth {
  if (!signer) throw new LaunchError('setup-needed', `This computer has no signing key for ${label} yet. Tell your IT service desk.`, ['launchNoSigningKey', label]);
  return oauth.PrivateKeyJwt({ key: signer.key, kid: signer.kid });
}
