import { randomBytes } from 'node:crypto';
import { PARCHMENT } from './fixtures';
import { headerValue, isPlainObject, jsonReply, secretsEqual } from './http-kit';
import { checkRedirectPath } from './parchment-paths';
import type { ParchmentState } from './parchment-state';
import type { SandboxLinks, SandboxModule, SandboxReply, SandboxRequest } from './types';

export const SSO_PATH = '/external/v1/sso';

const REQUIRED_HEADERS = ['x-partner-id', 'x-partner-secret', 'x-organization-id', 'x-organization-secret', 'x-user-id'] as const;

const PROBLEM_KINDS: Record<number, [kind: string, title: string]> = {
  400: ['invalid-request', 'Invalid request'],
  401: ['authentication-required', 'Unauthorized'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  413: ['payload-too-large', 'Payload too large'],
  429: ['too-many-requests', 'Too many requests'],
  500: ['internal-error', 'Internal server error'],
  502: ['bad-gateway', 'Bad gateway'],
  503: ['service-unavailable', 'Service unavailable'],
  504: ['gateway-timeout', 'Gateway timeout'],
};

/** Parchment's documented error body: { success: false, error: { type, title, detail } }. */
export function parchmentProblem(status: number, detail: string, headers: Record<string, string> = {}): SandboxReply {
  const [kind, title] = PROBLEM_KINDS[status] ?? (status >= 500 ? ['internal-error', 'Internal server error'] : ['invalid-request', 'Invalid request']);
  return jsonReply(status, { success: false, error: { type: `https://parchment.health/errors/${kind}`, title, detail } }, headers);
}

class Rejection extends Error {
  constructor(readonly reply: SandboxReply) {
    super(reply.body);
  }
}

function reject(status: number, detail: string): never {
  throw new Rejection(parchmentProblem(status, detail));
}

function requireHeaders(req: SandboxRequest): Record<(typeof REQUIRED_HEADERS)[number], string> {
  const values = Object.fromEntries(REQUIRED_HEADERS.map((name) => [name, headerValue(req.headers[name])?.trim() ?? '']));
  const missing = REQUIRED_HEADERS.filter((name) => values[name] === '');
  if (missing.length > 0) reject(400, `Missing required headers: ${missing.join(', ')}`);
  return values as Record<(typeof REQUIRED_HEADERS)[number], string>;
}

function requireRedirectPath(req: SandboxRequest): string {
  const mediaType = (headerValue(req.headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') reject(400, 'Content-Type must be application/json');
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    reject(400, 'Request body must be valid JSON');
  }
  if (!isPlainObject(body)) return reject(400, 'Request body must be a JSON object');
  const redirectPath = body['redirect_path'];
  if (redirectPath === undefined) reject(400, 'redirect_path is required');
  if (typeof redirectPath !== 'string') return reject(400, 'redirect_path must be a string');
  return redirectPath;
}

function checkPartner(partnerId: string, partnerSecret: string): void {
  const ok = partnerId === PARCHMENT.partnerId && secretsEqual(partnerSecret, PARCHMENT.partnerSecret);
  if (!ok) reject(401, 'Invalid partner credentials');
}

function checkOrganization(partnerId: string, organizationId: string, organizationSecret: string): void {
  const org = PARCHMENT.organizations.find((o) => o.organizationId === organizationId);
  const ok = org !== undefined && secretsEqual(organizationSecret, org.organizationSecret) && org.partnerId === partnerId;
  if (!ok) reject(401, 'Invalid organization credentials');
}

/** Membership is checked before `active` so nothing is revealed about other organizations' users. */
function checkUser(userId: string, organizationId: string): void {
  const user = PARCHMENT.users.find((u) => u.userId === userId);
  if (!user) reject(403, `User ${userId} not found`);
  else if (user.organizationId !== organizationId) reject(403, `User ${userId} does not belong to organization ${organizationId}`);
  else if (!user.active) reject(403, `User ${userId} is inactive`);
}

function checkTarget(redirectPath: string, organizationId: string): void {
  const checked = checkRedirectPath(redirectPath);
  if ('problem' in checked) return reject(400, checked.problem);
  const { patientId } = checked.page;
  if (patientId === undefined) return;
  const patient = PARCHMENT.patients.find((p) => p.id === patientId && p.organizationId === organizationId);
  if (!patient) reject(400, `Patient ${patientId} not found in organization ${organizationId}`);
}

export function createParchmentApi(state: ParchmentState, links: SandboxLinks): SandboxModule {
  function issueToken(partnerId: string, organizationId: string, userId: string, redirectPath: string): SandboxReply {
    const token = randomBytes(32).toString('base64url');
    const issuedAt = Date.now();
    const ttlSeconds = state.settings.current.tokenTtlSeconds;
    state.tokens.set(token, { token, partnerId, organizationId, userId, redirectPath, issuedAt, expiresAt: issuedAt + ttlSeconds * 1000, usedAt: null });
    const redirectUrl = `${links.urlOf('parchment-portal')}/auth/sso?token=${encodeURIComponent(token)}&redirect=${encodeURIComponent(redirectPath)}`;
    return jsonReply(200, { success: true, data: { sso_token: token, redirect_url: redirectUrl, expires_in: ttlSeconds } });
  }

  /** Check order: route, method, headers, body, partner, organization, user, redirect_path, patient. */
  function handle(req: SandboxRequest): SandboxReply {
    if (req.path !== SSO_PATH) return parchmentProblem(404, `No route for ${req.method} ${req.path}`);
    try {
      if (req.method !== 'POST') return parchmentProblem(405, `Method ${req.method} is not allowed; use POST`, { allow: 'POST' });
      const headers = requireHeaders(req);
      const redirectPath = requireRedirectPath(req);
      checkPartner(headers['x-partner-id'], headers['x-partner-secret']);
      checkOrganization(headers['x-partner-id'], headers['x-organization-id'], headers['x-organization-secret']);
      checkUser(headers['x-user-id'], headers['x-organization-id']);
      checkTarget(redirectPath, headers['x-organization-id']);
      return issueToken(headers['x-partner-id'], headers['x-organization-id'], headers['x-user-id'], redirectPath);
    } catch (error) {
      if (error instanceof Rejection) return error.reply;
      throw error;
    }
  }

  return {
    name: 'parchment-api',
    handle,
    errorReply: (status, message) => parchmentProblem(status, message),
    settings: state.settings,
  };
}
