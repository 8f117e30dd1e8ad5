import { compactVerify, createLocalJWKSet } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { isPlainObject } from './http-kit';
import { NHS_LOGIN } from './nhs-login-fixtures';

/**
 * The asserted_login_identity check (NHS login SSO between two relying parties). Order:
 *  1. a compact JWS (ES256/RS256) verified by a key in RP1's registered jwks
 *  2. iss = RP1's client id
 *  3. code, jti, iat and exp present (strings / numeric dates)
 *  4. exp - iat <= 60 s, iat not in the future, exp not passed (5 s clock leeway)
 *  5. jti never seen before (it is spent from here on, even if a later check fails)
 *  6. code = the jti of an ID token this provider issued to RP1
 *  7. that ID token's session still exists
 */

export class AssertionError extends Error {}

/** What the provider remembers of each ID token it issued to RP1. */
export interface IssuedIdToken {
  accountId: string;
  sessionUid: string;
  sid: string | undefined;
  issuedAt: number;
}

export interface AssertionLedger {
  /** ID token jti -> what it was issued for (RP1 only). */
  readonly idTokens: Map<string, IssuedIdToken>;
  /** Assertion jti -> expiry (epoch seconds), kept for replay detection. */
  readonly usedJtis: Map<string, number>;
}

export function createLedger(): AssertionLedger {
  return { idTokens: new Map(), usedJtis: new Map() };
}

export function clearLedger(ledger: AssertionLedger): void {
  ledger.idTokens.clear();
  ledger.usedJtis.clear();
}

function numericDate(payload: Record<string, unknown>, claim: string): number {
  const value = payload[claim];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new AssertionError(`asserted_login_identity: ${claim} must be a NumericDate`);
  return value;
}

function text(payload: Record<string, unknown>, claim: string): string {
  const value = payload[claim];
  if (typeof value !== 'string' || value === '') throw new AssertionError(`asserted_login_identity: ${claim} is missing`);
  return value;
}

/**
 * Verifies an assertion and returns the RP1 ID token it points at. `sessionIsLive` asks the provider's
 * storage whether the RP1 session still exists. Throws AssertionError naming the failed check.
 */
export async function verifyAssertion(
  jwt: string,
  rp1Jwks: readonly Record<string, unknown>[],
  ledger: AssertionLedger,
  sessionIsLive: (sessionUid: string) => Promise<boolean>,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<IssuedIdToken> {
  let payload: unknown;
  try {
    const keys = createLocalJWKSet({ keys: rp1Jwks } as unknown as JSONWebKeySet);
    const verified = await compactVerify(jwt, keys, { algorithms: ['ES256', 'RS256'] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    throw new AssertionError(`asserted_login_identity: signature not verified by a key registered for ${NHS_LOGIN.rp1ClientId}`);
  }
  if (!isPlainObject(payload)) throw new AssertionError('asserted_login_identity: payload is not a JSON object');

  if (payload['iss'] !== NHS_LOGIN.rp1ClientId) throw new AssertionError(`asserted_login_identity: iss must be ${NHS_LOGIN.rp1ClientId}`);
  const code = text(payload, 'code');
  const jti = text(payload, 'jti');
  const iat = numericDate(payload, 'iat');
  const exp = numericDate(payload, 'exp');

  const skew = NHS_LOGIN.clockSkewSeconds;
  if (exp - iat > NHS_LOGIN.assertionMaxLifetimeSeconds) {
    throw new AssertionError(`asserted_login_identity: exp - iat is longer than ${NHS_LOGIN.assertionMaxLifetimeSeconds} seconds`);
  }
  if (exp <= iat) throw new AssertionError('asserted_login_identity: exp must be after iat');
  if (iat > nowSeconds + skew) throw new AssertionError('asserted_login_identity: iat is in the future');
  if (exp + skew <= nowSeconds) throw new AssertionError('asserted_login_identity: expired');

  for (const [used, expiry] of ledger.usedJtis) if (expiry + skew < nowSeconds) ledger.usedJtis.delete(used);
  if (ledger.usedJtis.has(jti)) throw new AssertionError('asserted_login_identity: jti already used (replay)');
  ledger.usedJtis.set(jti, exp);

  const issued = ledger.idTokens.get(code);
  if (!issued) throw new AssertionError(`asserted_login_identity: code does not match an ID token issued to ${NHS_LOGIN.rp1ClientId}`);
  if (!(await sessionIsLive(issued.sessionUid))) throw new AssertionError('asserted_login_identity: the RP1 session has ended');
  return issued;
}
