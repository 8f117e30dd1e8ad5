import { createHash } from 'node:crypto';

/**
 * The extension's identity at the sandbox's providers, in both browsers: the redirect URIs
 * `identity.getRedirectURL(path)` returns and the Origin its token requests carry. Partners and IdPs register
 * both browsers' URIs; nothing else about a client is relaxed.
 */

/** The Chromium id (fixed by the manifest's `key`). */
export const CHROMIUM_EXTENSION_ID = 'ikbkgfoadadldhedkemepfmjnahodadh';
/** The Firefox build's add-on id (browser_specific_settings.gecko.id). */
export const GECKO_ID = 'ehr-launchpad@ehr-launchpad';
/** The moz-extension UUID the Firefox tests fix through the pref extensions.webextensions.uuids. */
export const FIREFOX_EXTENSION_UUID = '6f1c2a4e-5b7d-4e09-9c3a-2d8e4b1f7a60';

/** Firefox's default for the pref extensions.webextensions.identity.redirectDomain. */
export const FIREFOX_REDIRECT_DOMAIN = 'extensions.allizom.org';

/**
 * The host label Firefox puts before its redirect domain: the lowercase hex SHA-1 of the add-on id's UTF-8
 * bytes (Firefox's ext-identity.js computeHash). It depends only on the id, so it is the same on every install.
 */
export function firefoxRedirectLabel(addonId: string): string {
  return createHash('sha1').update(addonId, 'utf8').digest('hex');
}

/** `identity.getRedirectURL(path)` in Chromium. */
export function chromiumRedirectUri(path: string, extensionId = CHROMIUM_EXTENSION_ID): string {
  return `https://${extensionId}.chromiumapp.org/${path}`;
}

/** `identity.getRedirectURL(path)` in Firefox. */
export function firefoxRedirectUri(path: string, addonId = GECKO_ID): string {
  return `https://${firefoxRedirectLabel(addonId)}.${FIREFOX_REDIRECT_DOMAIN}/${path}`;
}

/** Both browsers' redirect URIs for one path, Chromium first. */
export function extensionRedirectUris(path: string): readonly string[] {
  return Object.freeze([chromiumRedirectUri(path), firefoxRedirectUri(path)]);
}

export const CHROMIUM_EXTENSION_ORIGIN = `chrome-extension://${CHROMIUM_EXTENSION_ID}`;
export const FIREFOX_EXTENSION_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;
/** The Origins the extension's own requests carry, Chromium first: the only ones a provider allows CORS. */
export const EXTENSION_ORIGINS: readonly string[] = Object.freeze([CHROMIUM_EXTENSION_ORIGIN, FIREFOX_EXTENSION_ORIGIN]);
