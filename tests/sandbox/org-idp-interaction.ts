import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import { htmlReply, writeReply } from './http-kit';
import { ORG_IDP, orgIdpUserByUid } from './org-idp-fixtures';
import type { OrgIdpUser } from './org-idp-fixtures';
import { loginPage, orgIdpErrorReply, rolePage } from './org-idp-pages';
import { ROLE_RESULT, asksSelectedRole } from './org-idp-provider';
import type { OrgIdpState } from './org-idp-state';
import type { SandboxRequest } from './types';

/**
 * `/interaction/<uid>` (GET: the login page, or the role page when only a role is missing), `/interaction/<uid>/login`
 * (POST: username and password) and `/interaction/<uid>/role` (POST: `role` = a person_roleid).
 */

export const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|role))?$/;

/** The first acr asked for that the provider publishes, else the password sign-in's. */
function acrFor(params: Record<string, unknown>): string {
  const asked = String(params['acr_values'] ?? '').split(' ');
  return asked.find((value) => ORG_IDP.acrValues.includes(value)) ?? ORG_IDP.defaultAcr;
}

/** A sign-in answers prompt=select_account too: there is one account per user. */
function loginResult(user: OrgIdpUser, params: Record<string, unknown>, role: string | undefined): Record<string, unknown> {
  return {
    login: { accountId: user.uid, amr: ['pwd'], acr: acrFor(params) },
    select_account: {},
    ...(role ? { [ROLE_RESULT]: role } : {}),
  };
}

function onlyRoleMissing(details: InteractionDetails): boolean {
  return details.prompt.name === 'login' && details.prompt.reasons.length === 1 && details.prompt.reasons[0] === 'role_not_selected';
}

export async function handleOrgIdpInteraction(
  req: SandboxRequest,
  raw: IncomingMessage,
  res: ServerResponse,
  provider: Provider,
  state: OrgIdpState,
  uid: string,
  step: string | undefined,
): Promise<void> {
  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(raw, res);
  } catch {
    writeReply(res, orgIdpErrorReply(400, 'This sign-in has expired or is not for this browser. Start again from your clinical system.'));
    return;
  }
  if (details.uid !== uid) {
    writeReply(res, orgIdpErrorReply(400, 'Interaction mismatch'));
    return;
  }
  const params = details.params;
  const clientId = String(params['client_id'] ?? '');
  const base = `/interaction/${encodeURIComponent(uid)}`;
  const showLogin = (error?: string) =>
    writeReply(res, htmlReply(200, loginPage({ action: `${base}/login`, clientId, loginHint: typeof params['login_hint'] === 'string' ? params['login_hint'] : undefined, error })));
  const showRoles = (user: OrgIdpUser, error?: string) => writeReply(res, htmlReply(200, rolePage({ action: `${base}/role`, name: user.name, roles: user.roles, error })));

  if (details.prompt.name === 'consent') {
    // Not reached with the auto-granting loadExistingGrant, but answered the same way if it is.
    const accountId = details.session?.accountId ?? '';
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error('grant vanished');
    grant.addOIDCScope(ORG_IDP.scopes.join(' '));
    await provider.interactionFinished(raw, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }

  // Signed in already, only the role is missing: the role page straight away, no password.
  const sessionUser = onlyRoleMissing(details) && details.session?.accountId ? orgIdpUserByUid(details.session.accountId) : undefined;

  if (step === undefined && req.method === 'GET') {
    if (sessionUser) showRoles(sessionUser);
    else showLogin();
    return;
  }
  if (step === 'login' && req.method === 'POST') {
    const form = new URLSearchParams(req.body);
    const user = ORG_IDP.users.find((candidate) => candidate.username === form.get('username') && candidate.password === form.get('password'));
    if (!user) {
      showLogin('Username or password is not correct');
      return;
    }
    if (user.roles.length >= 2 && asksSelectedRole(params)) {
      state.awaitingRole.set(uid, user.uid);
      showRoles(user);
      return;
    }
    await provider.interactionFinished(raw, res, loginResult(user, params, user.roles.length === 1 ? user.roles[0]?.person_roleid : undefined), { mergeWithLastSubmission: false });
    return;
  }
  if (step === 'role' && req.method === 'POST') {
    const awaiting = state.awaitingRole.get(uid);
    const user = awaiting ? orgIdpUserByUid(awaiting) : sessionUser;
    if (!user) {
      writeReply(res, orgIdpErrorReply(400, 'Sign in before choosing a role.'));
      return;
    }
    const role = new URLSearchParams(req.body).get('role');
    if (role === null || !user.roles.some((candidate) => candidate.person_roleid === role)) {
      showRoles(user, 'Choose one of your roles');
      return;
    }
    state.awaitingRole.delete(uid);
    // After the password step this is the sign-in itself; for a signed-in user only the role is added.
    const result = awaiting ? loginResult(user, params, role) : { [ROLE_RESULT]: role };
    await provider.interactionFinished(raw, res, result, { mergeWithLastSubmission: !awaiting });
    return;
  }
  writeReply(res, orgIdpErrorReply(405, `${req.method} is not allowed here`));
}
