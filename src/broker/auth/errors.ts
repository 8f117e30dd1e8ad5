/**
 * Why the broker refused a request's credentials. The message is written for the person (or IT) reading the
 * problem answer and the log: it says what was wrong, never quotes the token, the proof or any claim value.
 */

export type BrokerAuthCode =
  /** The access token is missing, malformed, expired, for someone else, or refused by the identity provider. */
  | 'invalid_token'
  /** The DPoP proof is missing, malformed, for another request, stale, replayed, or not signed by its key. */
  | 'invalid_dpop_proof'
  /** The installation's key is not enrolled where enrolment is required. */
  | 'installation_not_enrolled'
  /** The identity provider could not be asked (down, timing out, or answering unusably). */
  | 'idp_unreachable';

export class BrokerAuthError extends Error {
  override readonly name = 'BrokerAuthError';

  /** Deliberately no `cause`: library errors can carry token payloads, and loggers print causes. */
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: BrokerAuthCode,
    message: string,
  ) {
    super(message);
  }
}

export function invalidToken(message: string): BrokerAuthError {
  return new BrokerAuthError(401, 'invalid_token', message);
}

export function invalidProof(message: string): BrokerAuthError {
  return new BrokerAuthError(401, 'invalid_dpop_proof', message);
}

export function idpUnreachable(message: string): BrokerAuthError {
  return new BrokerAuthError(503, 'idp_unreachable', message);
}
