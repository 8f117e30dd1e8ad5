import { expiredCookie, headerValue, htmlReply, redirectReply, sessionCookie } from './http-kit';
import { PKB, PKB_PATHS, PKB_SESSION_COOKIE } from './pkb-fixtures';
import type { PkbSettings } from './pkb-fixtures';
import { relativeRedirectProblem, sameOriginLocation } from './pkb-otp';
import { renderHome, renderLogin, renderMessage, renderPatientSummary } from './pkb-pages';
import { checkCredentials } from './pkb-state';
import type { PkbState } from './pkb-state';
import type { SandboxReply, SandboxRequest } from './types';

/** PKB's web app: the OTP landing (otp.action), the web sign-in, and the clinician pages behind the session. */

const NHS_NUMBER = /^[0-9]{10}$/;
const OTP_REFUSED = `${PKB_PATHS.login}?error=otp`;

function notAllowed(req: SandboxRequest, allow: string): SandboxReply {
  return htmlReply(405, renderMessage(undefined, 'Method not allowed', 'pkb-error', `${req.method} is not allowed here`), { allow });
}

function redirectRefused(problem: string): SandboxReply {
  return htmlReply(400, renderMessage(undefined, 'Invalid redirect', 'pkb-error', `redirect_uri must be a relative URL: ${problem}.`));
}

/** A validated relative target on this origin, or a reason to refuse it. */
function relativeTarget(value: string, origin: string): { location: string } | { problem: string } {
  const problem = relativeRedirectProblem(value);
  if (problem) return { problem };
  const location = sameOriginLocation(value, origin);
  return location ? { location } : { problem: 'it leaves PKB' };
}

export function createPkbWeb(state: PkbState, settings: { readonly current: PkbSettings }) {
  /**
   * GET /otp.action?otpToken=&redirect_uri=. The OTP is burned first, so it is spent even when the redirect_uri
   * is refused. Only GET redeems: a HEAD or a link preview must not burn it.
   */
  function otpLogin(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET') return notAllowed(req, 'GET');
    const outcome = state.otps.burn(req.query.get('otpToken'));
    const redirects = req.query.getAll('redirect_uri');
    let location: string = PKB_PATHS.home;
    if (redirects.length > 1) {
      state.stats.otpRefused += 1;
      return redirectRefused('it was given more than once');
    }
    if (redirects.length === 1) {
      const target = relativeTarget(redirects[0] ?? '', req.url.origin);
      if ('problem' in target) {
        state.stats.otpRefused += 1;
        return redirectRefused(target.problem);
      }
      location = target.location;
    }
    if (!outcome.ok) {
      state.stats.otpRefused += 1;
      return redirectReply(OTP_REFUSED);
    }
    if (settings.current.refuseNextOtps > 0) {
      settings.current.refuseNextOtps -= 1;
      state.stats.otpRefused += 1;
      return redirectReply(OTP_REFUSED);
    }
    state.stats.otpRedeemed += 1;
    const id = state.startSession(outcome.accountId, 'otp', req.cookies[PKB_SESSION_COOKIE]);
    return redirectReply(location, { 'set-cookie': sessionCookie(PKB_SESSION_COOKIE, id) });
  }

  /** The web sign-in (no OAuth): where refused OTPs and signed-out page visits land. */
  function login(req: SandboxRequest): SandboxReply {
    const otpRefused = req.query.get('error') === 'otp';
    if (req.method === 'GET') {
      const next = req.query.get('next') ?? undefined;
      return htmlReply(200, renderLogin({ action: PKB_PATHS.login, otpRefused, ...(next ? { next } : {}) }));
    }
    if (req.method !== 'POST') return notAllowed(req, 'GET, POST');
    const type = headerValue(req.headers['content-type']) ?? '';
    const form = type.toLowerCase().startsWith('application/x-www-form-urlencoded') ? new URLSearchParams(req.body) : new URLSearchParams();
    const next = form.get('next') ?? '';
    const result = checkCredentials(form.get('username'), form.get('password'));
    if ('error' in result) return htmlReply(200, renderLogin({ action: PKB_PATHS.login, error: result.error, ...(next ? { next } : {}) }));
    // `next` gets the same relative-only rule as otp.action's redirect_uri; anything else goes home.
    const target = next ? relativeTarget(next, req.url.origin) : undefined;
    const location = target && 'location' in target ? target.location : PKB_PATHS.home;
    const id = state.startSession(result.clinician.accountId, 'password', req.cookies[PKB_SESSION_COOKIE]);
    return redirectReply(location, { 'set-cookie': sessionCookie(PKB_SESSION_COOKIE, id) });
  }

  function logout(req: SandboxRequest): SandboxReply {
    state.endSession(req.cookies[PKB_SESSION_COOKIE]);
    return redirectReply(PKB_PATHS.login, { 'set-cookie': expiredCookie(PKB_SESSION_COOKIE) });
  }

  /** Clinician pages need the web session; without one, the sign-in page with a way back. */
  function clinicianPage(req: SandboxRequest): SandboxReply {
    if (req.method !== 'GET' && req.method !== 'HEAD') return notAllowed(req, 'GET, HEAD');
    const signedIn = state.sessionUser(req.cookies[PKB_SESSION_COOKIE]);
    if (!signedIn) return redirectReply(`${PKB_PATHS.login}?next=${encodeURIComponent(`${req.path}${req.url.search}`)}`);
    const user = signedIn.clinician;
    if (req.path === PKB_PATHS.home) return htmlReply(200, renderHome(user, PKB.patients));
    const nhsNumber = req.query.get('nhsNumber') ?? '';
    const patient = NHS_NUMBER.test(nhsNumber) ? PKB.patients.find((p) => p.nhsNumber === nhsNumber) : undefined;
    if (!patient) return htmlReply(404, renderMessage(user, 'Patient not found', 'pkb-error', `No patient with NHS number ${nhsNumber} in PKB.`));
    return htmlReply(200, renderPatientSummary(user, patient, PKB.dataFromOtherOrg.has(nhsNumber)));
  }

  /** The web app's routes, or undefined when the path is not one of them. */
  return function handleWeb(req: SandboxRequest): SandboxReply | undefined {
    switch (req.path) {
      case PKB_PATHS.otpLogin:
        return otpLogin(req);
      case PKB_PATHS.login:
        return login(req);
      case PKB_PATHS.logout:
        return logout(req);
      case '/':
        return redirectReply(PKB_PATHS.home);
      case PKB_PATHS.home:
      case PKB_PATHS.patientSummary:
        return clinicianPage(req);
      default:
        return undefined;
    }
  };
}
