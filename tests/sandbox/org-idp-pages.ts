import { escapeHtml, htmlDocument, simpleErrorPage } from './html';
import { htmlReply } from './http-kit';
import type { OrgIdpRole } from './org-idp-fixtures';
import type { SandboxReply } from './types';

/** The `org-idp` pages: sign-in (username and password) and the CIS2-style role choice. */

export const ORG_IDP_SITE = 'Organisation sign-in (sandbox)';

const CSS =
  'body{font-family:system-ui,sans-serif;margin:2rem;color:#212b32}label{display:block;margin-top:1rem}.error{color:#d5281b}' +
  'ul{list-style:none;padding:0}li{margin:1rem 0;padding:.75rem;border:1px solid #aeb7bd;max-width:32rem}.org{color:#4c6272}';

export function loginPage(options: { action: string; clientId: string; loginHint?: string; error?: string }): string {
  return htmlDocument({
    title: `Sign in - ${ORG_IDP_SITE}`,
    css: CSS,
    body: `<h1>${ORG_IDP_SITE}</h1>
<p>Sign in to continue to <span data-testid="org-idp-client">${escapeHtml(options.clientId)}</span></p>
${options.error ? `<p class="error" data-testid="org-idp-error">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" data-testid="org-idp-login-form">
<label>Username <input name="username" autocomplete="username" value="${escapeHtml(options.loginHint ?? '')}" data-testid="org-idp-username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" data-testid="org-idp-password"></label>
<p><button type="submit" data-testid="org-idp-submit">Continue</button></p>
</form>`,
  });
}

/** One submit button per role (`name="role"`, value = person_roleid), so a click is the choice. */
export function rolePage(options: { action: string; name: string; roles: readonly OrgIdpRole[]; error?: string }): string {
  const items = options.roles
    .map(
      (role) => `<li data-testid="org-idp-role-option" data-role-id="${escapeHtml(role.person_roleid)}">
<span data-testid="org-idp-role-name">${escapeHtml(role.role_name)}</span> <span class="org" data-testid="org-idp-role-org">${escapeHtml(role.org_code)}</span>
<p><button type="submit" name="role" value="${escapeHtml(role.person_roleid)}" data-testid="org-idp-role-${escapeHtml(role.person_roleid)}">Continue as ${escapeHtml(role.role_name)}</button></p>
</li>`,
    )
    .join('\n');
  return htmlDocument({
    title: `Choose your role - ${ORG_IDP_SITE}`,
    css: CSS,
    body: `<h1>Choose your role</h1>
<p>Signed in as <span data-testid="org-idp-user">${escapeHtml(options.name)}</span></p>
${options.error ? `<p class="error" data-testid="org-idp-error">${escapeHtml(options.error)}</p>` : ''}
<form method="post" action="${escapeHtml(options.action)}" data-testid="org-idp-role-form">
<ul>
${items}
</ul>
</form>`,
  });
}

export function orgIdpErrorReply(status: number, message: string): SandboxReply {
  return htmlReply(status, simpleErrorPage(status, message, ORG_IDP_SITE));
}
