import browser from 'webextension-polyfill';

/** A string from _locales (en-GB wording), with positional substitutions. Falls back to the key, visibly. */
export function t(key: string, ...substitutions: string[]): string {
  return browser.i18n.getMessage(key, substitutions) || key;
}
