import { t } from './i18n';
import type { LaunchError, Wording } from './launch-error';

/** A wording (a _locales key and its substitutions) as the clinician reads it. */
export function wordingText([key, ...substitutions]: Wording): string {
  return t(key, ...substitutions);
}

/**
 * What the clinician reads for a launch error: its wording from _locales. An error with no wording yet keeps its
 * English message (src/shared/ui-strings.test.ts lists the few places that still throw one).
 */
export function launchErrorText(error: Pick<LaunchError, 'message' | 'wording'>): string {
  return error.wording ? wordingText(error.wording) : error.message;
}
