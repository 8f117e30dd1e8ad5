import { randomBytes } from 'node:crypto';
import { OtpLedger } from './pkb-otp';
import { PKB } from './pkb-fixtures';
import type { PkbClinician } from './pkb-fixtures';

/** PKB's one-time state outside oidc-provider (OTPs, web sessions, counters) and the account look-ups. */

export interface PkbStats {
  tokenRequests: { authorization_code: number; refresh_token: number };
  otpMinted: number;
  otpRedeemed: number;
  otpRefused: number;
  dataFromOtherOrgRequests: number;
}

export interface WebSession {
  accountId: string;
  startedAt: number;
  /** How the session started: an OTP (single sign-on) or the password form. */
  via: 'otp' | 'password';
}

export class PkbState {
  readonly otps = new OtpLedger();
  private readonly sessions = new Map<string, WebSession>();
  stats: PkbStats = emptyStats();

  startSession(accountId: string, via: WebSession['via'], previous: string | undefined): string {
    if (previous) this.sessions.delete(previous);
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { accountId, startedAt: Date.now(), via });
    return id;
  }

  endSession(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** The session's clinician, or undefined when there is no session or the account is no longer usable. */
  sessionUser(id: string | undefined): { clinician: PkbClinician; session: WebSession } | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    const clinician = session ? usableClinician(session.accountId) : undefined;
    return session && clinician ? { clinician, session } : undefined;
  }

  clear(): void {
    this.otps.clear();
    this.sessions.clear();
    this.stats = emptyStats();
  }
}

function emptyStats(): PkbStats {
  return { tokenRequests: { authorization_code: 0, refresh_token: 0 }, otpMinted: 0, otpRedeemed: 0, otpRefused: 0, dataFromOtherOrgRequests: 0 };
}

export function usableClinician(accountId: string): PkbClinician | undefined {
  return PKB.clinicians.find((c) => c.accountId === accountId && !c.locked);
}

export const LOCKED_MESSAGE = 'This account is locked. Contact your PKB administrator.';
const BAD_CREDENTIALS = 'The username or password is not correct.';

/** The password check behind both login forms (the OAuth authorisation page and the web sign-in). */
export function checkCredentials(username: string | null, password: string | null): { clinician: PkbClinician } | { error: string } {
  const clinician = PKB.clinicians.find((c) => c.username === username && c.password === password);
  if (!clinician) return { error: BAD_CREDENTIALS };
  if (clinician.locked) return { error: LOCKED_MESSAGE };
  return { clinician };
}
