import { PATIENTS } from './fixtures';
import { CHROMIUM_EXTENSION_ORIGIN, chromiumRedirectUri, EXTENSION_ORIGINS, extensionRedirectUris } from './redirect-uris';
import type { DemoPatient } from './fixtures';

/**
 * Patients Know Best (PKB) sandbox data and paths (`pkb` server). All people are fictitious. The clinicians are the
 * EHR's CLINICIANS (same usernames and names); the patients are the EHR's PATIENTS.
 */

export interface PkbClinician {
  readonly accountId: string;
  readonly username: string;
  readonly password: string;
  readonly name: string;
  /** A locked account: its login is refused with a message. */
  readonly locked?: boolean;
}

export interface PkbSettings {
  /** Lifetime of access tokens issued from now on (whole seconds). */
  accessTokenTtlSeconds: number;
  /** Lifetime of OTPs minted from now on (seconds; fractions allowed so tests can expire OTPs in milliseconds). */
  otpTtlSeconds: number;
  /** Sandbox switch: refuse the next N otp.action redemptions of otherwise valid OTPs, as if they had expired. */
  refuseNextOtps: number;
  /** Seconds a rotated refresh token may still be used (0 = strict: any reuse revokes the grant). */
  refreshTokenReuseGraceSeconds: number;
}

/** PKB's paths. The OAuth paths are oidc-provider `routes`; the rest are served by the module itself. */
export const PKB_PATHS = Object.freeze({
  authorize: '/apiAuthorize.action',
  token: '/oauth/token',
  revocation: '/oauth/revoke',
  otp: '/api/sso/otp',
  /** `{nhsNumber}` is replaced by 10 digits. */
  dataFromOtherOrg: '/api/patients/{nhsNumber}/dataFromOtherOrg',
  otpLogin: '/otp.action',
  login: '/login.action',
  logout: '/logout.action',
  home: '/clinician/home.action',
  /** Takes `?nhsNumber=<10 digits>`. */
  patientSummary: '/clinician/patientSummary.action',
  /** Sandbox-only: revoke every grant (a revoked pairing). */
  revokeRefreshTokens: '/_sandbox/revoke-refresh-tokens',
  /** Sandbox-only: request and OTP counters. */
  stats: '/_sandbox/stats',
});

export const PKB_SESSION_COOKIE = 'PKBSESSION';

export function dataFromOtherOrgPath(nhsNumber: string): string {
  return PKB_PATHS.dataFromOtherOrg.replace('{nhsNumber}', encodeURIComponent(nhsNumber));
}

export function patientSummaryPath(nhsNumber: string): string {
  return `${PKB_PATHS.patientSummary}?nhsNumber=${encodeURIComponent(nhsNumber)}`;
}

const CLINICIANS: readonly PkbClinician[] = Object.freeze([
  Object.freeze({ accountId: 'pkb-clin-1001', username: 'dr.jones', password: 'password', name: 'Dr Alice Jones' }),
  Object.freeze({ accountId: 'pkb-clin-1002', username: 'dr.patel', password: 'password', name: 'Dr Raj Patel' }),
  Object.freeze({ accountId: 'pkb-clin-1003', username: 'locum.gray', password: 'password', name: 'Dr Morgan Gray', locked: true }),
]);

const patientAt = (index: number): DemoPatient => {
  const patient = PATIENTS[index];
  if (!patient) throw new Error(`PKB fixtures need EHR patient #${index}`);
  return patient;
};

export const PKB = Object.freeze({
  /** The Trust's user client (a human is authenticated): the extension, a public client using PKCE. */
  userClientId: 'ehr-launchpad-trust-users',
  redirectUri: chromiumRedirectUri('pkb'),
  /** The client's registered redirect URIs: the extension's in Chromium and in Firefox, each matched exactly. */
  redirectUris: extensionRedirectUris('pkb'),
  /** The Origin of the extension's token and revocation requests in Chromium. */
  extensionOrigin: CHROMIUM_EXTENSION_ORIGIN,
  /** The only origins allowed by CORS: the extension's in Chromium and in Firefox. */
  extensionOrigins: EXTENSION_ORIGINS,
  scope: 'clinician',
  paths: PKB_PATHS,
  clinicians: CLINICIANS,
  patients: PATIENTS,
  /** NHS numbers for which PKB holds data from another organisation (the first and third EHR patients). */
  dataFromOtherOrg: new Set([patientAt(0).nhsNumber, patientAt(2).nhsNumber]) as ReadonlySet<string>,
  authorizationCodeTtlSeconds: 60,
  defaultSettings: (): PkbSettings => ({ accessTokenTtlSeconds: 300, otpTtlSeconds: 60, refuseNextOtps: 0, refreshTokenReuseGraceSeconds: 0 }),
});
