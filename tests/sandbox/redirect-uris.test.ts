import { describe, expect, it } from 'vitest';
import { GECKO_ID as BUILT_GECKO_ID } from '../../scripts/build/firefox-manifest';
import { chromiumRedirectUri, extensionRedirectUris, firefoxRedirectLabel, firefoxRedirectUri, GECKO_ID } from './redirect-uris';

describe('extension redirect URIs', () => {
  it('derives the Firefox host label as the hex SHA-1 of the add-on id', () => {
    // Read from Firefox ESR 153's own browser.identity.getRedirectURL('pkb') for this id.
    expect(firefoxRedirectUri('pkb')).toBe('https://b514670c8fc1c6ce3f245dfa273dccf78589597c.extensions.allizom.org/pkb');
    // SHA-1 of the empty string and of a non-ASCII id (hashed as UTF-8).
    expect(firefoxRedirectLabel('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(firefoxRedirectLabel('é@x')).toBe('1d6eba05ecf346889df58cd0f3201e0f6c61d3db');
  });

  it('gives Chromium its chromiumapp.org URI and lists both browsers', () => {
    expect(chromiumRedirectUri('org-idp')).toBe('https://ikbkgfoadadldhedkemepfmjnahodadh.chromiumapp.org/org-idp');
    expect(extensionRedirectUris('nhs-login')).toEqual([chromiumRedirectUri('nhs-login'), firefoxRedirectUri('nhs-login')]);
  });

  it('names the add-on id the Firefox build is given', () => {
    expect(GECKO_ID).toBe(BUILT_GECKO_ID);
  });
});
