import { t } from './i18n';
import type { LaunchError } from './launch-error';

/**
 * What the clinician reads for a launch error: its wording from _locales. An error with no wording yet keeps its
 * English message (errors-worded.test.ts lists the few places that still throw one).
 */
export function launchErrorText(error: Pick<LaunchError, 'message' | 'wording'>): string {
  if (!error.wording) return error.message;
  const [key, ...substitutions] = error.wording;
  return t(key, ...substitutions);
}
