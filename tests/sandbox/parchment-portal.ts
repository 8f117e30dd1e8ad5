import { randomBytes } from 'node:crypto';
import { PARCHMENT } from './fixtures';
import { expiredCookie, htmlReply, redirectReply, sessionCookie } from './http-kit';
import { renderPortalMessage, renderPortalPage } from './parchment-pages';
import { parsePortalPage } from './parchment-paths';
import type { ParchmentState, PortalSession } from './parchment-state';
import type { SandboxModule, SandboxReply, SandboxRequest } from './types';

export const PORTAL_COOKIE = 'parchment_session';

/** Full portal pages refuse framing; /embed/ pages are meant for iframes and omit it. */
const NO_FRAMING = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

function ssoError(code: string, message: string): SandboxReply {
  return htmlReply(401, renderPortalMessage('Single sign-on failed', 'sso-error', message, code), NO_FRAMING);
}

export function createParchmentPortal(state: ParchmentState): SandboxModule {
  /**
   * Check order: token present, known, unused, unexpired, redirect present, redirect equal to
   * the issued path. A failed attempt does not consume the token.
   */
  function redeem(req: SandboxRequest): SandboxReply {
    const token = req.query.get('token');
    if (!token) return ssoError('token-missing', 'Missing token parameter');
    const record = state.tokens.get(token);
    if (!record) return ssoError('token-unknown', 'Unknown SSO token');
    if (record.usedAt !== null) return ssoError('token-used', 'SSO token has already been used');
    const now = Date.now();
    if (now >= record.expiresAt) return ssoError('token-expired', `SSO token expired ${now - record.expiresAt} ms ago`);
    const redirect = req.query.get('redirect');
    if (redirect === null) return ssoError('redirect-missing', 'Missing redirect parameter');
    if (redirect !== record.redirectPath) {
      return ssoError('redirect-mismatch', `redirect does not match the path the token was issued for (issued for ${record.redirectPath}, got ${redirect})`);
    }
    record.usedAt = now;
    const session: PortalSession = {
      id: randomBytes(24).toString('base64url'),
      userId: record.userId,
      organizationId: record.organizationId,
      tokenIssuedAt: record.issuedAt,
      redeemedAt: now,
    };
    state.sessions.set(session.id, session);
    return redirectReply(record.redirectPath, { 'set-cookie': sessionCookie(PORTAL_COOKIE, session.id) });
  }

  function showPage(req: SandboxRequest): SandboxReply {
    const page = parsePortalPage(req.path);
    if (!page) return htmlReply(404, renderPortalMessage('Not found', 'portal-error', `No page at ${req.path}`));
    const framing = page.embed ? {} : NO_FRAMING;
    const session = state.sessions.get(req.cookies[PORTAL_COOKIE] ?? '');
    const user = session && PARCHMENT.users.find((u) => u.userId === session.userId);
    const organization = session && PARCHMENT.organizations.find((o) => o.organizationId === session.organizationId);
    if (!session || !user || !organization) {
      return htmlReply(401, renderPortalMessage('Sign in required', 'sign-in-required', 'Sign in required'), framing);
    }
    const patients = PARCHMENT.patients.filter((p) => p.organizationId === organization.organizationId);
    const patient = page.patientId === undefined ? undefined : patients.find((p) => p.id === page.patientId);
    if (page.patientId !== undefined && !patient) {
      return htmlReply(404, renderPortalMessage('Patient not found', 'portal-error', `Patient ${page.patientId} not found in ${organization.name}`), framing);
    }
    const tokenAgeMs = session.redeemedAt - session.tokenIssuedAt;
    return htmlReply(200, renderPortalPage({ page, user, organization, patient, patients, tokenAgeMs }), framing);
  }

  function handle(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return htmlReply(405, renderPortalMessage('Method not allowed', 'portal-error', `${req.method} is not allowed`), { allow: 'GET, HEAD' });
    }
    if (req.path === '/') return redirectReply('/dashboard');
    // Only a real navigation (GET) may spend a token; a HEAD probe must not burn it.
    if (req.path === '/auth/sso') {
      return req.method === 'GET' ? redeem(req) : htmlReply(405, renderPortalMessage('Method not allowed', 'portal-error', 'Use GET'), { allow: 'GET' });
    }
    if (req.path === '/auth/logout') {
      state.sessions.delete(req.cookies[PORTAL_COOKIE] ?? '');
      return htmlReply(200, renderPortalMessage('Signed out', 'signed-out', 'You have signed out of Parchment.'), {
        'set-cookie': expiredCookie(PORTAL_COOKIE),
      });
    }
    return showPage(req);
  }

  return {
    name: 'parchment-portal',
    handle,
    errorReply: (status, message) => htmlReply(status, renderPortalMessage(`Error ${status}`, 'portal-error', message)),
    settings: state.settings,
  };
}
