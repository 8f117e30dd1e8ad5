/**
 * An error whose message is written for the clinician. Messages never contain a token, secret or launch URL:
 * they are shown on the page and stored in the audit trail.
 */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isLaunchError(error: unknown): error is LaunchError {
  return error instanceof LaunchError;
}
