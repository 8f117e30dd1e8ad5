import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider from 'oidc-provider';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';
import { simpleErrorPage } from './html';
import { htmlReply, writeReply } from './http-kit';
import type { AdapterStore } from './nhs-login-adapter';
import type { AccessTokenView } from './pkb-api';
import { PKB, PKB_PATHS } from './pkb-fixtures';
import type { PkbSettings } from './pkb-fixtures';
import { PKB_SITE, renderLogin, renderMessage } from './pkb-pages';
import { checkCredentials, usableClinician } from './pkb-state';
import type { SandboxRequest } from './types';

/**
 * PKB's authorisation server: oidc-provider 8 as a plain OAuth 2.0 server (no openid scope, no ID token) for the
 * Trust's user client, a public client with PKCE S256. Refresh tokens rotate on every use; oidc-provider itself
 * answers the reuse of a rotated one with invalid_grant and revokes the whole grant (revokeGrantPolicy defaults to
 * true), so nothing is added for that here.
 */

const DAY = 24 * 60 * 60;

export function buildPkbProvider(issuer: string, store: AdapterStore, settings: { readonly current: PkbSettings }): Provider {
  // Never used to sign anything (no ID tokens), but oidc-provider wants a key for its JWKS.
  const signingJwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'pkb-sandbox-rs256', alg: 'RS256', use: 'sig' };
  const provider: Provider = new Provider(issuer, {
    adapter: store.factory(),
    jwks: { keys: [signingJwk] },
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      // Every sandbox server shares 127.0.0.1 and cookies ignore ports: the default names would collide with nhs-login's.
      names: { session: 'pkb_oauth_session', interaction: 'pkb_oauth_interaction', resume: 'pkb_oauth_resume' },
    },
    routes: { authorization: PKB_PATHS.authorize, token: PKB_PATHS.token, revocation: PKB_PATHS.revocation },
    clients: [
      {
        client_id: PKB.userClientId,
        application_type: 'web',
        redirect_uris: [...PKB.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
        // Requests for any other known scope (openid, offline_access) are refused with invalid_scope.
        scope: PKB.scope,
      },
    ],
    clientAuthMethods: ['none'],
    responseTypes: ['code'],
    pkce: { required: () => true, methods: ['S256'] },
    scopes: [PKB.scope],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      resourceIndicators: { enabled: false },
    },
    // The extension's token and revocation requests carry its Origin (Chromium's or Firefox's); only those, and only for this client.
    clientBasedCORS: (_ctx: unknown, origin: string, client: { clientId: string }) => client.clientId === PKB.userClientId && PKB.extensionOrigins.includes(origin),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${PKB_PATHS.login}?interaction=${interaction.uid}` },
    issueRefreshToken: (_ctx: unknown, client: Client) => client.clientId === PKB.userClientId,
    rotateRefreshToken: true,
    // A pairing outlives the sign-in window's session.
    expiresWithSession: () => false,
    findAccount: (_ctx: unknown, id: string) => (usableClinician(id) ? { accountId: id, claims: () => ({ sub: id }) } : undefined),
    loadExistingGrant,
    renderError(ctx: { type: string; body: string; status: number }, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = simpleErrorPage(ctx.status, [out['error'], out['error_description']].filter(Boolean).join(': '), PKB_SITE);
    },
    ttl: {
      Session: 3600,
      Interaction: 600,
      Grant: 30 * DAY,
      AuthorizationCode: PKB.authorizationCodeTtlSeconds,
      // Functions, so a settings change applies to the next token without rebuilding the provider.
      AccessToken: () => settings.current.accessTokenTtlSeconds,
      RefreshToken: () => 30 * DAY,
    },
  });

  /** Consent is auto-granted (the Trust's own client): only the login prompt remains. */
  async function loadExistingGrant(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client as Client;
    const accountId = ctx.oidc.session.accountId as string;
    const existingId = ctx.oidc.session.grantIdFor(client.clientId);
    const existing = existingId ? await provider.Grant.find(existingId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(PKB.scope);
    await grant.save();
    return grant;
  }

  return provider;
}

/** The API's view of an access token, looked up in oidc-provider's storage. */
export async function findAccessToken(provider: Provider, value: string): Promise<AccessTokenView | undefined> {
  const token = await provider.AccessToken.find(value);
  if (!token) return undefined;
  return { accountId: token.accountId, clientId: token.clientId, scope: token.scope, expired: token.isExpired };
}

function restart(title: string, message: string) {
  return htmlReply(400, renderMessage(undefined, title, 'pkb-error', `${message} Start again from your clinical system.`));
}

/** The OAuth login page (`/login.action?interaction=<uid>`): GET shows the form, POST checks the credentials. */
export async function handleInteraction(req: SandboxRequest, raw: IncomingMessage, res: ServerResponse, provider: Provider, uid: string): Promise<void> {
  const action = `${PKB_PATHS.login}?interaction=${encodeURIComponent(uid)}`;
  let details;
  try {
    details = await provider.interactionDetails(raw, res);
  } catch {
    writeReply(res, restart('Sign-in expired', 'This sign-in has expired or is not for this browser.'));
    return;
  }
  if (details.uid !== uid) {
    writeReply(res, restart('Sign-in mismatch', 'This sign-in belongs to another request.'));
    return;
  }
  const clientId = String(details.params['client_id'] ?? '');
  if (details.prompt.name === 'consent') {
    // Not reached with the auto-granting loadExistingGrant, but answered the same way if it is.
    const accountId = details.session?.accountId ?? '';
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error('grant vanished');
    grant.addOIDCScope(PKB.scope);
    await provider.interactionFinished(raw, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }
  if (req.method === 'GET') {
    writeReply(res, htmlReply(200, renderLogin({ action, clientId })));
    return;
  }
  if (req.method !== 'POST') {
    writeReply(res, htmlReply(405, renderMessage(undefined, 'Method not allowed', 'pkb-error', `${req.method} is not allowed here`), { allow: 'GET, POST' }));
    return;
  }
  const form = new URLSearchParams(req.body);
  const result = checkCredentials(form.get('username'), form.get('password'));
  if ('error' in result) {
    writeReply(res, htmlReply(200, renderLogin({ action, clientId, error: result.error })));
    return;
  }
  await provider.interactionFinished(raw, res, { login: { accountId: result.clinician.accountId, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
}
