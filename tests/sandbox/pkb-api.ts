import { headerValue, jsonReply } from './http-kit';
import { PKB, PKB_PATHS } from './pkb-fixtures';
import type { PkbSettings } from './pkb-fixtures';
import type { PkbState } from './pkb-state';
import type { SandboxReply, SandboxRequest } from './types';

/** PKB's REST API: OTP minting and dataFromOtherOrg, both behind a Bearer access token of the user client. */

/** What the API needs to know about an access token (looked up in oidc-provider). */
export interface AccessTokenView {
  accountId: string;
  clientId: string;
  scope: string | undefined;
  expired: boolean;
}

export type AccessTokenLookup = (value: string) => Promise<AccessTokenView | undefined>;

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const DATA_FROM_OTHER_ORG = /^\/api\/patients\/([^/]*)\/dataFromOtherOrg$/;
const NHS_NUMBER = /^[0-9]{10}$/;

function invalidToken(description: string): SandboxReply {
  return jsonReply(401, { error: 'invalid_token', error_description: description }, { 'www-authenticate': 'Bearer error="invalid_token"' });
}

function methodNotAllowed(req: SandboxRequest, allow: string): SandboxReply {
  return jsonReply(405, { error: 'method_not_allowed', error_description: `${req.method} is not allowed; use ${allow}` }, { allow });
}

export function createPkbApi(state: PkbState, settings: { readonly current: PkbSettings }, lookup: AccessTokenLookup) {
  /** The clinician's account id, or the 401 answer. */
  async function authenticate(req: SandboxRequest): Promise<{ accountId: string } | { reply: SandboxReply }> {
    const header = headerValue(req.headers.authorization);
    if (!header) return { reply: invalidToken('Bearer access token required') };
    const value = BEARER.exec(header)?.[1];
    if (!value) return { reply: invalidToken('Authorization header must be "Bearer <access token>"') };
    const token = await lookup(value);
    if (!token) return { reply: invalidToken('access token is unknown, revoked or expired') };
    if (token.expired) return { reply: invalidToken('access token is expired') };
    if (token.clientId !== PKB.userClientId) return { reply: invalidToken('access token was not issued to the user client') };
    // Unreachable through the authorisation flow (clinician is the only scope, and required), kept as a guard.
    if (!(token.scope ?? '').split(' ').includes(PKB.scope)) return { reply: invalidToken(`access token lacks the ${PKB.scope} scope`) };
    return { accountId: token.accountId };
  }

  async function mintOtp(req: SandboxRequest): Promise<SandboxReply> {
    if (req.method !== 'POST') return methodNotAllowed(req, 'POST');
    const auth = await authenticate(req);
    if ('reply' in auth) return auth.reply;
    const expiresIn = settings.current.otpTtlSeconds;
    const otp = state.otps.mint(auth.accountId, expiresIn);
    state.stats.otpMinted += 1;
    return jsonReply(200, { otp, expiresIn });
  }

  async function dataFromOtherOrg(req: SandboxRequest, segment: string): Promise<SandboxReply> {
    state.stats.dataFromOtherOrgRequests += 1;
    if (req.method !== 'GET') return methodNotAllowed(req, 'GET');
    const auth = await authenticate(req);
    if ('reply' in auth) return auth.reply;
    let nhsNumber: string;
    try {
      nhsNumber = decodeURIComponent(segment);
    } catch {
      nhsNumber = segment;
    }
    if (!NHS_NUMBER.test(nhsNumber)) return jsonReply(400, { error: 'invalid_request', error_description: 'nhsNumber must be exactly 10 digits' });
    if (!PKB.patients.some((p) => p.nhsNumber === nhsNumber)) return jsonReply(404, { error: 'not_found' });
    return jsonReply(200, { nhsNumber, dataFromOtherOrg: PKB.dataFromOtherOrg.has(nhsNumber) });
  }

  /** The API's routes, or undefined when the path is not one of them. */
  return function handleApi(req: SandboxRequest): Promise<SandboxReply> | undefined {
    if (req.path === PKB_PATHS.otp) return mintOtp(req);
    const match = DATA_FROM_OTHER_ORG.exec(req.path);
    if (match) return dataFromOtherOrg(req, match[1] ?? '');
    return undefined;
  };
}
