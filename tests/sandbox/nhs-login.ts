import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors } from 'oidc-provider';
import type { AccountToken, Client, KoaContextWithOIDC } from 'oidc-provider';
import { enrolledJwkProblem } from './enrolled-jwk';
import { escapeHtml, htmlDocument, simpleErrorPage } from './html';
import { htmlReply, jsonReply, writeReply } from './http-kit';
import { AdapterStore } from './nhs-login-adapter';
import { AssertionError, clearLedger, createLedger, verifyAssertion } from './nhs-login-assertion';
import { NHS_LOGIN } from './nhs-login-fixtures';
import type { NhsLoginSettings, NhsLoginUser } from './nhs-login-fixtures';
import { createSettingsStore } from './settings-store';
import type { SandboxLinks, SandboxModule, SandboxReply, SandboxRequest } from './types';

/**
 * `nhs-login`: an OpenID provider built with oidc-provider 8, configured like NHS login (code flow, PKCE S256,
 * nonce required, private_key_jwt for RP1, prompt, vtr, asserted_login_identity). oidc-provider is a Koa app,
 * so the module uses the pipeline's `handleRaw` pass-through; the login page is a small handler of its own.
 */

const SITE = 'NHS login (sandbox)';
const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/;
/** Read-only view of the ID tokens issued to RP1 (jti, account, session), for tests and debugging. */
export const ISSUED_ID_TOKENS_PATH = '/_sandbox/id-tokens';
/** amr value of a session established from an asserted_login_identity (no login page shown). */
export const ASSERTED_AMR = 'asserted_login_identity';

function jwkProblem(jwk: unknown, index: number): string | undefined {
  return enrolledJwkProblem(jwk, `rp1Jwks[${index}]`);
}

function validateSettings(s: NhsLoginSettings): string | undefined {
  for (const [index, jwk] of s.rp1Jwks.entries()) {
    const problem = jwkProblem(jwk, index);
    if (problem) return problem;
  }
  const kids = s.rp1Jwks.map((jwk) => jwk['kid']);
  if (new Set(kids).size !== kids.length) return 'rp1Jwks: kids must be unique';
  return undefined;
}

function userClaims(user: NhsLoginUser): Record<string, unknown> {
  return {
    sub: user.id,
    given_name: user.givenName,
    family_name: user.familyName,
    birthdate: user.birthdate,
    email: user.email,
    email_verified: true,
    phone_number: user.phone,
    phone_number_verified: true,
  };
}

function loginPage(uid: string, clientId: string, error?: string): string {
  return htmlDocument({
    title: `Sign in - ${SITE}`,
    css: 'body{font-family:system-ui,sans-serif;margin:2rem;color:#212b32}label{display:block;margin-top:1rem}.error{color:#d5281b}',
    body: `<h1>${SITE}</h1>
<p>Sign in to continue to <span data-testid="nhs-login-client">${escapeHtml(clientId)}</span></p>
${error ? `<p class="error" data-testid="nhs-login-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" data-testid="nhs-login-form">
<label>Username <input name="username" autocomplete="username" data-testid="nhs-login-username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" data-testid="nhs-login-password"></label>
<p><button type="submit" data-testid="nhs-login-submit">Continue</button></p>
</form>`,
  });
}

function errorReply(status: number, message: string): SandboxReply {
  return htmlReply(status, simpleErrorPage(status, message, SITE));
}

export function createNhsLogin(links: SandboxLinks): SandboxModule {
  const store = new AdapterStore();
  const ledger = createLedger();
  const signingJwk = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'nhs-login-sandbox-rs256', alg: 'RS256', use: 'sig' };
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const settings = createSettingsStore<NhsLoginSettings>({
    defaults: NHS_LOGIN.defaultSettings,
    validate: validateSettings,
    onReset: () => {
      store.clear();
      clearLedger(ledger);
    },
  });
  let built: { provider: Provider; callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>; key: string } | undefined;

  function buildProvider(): Provider {
    const issuer = links.urlOf('nhs-login');
    const rp1Jwks = settings.current.rp1Jwks;
    const provider: Provider = new Provider(issuer, {
      adapter: store.factory(),
      jwks: { keys: [signingJwk] },
      cookies: { keys: cookieKeys },
      clients: [
        {
          client_id: NHS_LOGIN.rp1ClientId,
          application_type: 'web',
          redirect_uris: [...NHS_LOGIN.rp1RedirectUris],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: rp1Jwks },
        },
        {
          client_id: NHS_LOGIN.rp2ClientId,
          client_secret: NHS_LOGIN.rp2ClientSecret,
          redirect_uris: [`${links.urlOf('nhs-login-rp2')}${NHS_LOGIN.rp2CallbackPath}`],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      clientAuthMethods: ['private_key_jwt', 'client_secret_basic'],
      enabledJWA: { clientAuthSigningAlgValues: ['ES256', 'RS256'], idTokenSigningAlgValues: ['RS256'] },
      responseTypes: ['code'],
      pkce: { required: () => true, methods: ['S256'] },
      scopes: [...NHS_LOGIN.scopes],
      claims: {
        // jti rides on the openid scope so every ID token carries one (the SSO `code` points at it);
        // amr and auth_time let a relying party see how and when the user authenticated.
        openid: ['sub', 'jti', 'auth_time', 'amr'],
        profile: ['given_name', 'family_name', 'birthdate'],
        email: ['email', 'email_verified'],
        phone: ['phone_number', 'phone_number_verified'],
      },
      extraParams: {
        vtr: null,
        asserted_login_identity: checkAuthorizationRequest,
      },
      features: { devInteractions: { enabled: false } },
      // RP1 is a browser extension: its token requests carry Origin chrome-extension://<id> (moz-extension://<uuid>
      // in Firefox). Only those origins, and only for RP1, may make them (a real provider must allow them too).
      clientBasedCORS: (_ctx: unknown, origin: string, client: { clientId: string }) =>
        client.clientId === NHS_LOGIN.rp1ClientId && NHS_LOGIN.rp1Origins.includes(origin),
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount,
      loadExistingGrant,
      renderError(ctx: { type: string; body: string; status: number }, out: Record<string, string>) {
        ctx.type = 'html';
        ctx.body = simpleErrorPage(ctx.status, [out['error'], out['error_description']].filter(Boolean).join(': '), SITE);
      },
      ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    });

    async function findAccount(_ctx: unknown, id: string, token?: AccountToken) {
      const user = NHS_LOGIN.users.find((candidate) => candidate.id === id);
      if (!user) return undefined;
      return {
        accountId: id,
        async claims(use: string) {
          if (use !== 'id_token') return userClaims(user);
          const jti = randomUUID();
          if (token?.clientId === NHS_LOGIN.rp1ClientId && token.sessionUid) {
            ledger.idTokens.set(jti, { accountId: id, sessionUid: token.sessionUid, sid: token.sid, issuedAt: Math.floor(Date.now() / 1000) });
          }
          return { ...userClaims(user), jti };
        },
      };
    }

    /** Consent is auto-granted: every client gets all supported scopes, so only the login prompt remains. */
    async function loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client as Client;
      const accountId = ctx.oidc.session.accountId as string;
      const existingId = ctx.oidc.session.grantIdFor(client.clientId);
      const existing = existingId ? await provider.Grant.find(existingId) : undefined;
      const grant = existing ?? new provider.Grant({ accountId, clientId: client.clientId });
      grant.addOIDCScope(NHS_LOGIN.scopes.join(' '));
      await grant.save();
      return grant;
    }

    /**
     * Runs as oidc-provider's validator of the extra parameter asserted_login_identity, which it calls for every
     * authorization request (present or not) after client, redirect_uri, PKCE and scope checks and before the
     * session's account is loaded. Errors thrown here are sent to the redirect_uri with the state.
     */
    async function checkAuthorizationRequest(ctx: KoaContextWithOIDC, value: unknown, client: Client) {
      if (ctx.oidc.route !== 'authorization') return;
      if (typeof ctx.oidc.params['nonce'] !== 'string' || ctx.oidc.params['nonce'] === '') throw new errors.InvalidRequest('nonce is required');
      if (value === undefined) return;
      const promptNone = String(ctx.oidc.params['prompt'] ?? '').split(' ').includes('none');
      try {
        if (typeof value !== 'string') throw new AssertionError('asserted_login_identity must be a single JWT');
        if (client.clientId === NHS_LOGIN.rp1ClientId) throw new AssertionError('asserted_login_identity cannot be used by the client that issued it');
        const issued = await verifyAssertion(value, settings.current.rp1Jwks, ledger, async (uid) => (await provider.Session.findByUid(uid)) !== undefined);
        // Silent sign-in: the session of this user agent now belongs to the RP1 session's account.
        ctx.oidc.session.loginAccount({ accountId: issued.accountId, amr: [ASSERTED_AMR] });
      } catch (error) {
        if (!(error instanceof AssertionError)) throw error;
        // With prompt=none the flow ends here; otherwise the user just sees the login page.
        if (promptNone) throw new errors.LoginRequired(error.message);
      }
    }

    return provider;
  }

  function current() {
    const key = JSON.stringify(settings.current.rp1Jwks);
    if (built?.key !== key) {
      const provider = buildProvider();
      built = { provider, callback: provider.callback(), key };
    }
    return built;
  }

  async function interaction(req: SandboxRequest, raw: IncomingMessage, res: ServerResponse, provider: Provider, uid: string, isLogin: boolean) {
    let details;
    try {
      details = await provider.interactionDetails(raw, res);
    } catch {
      writeReply(res, errorReply(400, 'This sign-in has expired or is not for this browser. Start again from the service.'));
      return;
    }
    if (details.uid !== uid) {
      writeReply(res, errorReply(400, 'Interaction mismatch'));
      return;
    }
    const clientId = String(details.params['client_id'] ?? '');
    if (details.prompt.name === 'consent') {
      // Not reached with the auto-granting loadExistingGrant, but answered the same way if it is.
      const accountId = details.session?.accountId ?? '';
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
      if (!grant) throw new Error('grant vanished');
      grant.addOIDCScope(NHS_LOGIN.scopes.join(' '));
      await provider.interactionFinished(raw, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
      return;
    }
    if (!isLogin && req.method === 'GET') {
      writeReply(res, htmlReply(200, loginPage(uid, clientId)));
      return;
    }
    if (isLogin && req.method === 'POST') {
      const form = new URLSearchParams(req.body);
      const user = NHS_LOGIN.users.find((candidate) => candidate.username === form.get('username') && candidate.password === form.get('password'));
      if (!user) {
        writeReply(res, htmlReply(200, loginPage(uid, clientId, 'Username or password is not correct')));
        return;
      }
      await provider.interactionFinished(raw, res, { login: { accountId: user.id, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
      return;
    }
    writeReply(res, errorReply(405, `${req.method} is not allowed here`));
  }

  return {
    name: 'nhs-login',
    settings,
    errorReply,
    handle: () => errorReply(500, 'nhs-login is served through handleRaw'),
    async handleRaw(req, raw, res) {
      const { provider, callback } = current();
      if (req.path === ISSUED_ID_TOKENS_PATH && req.method === 'GET') {
        writeReply(res, jsonReply(200, [...ledger.idTokens].map(([jti, issued]) => ({ jti, ...issued }))));
        return;
      }
      const match = INTERACTION_PATH.exec(req.path);
      if (match?.[1]) {
        await interaction(req, raw, res, provider, match[1], match[2] !== undefined);
        return;
      }
      await callback(raw, res);
    },
  };
}
