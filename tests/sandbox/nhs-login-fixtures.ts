/**
 * NHS login sandbox data (`nhs-login` provider and the `nhs-login-rp2` demo app). All people are fictitious.
 */

import { CHROMIUM_EXTENSION_ORIGIN, chromiumRedirectUri, EXTENSION_ORIGINS, extensionRedirectUris } from './redirect-uris';

export interface NhsLoginUser {
  /** The account id, which is also the `sub` of every token. */
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly birthdate: string;
  readonly email: string;
  readonly phone: string;
}

export interface NhsLoginSettings {
  /** Public JWKs RP1 (the extension) publishes; they verify its private_key_jwt and asserted_login_identity JWTs. */
  rp1Jwks: Record<string, unknown>[];
}

export const NHS_LOGIN = Object.freeze({
  /** RP1 = EHR Launchpad (the extension). */
  rp1ClientId: 'ehr-launchpad-rp1',
  rp1RedirectUri: chromiumRedirectUri('nhs-login'),
  /** RP1's registered redirect URIs: the extension's in Chromium and in Firefox, each matched exactly. */
  rp1RedirectUris: extensionRedirectUris('nhs-login'),
  /** The Origin the extension's requests carry in Chromium. */
  rp1Origin: CHROMIUM_EXTENSION_ORIGIN,
  /** The Origins allowed CORS for RP1: the extension's in Chromium and in Firefox. */
  rp1Origins: EXTENSION_ORIGINS,
  /** RP2 = the demo app served by `nhs-login-rp2`. */
  rp2ClientId: 'demo-rp2',
  rp2ClientSecret: 'demo-rp2-sandbox-secret',
  rp2CallbackPath: '/callback',
  scopes: ['openid', 'profile', 'email', 'phone'] as readonly string[],
  /** asserted_login_identity: the longest allowed exp - iat, in seconds. */
  assertionMaxLifetimeSeconds: 60,
  /** Leeway for clocks when checking exp and iat, in seconds. */
  clockSkewSeconds: 5,
  users: Object.freeze([
    {
      id: 'nhs-login-citizen-1',
      username: 'citizen.one',
      password: 'password',
      givenName: 'Alex',
      familyName: 'Example',
      birthdate: '1980-04-12',
      email: 'citizen.one@example.test',
      phone: '+447700900001',
    },
    {
      id: 'nhs-login-citizen-2',
      username: 'citizen.two',
      password: 'password',
      givenName: 'Sam',
      familyName: 'Sample',
      birthdate: '1992-11-03',
      email: 'citizen.two@example.test',
      phone: '+447700900002',
    },
  ] as readonly NhsLoginUser[]),
  defaultSettings: (): NhsLoginSettings => ({ rp1Jwks: [] }),
});
