import { describe, expect, it } from 'vitest';
import type { ClinicianProfile } from '../clinician';
import { DEFAULT_IDENTITY, identitySchema, orgIdpSchema, resolveProvider, type IdentityConfig } from './idp-config';
import { clinicianForPartner, mergedProfile, type IdentityField } from './partner-identity';
import type { VerifiedIdentity } from './verified-identity';

const provider = resolveProvider(
  orgIdpSchema.parse({
    preset: 'cis2',
    issuer: 'https://cis2.example.nhs.uk',
    clientId: 'launchpad',
    partnerUserIds: { parchment: { key: 'sdsUserId', table: { '555000000101': 'usr_8f3k2j1m9q' } } },
  }),
);

const typed: ClinicianProfile = {
  displayName: 'Someone Typed',
  username: 'typed.user',
  email: 'typed@example.org',
  sdsUserId: '555000000999',
  roleProfileId: '555000000998',
  roleName: 'Typed Role',
  parchmentUserId: 'usr_typed',
};

const jones: VerifiedIdentity = {
  issuer: 'https://cis2.example.nhs.uk',
  subject: '555000000101',
  providerLabel: 'NHS Care Identity',
  fields: { displayName: 'Dr Alice Jones', username: '555000000101', email: 'alice.jones@riverside.example.nhs.uk', sdsUserId: '555000000101', roleProfileId: '555000000102', roleName: 'General Medical Practitioner' },
  partnerUserIds: { parchment: 'usr_8f3k2j1m9q' },
  roles: [{ id: '555000000102', name: 'General Medical Practitioner', org: 'Y90001' }],
  role: { id: '555000000102', name: 'General Medical Practitioner', org: 'Y90001' },
  problems: [],
  signedInAt: 0,
  checkedAt: 0,
  expiresAt: 1,
};
const noRoles: VerifiedIdentity = { ...jones, fields: { ...jones.fields, roleProfileId: undefined, roleName: undefined }, roles: [], problems: ['roleProfileId: …'] };
delete noRoles.role;

const blackPear = { id: 'black-pear', kind: 'black-pear', label: 'Black Pear' };
const parchment = { id: 'parchment', kind: 'parchment', label: 'Parchment' };
const pkb = { id: 'pkb', kind: 'pkb', label: 'Patients Know Best' };
const BP: IdentityField[] = ['roleProfileId', 'displayName', 'roleName'];

function run(partner: typeof blackPear, sends: IdentityField[], who: { typed?: ClinicianProfile | null; identity?: VerifiedIdentity | null; settings?: Partial<IdentityConfig> }) {
  return clinicianForPartner({ partner, sends, typed: who.typed ?? null, identity: who.identity ?? null, settings: { ...DEFAULT_IDENTITY, ...who.settings }, provider });
}

describe('which clinician a launch speaks for', () => {
  it('a verified identity wins over every typed field its mapping covers, and supplies the Parchment id', () => {
    const result = run(parchment, ['partnerUserId'], { typed, identity: jones });
    expect(result).toMatchObject({ ok: true, verified: true });
    if (!result.ok) return;
    expect(result.profile).toMatchObject({ ...jones.fields, parchmentUserId: 'usr_8f3k2j1m9q' });
  });

  it('with a live identity a typed value never fills a locked field the sign-in left empty', () => {
    const result = run(blackPear, BP, { typed, identity: noRoles });
    expect(result).toEqual({
      ok: false,
      problem: {
        code: 'identity-incomplete',
        message: expect.stringContaining('needs an NHS role, and your NHS Care Identity account has none'),
        wording: ['barReasonNoNhsRole', 'Black Pear', 'NHS Care Identity'],
      },
    });
    expect(mergedProfile(typed, noRoles, provider)?.roleProfileId).toBeUndefined();
  });

  it('a workforce provider that lists no roles is not said to have none: the role is simply not verified', () => {
    const oidc = resolveProvider(orgIdpSchema.parse({ preset: 'oidc', issuer: 'https://login.example.org', clientId: 'c', claims: { roleProfileId: 'nhs_role_id', roleName: 'nhs_role_name' } }));
    const result = clinicianForPartner({ partner: blackPear, sends: BP, typed: null, identity: { ...noRoles, providerLabel: 'Riverside sign-in' }, settings: DEFAULT_IDENTITY, provider: oidc });
    expect(result).toMatchObject({ ok: false, problem: { code: 'identity-incomplete', message: 'Black Pear needs your NHS role, and the sign-in with Riverside sign-in did not give it. Tell your IT service desk.' } });
  });

  it('without required, a typed profile launches as before and is not verified', () => {
    expect(run(blackPear, BP, { typed })).toEqual({ ok: true, profile: typed, verified: false });
  });

  it('required: no launch for partners that are told who the clinician is, without a live identity', () => {
    const result = run(blackPear, BP, { typed, settings: { required: true } });
    expect(result).toEqual({ ok: false, problem: { code: 'identity-needed', message: 'Sign in with NHS Care Identity to launch Black Pear: open the EHR Launchpad menu in the toolbar.' } });
    // PKB signs the clinician in itself: a typed profile (the pairing's owner) is enough.
    expect(run(pkb, [], { typed, settings: { required: true } })).toMatchObject({ ok: true, verified: false });
  });

  it('per-partner verified fields apply even when identity is not required', () => {
    const settings = identitySchema.parse({ verifiedFields: { parchment: ['partnerUserId'] } });
    expect(run(parchment, ['partnerUserId'], { typed, settings })).toMatchObject({ ok: false, problem: { code: 'identity-needed' } });
    const unmapped = { ...jones, partnerUserIds: {} };
    expect(run(parchment, ['partnerUserId'], { typed, identity: unmapped, settings })).toMatchObject({ ok: false, problem: { code: 'identity-incomplete', message: expect.stringContaining('Parchment user id') } });
  });

  it('a typed profile without what the partner is told is not ready, and says what is missing', () => {
    const { roleProfileId: _role, parchmentUserId: _id, ...partial } = typed;
    expect(clinicianForPartner({ partner: blackPear, sends: BP, typed: partial, identity: null, settings: DEFAULT_IDENTITY, provider: undefined })).toEqual({
      ok: false,
      problem: {
        code: 'clinician-incomplete',
        message: 'Black Pear needs your NHS role: add it to your clinician profile in the EHR Launchpad toolbar menu.',
        missing: { field: 'roleProfileId' },
      },
    });
    expect(run(parchment, ['partnerUserId'], { typed: partial })).toMatchObject({
      ok: false,
      problem: {
        code: 'clinician-incomplete',
        message: 'Parchment needs your Parchment user id: sign in with NHS Care Identity, or add it to your clinician profile in the EHR Launchpad toolbar menu.',
        missing: { field: 'partnerUserId', provider: 'NHS Care Identity' },
      },
    });
  });

  it('nobody at all: asks for the sign-in when there is a provider', () => {
    expect(run(pkb, [], {})).toMatchObject({
      ok: false,
      problem: { code: 'clinician-missing', message: expect.stringContaining('Sign in with NHS Care Identity'), wording: ['barReasonSignInWithFirst', 'NHS Care Identity'] },
    });
  });

  it('a live identity alone makes a whole profile, named by the verified username', () => {
    const profile = mergedProfile(null, jones, provider);
    expect(profile).toMatchObject({ displayName: 'Dr Alice Jones', username: '555000000101', sdsUserId: '555000000101' });
    expect(profile).not.toHaveProperty('parchmentUserId');
  });
});
