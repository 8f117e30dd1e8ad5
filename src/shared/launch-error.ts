import type { MessageKey } from './message-key';

/**
 * How the extension words an error for the clinician: a _locales key and its substitutions. Connectors run in
 * the broker too (Node, no chrome.i18n), so each error also keeps an English message as the fallback.
 */
export type Wording = readonly [key: MessageKey, ...substitutions: string[]];

/**
 * An error whose message is written for the clinician. Messages never contain a token, secret or launch URL:
 * they are shown on the page and stored in the audit trail.
 */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
  constructor(
    readonly code: string,
    message: string,
    readonly wording?: Wording,
  ) {
    super(message);
  }
}

export function isLaunchError(error: unknown): error is LaunchError {
  return error instanceof LaunchError;
}
