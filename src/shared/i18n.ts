import type { MessageKey } from './message-key';
import { uiString } from './runtime';

/** A string from _locales (en-GB wording), with positional substitutions. Falls back to the key, visibly. */
export function t(key: MessageKey, ...substitutions: string[]): string;
/**
 * @deprecated Pass a MessageKey (a literal, or a value of a map typed `Record<…, MessageKey>`), never a key
 * built at run time; this overload goes once no caller needs it (lint reports each one).
 */
export function t(key: string, ...substitutions: string[]): string;
export function t(key: string, ...substitutions: string[]): string {
  return uiString(key, substitutions) || key;
}
