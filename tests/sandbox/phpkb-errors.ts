/** PHPKB SSO error codes, with the descriptions from the PHPKB SSO reference guide. */
export const PHPKB_ERRORS = {
  '400E1': 'Missing required URL parameter.',
  '400E2': 'Invalid URL parameter received.',
  '400E3': 'Timestamp parameter too old.',
  '400E4': 'User account can not be created because duplicate usernames are not allowed.',
  '401E1': 'Authentication failed; could not authenticate user because of invalid hash.',
  '401E2': 'Could not authenticate request because of invalid domain referrer.',
  '404E1': 'The requested user account is inactive.',
  '404E2': 'The requested user account not found in database.',
  '500E1': 'Database Error.',
  '503E1': 'SSO is not available. SSO is currently disabled.',
} as const;

export type PhpkbErrorCode = keyof typeof PHPKB_ERRORS;

/** A failed SSO check. `detail` is a sandbox addition naming the exact parameter or rule. */
export class PhpkbError extends Error {
  constructor(
    readonly code: PhpkbErrorCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }

  /** The HTTP status is the code's first three digits. */
  get status(): number {
    return Number(this.code.slice(0, 3));
  }
}

export function fail(code: PhpkbErrorCode, detail: string): never {
  throw new PhpkbError(code, detail);
}
