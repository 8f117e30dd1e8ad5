/**
 * Sandbox data. All people are fictitious; NHS numbers are in the 999 test range and pass
 * the Modulus 11 check. Fixtures are frozen: servers copy what they need to mutate.
 */

export type Gender = 'male' | 'female' | 'other' | 'unknown';

export interface Address {
  lines: readonly string[];
  town: string;
  postcode: string;
}

export interface GpPractice {
  name: string;
  practice: string;
  odsCode: string;
}

export interface DemoPatient {
  /** 10 digits, no spaces. */
  nhsNumber: string;
  family: string;
  given: string;
  prefix: string;
  /** YYYY-MM-DD */
  birthDate: string;
  gender: Gender;
  address: Address;
  gp: GpPractice;
}

export interface Clinician {
  /** EHR username. */
  id: string;
  name: string;
  email: string;
  sdsUserId: string;
  roleProfileId: string;
  roleName: string;
  odsCode: string;
  parchmentUserId: string;
}

export interface ParchmentOrganization {
  organizationId: string;
  organizationSecret: string;
  name: string;
  /** The partner integration the organization enabled; null when it has not linked ours. */
  partnerId: string | null;
}

export interface ParchmentUser {
  userId: string;
  name: string;
  organizationId: string;
  active: boolean;
}

export interface ParchmentPatient {
  /** Parchment's own id, 'xxxx-xxxx-xxxx-xxxx' as in the partner guide. */
  id: string;
  nhsNumber: string;
  name: string;
  organizationId: string;
}

export interface ParchmentFixture {
  partnerId: string;
  partnerSecret: string;
  /** The primary organization (the demo practice). */
  organizationId: string;
  organizationSecret: string;
  organizationName: string;
  /** Primary organization, a second organization linked to the partner, and one that is not linked. */
  organizations: readonly ParchmentOrganization[];
  users: readonly ParchmentUser[];
  patients: readonly ParchmentPatient[];
}

export interface PhpkbUser {
  username: string;
  name: string;
  email: string;
  groups: number[];
  active: boolean;
}

/** PHPKB "Manage Settings > Miscellaneous > SSO", plus sandbox switches and the user table. */
export interface PhpkbSettings {
  enabled: boolean;
  secretToken: string;
  /** Hostnames compared with the Referer host; empty means unrestricted. */
  domainsAllowed: string[];
  /** Where the KB login page sends people; empty when unset. */
  returnUrl: string;
  verifyTimestamp: boolean;
  expiryMinutes: number;
  autoCreate: boolean;
  defaultGroups: number[];
  /** Sandbox switch: makes every user lookup fail with 500E1. */
  databaseDown: boolean;
  /** Sandbox switch: the KB's clock runs this many seconds ahead (a desktop clock that is behind). */
  clockOffsetSeconds: number;
  users: PhpkbUser[];
}

export interface PhpkbGroup {
  id: number;
  name: string;
}

export interface PhpkbCategory {
  id: number;
  name: string;
}

export interface PhpkbArticle {
  id: number;
  title: string;
  categoryId: number;
  /** Group ids allowed to read it; empty means public. */
  groups: readonly number[];
  body: string;
}

export interface PhpkbFixture {
  settings: PhpkbSettings;
  groups: readonly PhpkbGroup[];
  categories: readonly PhpkbCategory[];
  articles: readonly PhpkbArticle[];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const RIVERSIDE_GP: GpPractice = { name: 'Dr Helen Carter', practice: 'Riverside Medical Centre', odsCode: 'Y90001' };
const HILLTOP_GP: GpPractice = { name: 'Dr Owen Price', practice: 'Hilltop Surgery', odsCode: 'Y90002' };

export const PATIENTS: readonly DemoPatient[] = deepFreeze([
  {
    nhsNumber: '9990000018',
    family: 'SMITH',
    given: 'John',
    prefix: 'Mr',
    birthDate: '1985-03-12',
    gender: 'male',
    address: { lines: ['12 Mill Lane'], town: 'Leeds', postcode: 'LS1 4AB' },
    gp: RIVERSIDE_GP,
  },
  {
    nhsNumber: '9991234578',
    family: "O'BRIEN-SMITH",
    given: 'Zoë',
    prefix: 'Ms',
    birthDate: '1992-07-04',
    gender: 'female',
    address: { lines: ['Flat 3', '7 Canal Wharf'], town: 'Leeds', postcode: 'LS11 5PS' },
    gp: RIVERSIDE_GP,
  },
  {
    nhsNumber: '9992469137',
    family: 'PATEL',
    given: 'Priya',
    prefix: 'Mrs',
    birthDate: '1958-11-23',
    gender: 'female',
    address: { lines: ['88 Harehills Road'], town: 'Leeds', postcode: 'LS8 5HS' },
    gp: RIVERSIDE_GP,
  },
  {
    nhsNumber: '9993703702',
    family: 'NGUYEN',
    given: 'Minh',
    prefix: 'Mr',
    birthDate: '2001-01-30',
    gender: 'male',
    address: { lines: ['4 Beech Grove'], town: 'Otley', postcode: 'LS21 3AA' },
    gp: HILLTOP_GP,
  },
  {
    nhsNumber: '9994938274',
    family: 'WILLIAMS-JONES',
    given: 'Gareth',
    prefix: 'Dr',
    birthDate: '1947-09-09',
    gender: 'male',
    address: { lines: ['The Old Vicarage', 'Church Street'], town: 'Ilkley', postcode: 'LS29 9DS' },
    gp: HILLTOP_GP,
  },
  {
    nhsNumber: '9996172848',
    family: 'MACDONALD',
    given: 'Eilidh',
    prefix: 'Miss',
    birthDate: '2015-05-17',
    gender: 'female',
    address: { lines: ['21 Kirkgate'], town: 'Shipley', postcode: 'BD18 3QN' },
    gp: RIVERSIDE_GP,
  },
]);

export const CLINICIANS: readonly Clinician[] = deepFreeze([
  {
    id: 'dr.jones',
    name: 'Dr Alice Jones',
    email: 'alice.jones@riverside.example.nhs.uk',
    sdsUserId: '555000000101',
    roleProfileId: '555000000102',
    roleName: 'General Medical Practitioner',
    odsCode: 'Y90001',
    parchmentUserId: 'usr_8f3k2j1m9q',
  },
  {
    id: 'dr.patel',
    name: 'Dr Raj Patel',
    email: 'raj.patel@riverside.example.nhs.uk',
    sdsUserId: '555000000201',
    roleProfileId: '555000000202',
    roleName: 'General Medical Practitioner',
    odsCode: 'Y90001',
    parchmentUserId: 'usr_2n7v5c8x4d',
  },
  {
    id: 'locum.gray',
    name: 'Dr Morgan Gray',
    email: 'morgan.gray@riverside.example.nhs.uk',
    sdsUserId: '555000000301',
    roleProfileId: '555000000302',
    roleName: 'Locum General Practitioner',
    odsCode: 'Y90001',
    parchmentUserId: 'usr_6t1w3e9r0y',
  },
]);

const RIVERSIDE_ORG = 'org_riverside_4f2a';
const HILLTOP_ORG = 'org_hilltop_7c1e';
const UNLINKED_ORG = 'org_elmwood_9b3d';

export const PARCHMENT: ParchmentFixture = deepFreeze({
  partnerId: 'ptn_ehrlaunchpad_sbx',
  partnerSecret: 'psk_sbx_3Jx9QmV2rT8wLc5N',
  organizationId: RIVERSIDE_ORG,
  organizationSecret: 'osk_sbx_riverside_K7d2Pq',
  organizationName: 'Riverside Medical Centre',
  organizations: [
    { organizationId: RIVERSIDE_ORG, organizationSecret: 'osk_sbx_riverside_K7d2Pq', name: 'Riverside Medical Centre', partnerId: 'ptn_ehrlaunchpad_sbx' },
    { organizationId: HILLTOP_ORG, organizationSecret: 'osk_sbx_hilltop_M4s8Lw', name: 'Hilltop Surgery', partnerId: 'ptn_ehrlaunchpad_sbx' },
    { organizationId: UNLINKED_ORG, organizationSecret: 'osk_sbx_elmwood_Z1c6Hy', name: 'Elmwood Clinic', partnerId: null },
  ],
  users: [
    { userId: 'usr_8f3k2j1m9q', name: 'Dr Alice Jones', organizationId: RIVERSIDE_ORG, active: true },
    { userId: 'usr_2n7v5c8x4d', name: 'Dr Raj Patel', organizationId: RIVERSIDE_ORG, active: true },
    { userId: 'usr_6t1w3e9r0y', name: 'Dr Morgan Gray', organizationId: RIVERSIDE_ORG, active: false },
    { userId: 'usr_5h8j2k4l6p', name: 'Dr Owen Price', organizationId: HILLTOP_ORG, active: true },
    { userId: 'usr_9z1x3c5v7b', name: 'Dr Erin Walsh', organizationId: UNLINKED_ORG, active: true },
  ],
  // Eilidh MACDONALD (9996172848) is deliberately not mapped.
  patients: [
    { id: '4821-7730-1956-0042', nhsNumber: '9990000018', name: 'John Smith', organizationId: RIVERSIDE_ORG },
    { id: '6203-1187-4420-9315', nhsNumber: '9991234578', name: "Zoë O'Brien-Smith", organizationId: RIVERSIDE_ORG },
    { id: '7719-5502-8834-1160', nhsNumber: '9992469137', name: 'Priya Patel', organizationId: RIVERSIDE_ORG },
    { id: '3056-9921-7743-5208', nhsNumber: '9993703702', name: 'Minh Nguyen', organizationId: RIVERSIDE_ORG },
    { id: '5590-2264-0178-6637', nhsNumber: '9994938274', name: 'Gareth Williams-Jones', organizationId: RIVERSIDE_ORG },
    { id: '8842-1003-5521-7790', nhsNumber: '9997000056', name: 'Rhys Evans', organizationId: HILLTOP_ORG },
  ],
});

export const PHPKB: PhpkbFixture = deepFreeze({
  settings: {
    enabled: true,
    secretToken: 'SBX7Q2M9K4LZ8W1R',
    domainsAllowed: [],
    returnUrl: '',
    verifyTimestamp: true,
    expiryMinutes: 5,
    autoCreate: true,
    defaultGroups: [2],
    databaseDown: false,
    clockOffsetSeconds: 0,
    users: [
      { username: 'dr.jones', name: 'Dr Alice Jones', email: 'alice.jones@riverside.example.nhs.uk', groups: [2, 3], active: true },
      { username: 'N.Okafor', name: 'Ngozi Okafor', email: 'ngozi.okafor@riverside.example.nhs.uk', groups: [2, 4], active: true },
      { username: 'locum.gray', name: 'Dr Morgan Gray', email: 'morgan.gray@riverside.example.nhs.uk', groups: [2], active: false },
    ],
  },
  groups: [
    { id: 1, name: 'Administrators' },
    { id: 2, name: 'Clinical staff' },
    { id: 3, name: 'Prescribers' },
    { id: 4, name: 'Nursing' },
  ],
  categories: [
    { id: 10, name: 'Getting started' },
    { id: 11, name: 'Prescribing' },
    { id: 12, name: 'Clinical protocols' },
  ],
  articles: [
    { id: 101, title: 'Launching partner apps from the EHR', categoryId: 10, groups: [], body: 'Use the launcher button beside the patient banner to open a partner app for the patient on screen.' },
    { id: 102, title: 'Single sign-on: what to do when it fails', categoryId: 10, groups: [], body: 'Note the error code shown and contact the service desk with the time of the attempt.' },
    { id: 180, title: 'Repeat prescribing workflow', categoryId: 11, groups: [3], body: 'Review repeat templates every 12 months; check interactions before re-authorising.' },
    { id: 205, title: 'Asthma review protocol', categoryId: 12, groups: [2], body: 'Check inhaler technique, adherence and the personal asthma action plan at every review.' },
  ],
});

/** Black Pear Core Auth launch: what Black Pear would configure for a trusted third party, plus sandbox switches. */
export interface BlackPearSettings {
  /** Allowed `iss` values of both JWTs (the preconfigured list of trusted third parties). */
  issuers: string[];
  /** Enrolled public JWKs (EC P-256 for ES256, RSA >= 2048 bits for RS256), each with a unique `kid`. */
  jwks: Record<string, unknown>[];
  /** Published JWKS the simulator fetches keys from (auto-enrolment, e.g. a launch broker's /.well-known/jwks.json). */
  jwksUrls: string[];
  /** Source addresses accepted by the IP address check (stands in for the HSCN boundary / NHS ranges). */
  allowedAddresses: string[];
  /** Longest accepted `exp - iat`. */
  maxLifetimeSeconds: number;
  /** Tolerance applied to `nbf`, `exp` and `iat`. */
  clockSkewSeconds: number;
  /** ODS-specific configuration: ODS code -> serviceId put in the launch link ('unknown' when absent). */
  serviceIds: Record<string, string>;
  /** Sandbox switch: Black Pear's clock runs this many seconds ahead (a desktop clock that is behind). */
  clockOffsetSeconds: number;
  /** Sandbox switch: lifetime of the single-use SSO token in the launch link (fractions allowed). */
  ssoTokenTtlSeconds: number;
}

export interface BlackPearFixture {
  settings: BlackPearSettings;
  /** The launch endpoint's path; `aud` of both JWTs must be the origin plus this path. */
  launchPath: string;
}

export const BLACK_PEAR: BlackPearFixture = deepFreeze({
  settings: {
    issuers: ['ehr-launchpad-sandbox'],
    jwks: [],
    jwksUrls: [],
    allowedAddresses: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
    maxLifetimeSeconds: 300,
    clockSkewSeconds: 30,
    serviceIds: { Y90001: 'svc-riverside-01', Y90002: 'svc-hilltop-01' },
    clockOffsetSeconds: 0,
    ssoTokenTtlSeconds: 60,
  },
  launchPath: '/launch/v1',
});
