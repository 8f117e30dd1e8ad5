import Provider, { errors, interactionPolicy } from 'oidc-provider';
import type { Adapter, AccountToken, Client, KoaContextWithOIDC } from 'oidc-provider';
import { simpleErrorPage } from './html';
import { ORG_IDP, orgIdpUserByUid } from './org-idp-fixtures';
import type { OrgIdpRole, OrgIdpSettings, OrgIdpUser } from './org-idp-fixtures';
import { ORG_IDP_SITE } from './org-idp-pages';
import type { OrgIdpState } from './org-idp-state';

/**
 * The `org-idp` OpenID provider: oidc-provider 8 configured like CIS2 (code flow, PKCE S256 and nonce required,
 * scopes selectedrole and nationalrbacaccess, acr from acr_values) for the extension's two clients.
 */

/** Member of an interaction result carrying the person_roleid chosen on the role page. */
export const ROLE_RESULT = 'org_idp_selected_role';

export function asksSelectedRole(params: Record<string, unknown>): boolean {
  return String(params['scope'] ?? '').split(' ').includes('selectedrole');
}

/** The role a session's tokens carry: the one chosen there, or a one-role user's only role. */
function selectedRole(user: OrgIdpUser, chosen: string | undefined): OrgIdpRole | undefined {
  if (user.roles.length === 1) return user.roles[0];
  return user.roles.find((role) => role.person_roleid === chosen);
}

function userClaims(user: OrgIdpUser, role: OrgIdpRole | undefined, use: string): Record<string, unknown> {
  return {
    sub: user.uid,
    uid: user.uid,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    preferred_username: user.username,
    email: user.email,
    ...(role ? { selected_roleid: role.person_roleid } : {}),
    // CIS2 gives the role list only from userinfo.
    ...(use === 'userinfo' ? { nhsid_useruid: user.uid, nhsid_nrbac_roles: user.roles.map((r) => ({ ...r })) } : {}),
  };
}

export function buildOrgIdpProvider(options: {
  issuer: string;
  adapter: new (model: string) => Adapter;
  signingJwk: Record<string, unknown>;
  cookieKeys: string[];
  settings: { readonly current: OrgIdpSettings };
  state: OrgIdpState;
}): Provider {
  const { settings, state } = options;

  const policy = interactionPolicy.base();
  // A user with several roles must have chosen one in this session before tokens say which (CIS2's role page).
  policy.get('login')?.checks.add(new interactionPolicy.Check('role_not_selected', 'a role must be chosen', 'interaction_required', roleChoicePending));
  // prompt=select_account is accepted and answered with the login page (one account per user here).
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 1);

  const provider: Provider = new Provider(options.issuer, {
    adapter: options.adapter,
    jwks: { keys: [options.signingJwk] },
    cookies: {
      keys: options.cookieKeys,
      // Every sandbox server shares 127.0.0.1 and cookies ignore ports: the default names would collide with nhs-login's.
      names: { session: 'org_idp_session', interaction: 'org_idp_interaction', resume: 'org_idp_resume' },
    },
    clients: [
      {
        client_id: ORG_IDP.clientId,
        application_type: 'web',
        redirect_uris: [...ORG_IDP.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'none',
      },
      {
        client_id: ORG_IDP.keyClientId,
        application_type: 'web',
        redirect_uris: [...ORG_IDP.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: settings.current.clientJwks },
      },
    ],
    clientAuthMethods: ['none', 'private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['ES256', 'RS256'], idTokenSigningAlgValues: ['RS256'] },
    responseTypes: ['code'],
    pkce: { required: () => true, methods: ['S256'] },
    scopes: [...ORG_IDP.scopes],
    acrValues: [...ORG_IDP.acrValues],
    claims: {
      openid: ['sub', 'auth_time', 'amr', 'acr'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username', 'uid'],
      email: ['email'],
      selectedrole: ['selected_roleid'],
      nationalrbacaccess: ['nhsid_nrbac_roles', 'nhsid_useruid'],
    },
    // CIS2 puts the profile claims and selected_roleid in the ID token of a code flow too; oidc-provider's
    // default would keep scope claims for userinfo only. The role list stays userinfo-only (userClaims).
    conformIdTokenClaims: false,
    // nonce is a standard parameter; registering a validator for it is how the provider comes to require it.
    extraParams: { nonce: requireNonce },
    features: { devInteractions: { enabled: false } },
    // The extension's token and userinfo requests carry its Origin (Chromium's or Firefox's): only those, for its two clients.
    clientBasedCORS: (_ctx: unknown, origin: string, client: { clientId: string }) =>
      ORG_IDP.origins.includes(origin) && (client.clientId === ORG_IDP.clientId || client.clientId === ORG_IDP.keyClientId),
    interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount,
    loadExistingGrant,
    renderError(ctx: { type: string; body: string; status: number }, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.body = simpleErrorPage(ctx.status, [out['error'], out['error_description']].filter(Boolean).join(': '), ORG_IDP_SITE);
    },
    ttl: {
      Session: 3600,
      Interaction: 600,
      Grant: 3600,
      AuthorizationCode: 60,
      AccessToken: 600,
      // A function, so a settings change applies to the next token without rebuilding the provider.
      IdToken: () => settings.current.idTokenTtlSeconds,
    },
  });

  provider.on('authorization.accepted', (ctx) => rememberChosenRole(ctx as KoaContextWithOIDC));

  async function findAccount(_ctx: unknown, id: string, token?: AccountToken) {
    const user = orgIdpUserByUid(id);
    if (!user) return undefined;
    const chosen = token?.sessionUid ? state.roleBySession.get(token.sessionUid) : undefined;
    return { accountId: id, claims: (use: string) => userClaims(user, selectedRole(user, chosen), use) };
  }

  /** Consent is auto-granted (the organisation's own client): only the login prompt remains. */
  async function loadExistingGrant(ctx: KoaContextWithOIDC) {
    const client = ctx.oidc.client as Client;
    const accountId = ctx.oidc.session.accountId as string;
    const existingId = ctx.oidc.session.grantIdFor(client.clientId);
    const existing = existingId ? await provider.Grant.find(existingId) : undefined;
    const grant = existing ?? new provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(ORG_IDP.scopes.join(' '));
    await grant.save();
    return grant;
  }

  /** Runs on every authorization request, after client, redirect_uri, PKCE and scope checks; errors go to the redirect_uri. */
  async function requireNonce(ctx: KoaContextWithOIDC, value: unknown) {
    if (ctx.oidc.route !== 'authorization') return;
    if (typeof value !== 'string' || value === '') throw new errors.InvalidRequest('nonce is required');
  }

  function roleChoicePending(ctx: KoaContextWithOIDC): boolean {
    const accountId = ctx.oidc.session.accountId;
    if (!accountId || !asksSelectedRole(ctx.oidc.params)) return false;
    const user = orgIdpUserByUid(accountId);
    if (!user || user.roles.length < 2) return false;
    if (typeof ctx.oidc.result?.[ROLE_RESULT] === 'string') return false;
    return selectedRole(user, state.roleBySession.get(ctx.oidc.session.uid)) === undefined;
  }

  /** The role chosen in an interaction belongs to the session from now on; a new sign-in without one clears it. */
  function rememberChosenRole(ctx: KoaContextWithOIDC): void {
    const result = ctx.oidc.result;
    if (!result) return;
    const role = result[ROLE_RESULT];
    if (typeof role === 'string') state.roleBySession.set(ctx.oidc.session.uid, role);
    else if (result['login']) state.roleBySession.delete(ctx.oidc.session.uid);
  }

  return provider;
}
