import * as oauth from 'oauth4webapi';
import { LaunchError } from '../shared/launch-error';
import { LOOPBACK_HTTP_ALLOWED } from '../shared/url-policy';
import type { OAuthPairing, PendingPairing, TokenSet } from './connector';
import type { PatientsKnowBestConfig } from './patients-know-best';

/**
 * Pairing with Patients Know Best: OAuth 2.0 authorization code with PKCE (S256) and state, for the Trust's
 * user client (a human is being authenticated), through oauth4webapi. PKB publishes no discovery document, so
 * the endpoints come from the configuration.
 */

const NAME = 'Patients Know Best';
/** Refresh a little before the partner's expiry, so a token never dies between the check and its use. */
const EXPIRY_MARGIN_MS = 30_000;

const insecure = LOOPBACK_HTTP_ALLOWED ? { [oauth.allowInsecureRequests]: true } : {};

function server(config: PatientsKnowBestConfig): oauth.AuthorizationServer {
  return {
    issuer: config.baseUrl,
    authorization_endpoint: `${config.baseUrl}${config.authorizePath}`,
    token_endpoint: `${config.baseUrl}${config.tokenPath}`,
    ...(config.revokePath ? { revocation_endpoint: `${config.baseUrl}${config.revokePath}` } : {}),
  };
}

const client = (config: PatientsKnowBestConfig): oauth.Client => ({ client_id: config.clientId, token_endpoint_auth_method: 'none' });

function options(fetchImpl: typeof fetch, signal: AbortSignal) {
  return { [oauth.customFetch]: fetchImpl, signal, ...insecure };
}

function tokenSet(result: oauth.TokenEndpointResponse, now: number): TokenSet {
  const lifeMs = typeof result.expires_in === 'number' && result.expires_in > 0 ? result.expires_in * 1000 : 60_000;
  return {
    accessToken: result.access_token,
    ...(typeof result.refresh_token === 'string' && result.refresh_token ? { refreshToken: result.refresh_token } : {}),
    expiresAt: now + Math.max(lifeMs - EXPIRY_MARGIN_MS, lifeMs / 2),
  };
}

/** Network failures and time-outs as sentences; never the URL or a token. */
async function call<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LaunchError || error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError) throw error;
    if (signal.aborted) throw new LaunchError('partner-timeout', `${NAME} did not answer in time. Try again; if it keeps happening, tell your IT service desk.`, ['launchPartnerTimeout', NAME]);
    if (error instanceof TypeError) throw new LaunchError('partner-unreachable', `${NAME} could not be reached. Check your network connection and try again.`, ['launchPartnerUnreachable', NAME]);
    throw new LaunchError('partner-bad-answer', `${NAME} sent an answer EHR Launchpad could not read. Try again; if it keeps happening, tell your IT service desk.`, ['launchPartnerBadAnswer', NAME]);
  }
}

/** A gateway's 5xx page is not an OAuth answer: say the partner is down rather than "unreadable". */
function unlessUnavailable(response: Response): Response {
  if (response.status >= 500) {
    void response.body?.cancel();
    throw new LaunchError(`pkb-${response.status}`, `${NAME} is not available right now (HTTP ${response.status}). Try again shortly.`, ['launchPartnerUnavailable', NAME]);
  }
  return response;
}

export const REPAIR_NEEDED_MESSAGE = `Your ${NAME} pairing has ended. Pair again from the EHR Launchpad menu in the toolbar.`;

export const patientsKnowBestPairing: OAuthPairing<PatientsKnowBestConfig> = {
  async begin(config, redirectUri): Promise<PendingPairing> {
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(server(config).authorization_endpoint!);
    const params = {
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: redirectUri,
      scope: config.scope,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      // Pairing names a person: always ask who is at the keyboard, never reuse a browser session silently.
      prompt: 'login',
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return { url: url.toString(), state, codeVerifier, redirectUri };
  },

  async complete({ config, pending, callbackUrl, fetch: fetchImpl, signal }) {
    if (!pending.state || !pending.codeVerifier || pending.codeVerifier.length < 43) {
      throw new LaunchError('pairing-refused', `The ${NAME} pairing could not be checked (it was started elsewhere or has expired). Start it again.`, ['launchPairingRefused', NAME]);
    }
    let callback: URL;
    try {
      callback = new URL(callbackUrl);
    } catch {
      throw new LaunchError('pairing-refused', `${NAME} did not return to EHR Launchpad as expected. Start the pairing again.`, ['launchPairingRefused', NAME]);
    }
    if (`${callback.origin}${callback.pathname}` !== pending.redirectUri) {
      throw new LaunchError('pairing-refused', `${NAME} returned to an unexpected address. Start the pairing again.`, ['launchPairingRefused', NAME]);
    }
    const as = server(config);
    let parameters: URLSearchParams;
    try {
      parameters = oauth.validateAuthResponse(as, client(config), callback, pending.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError && error.error === 'access_denied') {
        throw new LaunchError('pairing-cancelled', `The ${NAME} pairing was cancelled.`, ['launchPairingCancelled', NAME]);
      }
      throw new LaunchError('pairing-refused', `The answer from ${NAME} did not match this pairing request, so it was refused. Start the pairing again.`, ['launchPairingRefused', NAME]);
    }
    const now = Date.now();
    const result = await call(async () => {
      const response = await oauth.authorizationCodeGrantRequest(as, client(config), oauth.None(), parameters, pending.redirectUri, pending.codeVerifier, options(fetchImpl, signal));
      return oauth.processAuthorizationCodeResponse(as, client(config), unlessUnavailable(response));
    }, signal).catch((error: unknown) => {
      if (error instanceof LaunchError) throw error;
      throw new LaunchError('pairing-refused', `${NAME} did not accept the pairing. Start it again; if it keeps happening, tell your IT service desk.`, ['launchPairingRefused', NAME]);
    });
    const tokens = tokenSet(result, now);
    if (!tokens.refreshToken) {
      throw new LaunchError('pairing-refused', `${NAME} paired without a refresh token, so you would have to sign in again for every launch. Tell your IT service desk.`, ['launchPairingRefused', NAME]);
    }
    return { ...tokens, refreshToken: tokens.refreshToken };
  },

  async refresh({ config, refreshToken, fetch: fetchImpl, signal }) {
    const as = server(config);
    const now = Date.now();
    try {
      return tokenSet(
        await call(async () => {
          const response = await oauth.refreshTokenGrantRequest(as, client(config), oauth.None(), refreshToken, options(fetchImpl, signal));
          return oauth.processRefreshTokenResponse(as, client(config), unlessUnavailable(response));
        }, signal),
        now,
      );
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && (error.error === 'invalid_grant' || error.error === 'unauthorized_client' || error.error === 'invalid_client')) {
        throw new LaunchError('re-pair-needed', REPAIR_NEEDED_MESSAGE, ['launchRepairNeeded', NAME]);
      }
      if (error instanceof oauth.ResponseBodyError) {
        throw new LaunchError(`pkb-token-${error.status}`, `${NAME} could not renew your sign-in (HTTP ${error.status}). Try again shortly.`, ['launchPkbRenewFailed', NAME]);
      }
      throw error;
    }
  },

  async revoke({ config, refreshToken, fetch: fetchImpl, signal }) {
    const as = server(config);
    if (!as.revocation_endpoint) return;
    await call(async () => {
      const response = await oauth.revocationRequest(as, client(config), oauth.None(), refreshToken, { ...options(fetchImpl, signal), additionalParameters: { token_type_hint: 'refresh_token' } });
      await oauth.processRevocationResponse(response);
    }, signal);
  },
};
