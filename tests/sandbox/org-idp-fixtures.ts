import { CLINICIANS } from './fixtures';
import { CHROMIUM_EXTENSION_ORIGIN, chromiumRedirectUri, EXTENSION_ORIGINS, extensionRedirectUris } from './redirect-uris';

/**
 * `org-idp` sandbox data: an organisation's workforce sign-in shaped like NHS Care Identity Service 2 (CIS2).
 * All people are fictitious; users shared with the demo EHR keep the identifiers of `CLINICIANS`.
 */

/** One national RBAC role, as CIS2 lists it in `nhsid_nrbac_roles`. */
export interface OrgIdpRole {
  readonly person_roleid: string;
  readonly role_name: string;
  readonly org_code: string;
}

export interface OrgIdpUser {
  readonly username: string;
  readonly password: string;
  /** The 12-digit SDS user id: the account id, `sub`, `uid` and `nhsid_useruid`. */
  readonly uid: string;
  readonly name: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email: string;
  readonly roles: readonly OrgIdpRole[];
}

export const ID_TOKEN_FAULTS = ['none', 'wrong-iss', 'wrong-aud', 'wrong-nonce', 'expired', 'unsigned', 'bad-signature', 'weak-acr'] as const;
export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];

export interface OrgIdpSettings {
  /** Public JWKs of the private_key_jwt client (`keyClientId`); none enrolled by default. */
  clientJwks: Record<string, unknown>[];
  /** Lifetime of ID tokens issued from now on. */
  idTokenTtlSeconds: number;
  /** Replaces the token endpoint's `id_token` with one carrying this defect ('none': untouched). */
  idTokenFault: IdTokenFault;
}

function clinicianEmail(id: string): string {
  const clinician = CLINICIANS.find((candidate) => candidate.id === id);
  if (!clinician) throw new Error(`org-idp fixtures: no clinician ${id}`);
  return clinician.email;
}

const GP = 'General Medical Practitioner';

export const ORG_IDP = Object.freeze({
  /** The extension as a public client (PKCE only). */
  clientId: 'ehr-launchpad',
  /** The extension as a confidential client authenticating with private_key_jwt (keys: setting `clientJwks`). */
  keyClientId: 'ehr-launchpad-key',
  redirectUri: chromiumRedirectUri('org-idp'),
  /** The extension's URI in Chromium and in Firefox, each matched exactly; no pattern. */
  redirectUris: extensionRedirectUris('org-idp'),
  /** The Origin the extension's token and userinfo requests carry in Chromium. */
  origin: CHROMIUM_EXTENSION_ORIGIN,
  /** The only origins allowed CORS: the extension's in Chromium and in Firefox. */
  origins: EXTENSION_ORIGINS,
  scopes: Object.freeze(['openid', 'profile', 'email', 'nationalrbacaccess', 'selectedrole']) as readonly string[],
  /** acr values published in discovery; the first one asked for in `acr_values` becomes the session's `acr`. */
  acrValues: Object.freeze(['AAL3_ANY', 'AAL2_OR_AAL3_ANY', 'AAL1_USERPASS']) as readonly string[],
  /** `acr` when none of the above is asked for: a password sign-in. */
  defaultAcr: 'AAL1_USERPASS',
  users: Object.freeze([
    {
      username: 'dr.jones',
      password: 'password',
      uid: '555000000101',
      name: 'Dr Alice Jones',
      givenName: 'Alice',
      familyName: 'Jones',
      email: clinicianEmail('dr.jones'),
      roles: Object.freeze([Object.freeze({ person_roleid: '555000000102', role_name: GP, org_code: 'Y90001' })]),
    },
    {
      username: 'dr.patel',
      password: 'password',
      uid: '555000000201',
      name: 'Dr Raj Patel',
      givenName: 'Raj',
      familyName: 'Patel',
      email: clinicianEmail('dr.patel'),
      roles: Object.freeze([
        Object.freeze({ person_roleid: '555000000202', role_name: GP, org_code: 'Y90001' }),
        Object.freeze({ person_roleid: '555000000203', role_name: 'Clinical Director', org_code: 'Y90001' }),
      ]),
    },
    {
      username: 'student.lee',
      password: 'password',
      uid: '555000000401',
      name: 'Sam Lee',
      givenName: 'Sam',
      familyName: 'Lee',
      email: 'sam.lee@riverside.example.nhs.uk',
      roles: Object.freeze([]),
    },
  ].map((user) => Object.freeze(user))) as readonly OrgIdpUser[],
  defaultSettings: (): OrgIdpSettings => ({ clientJwks: [], idTokenTtlSeconds: 300, idTokenFault: 'none' }),
});

export function orgIdpUserByUid(uid: string): OrgIdpUser | undefined {
  return ORG_IDP.users.find((user) => user.uid === uid);
}
