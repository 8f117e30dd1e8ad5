import type { MessageKey } from './message-key';
import { uiString } from './runtime';

/** A string from _locales (en-GB wording), with positional substitutions. Falls back to the key, visibly. */
export function t(key: MessageKey, ...substitutions: string[]): string {
  return uiString(key, substitutions) || key;
}
