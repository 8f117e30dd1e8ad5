import { describe, expect, it } from 'vitest';
import { mapClaims } from './claim-mapping';
import { orgIdpSchema, resolveProvider } from './idp-config';

const cis2 = resolveProvider(orgIdpSchema.parse({ preset: 'cis2', issuer: 'https://cis2.example.nhs.uk', clientId: 'launchpad' }));

/** Claims as CIS2 publishes them: uid in the ID token, roles from userinfo under nationalrbacaccess. */
const jones = {
  sub: '555000000101',
  uid: '555000000101',
  name: 'Dr Alice Jones',
  email: 'alice.jones@riverside.example.nhs.uk',
  selected_roleid: '555000000102',
  nhsid_nrbac_roles: [
    { person_roleid: '555000000102', role_name: 'General Medical Practitioner', org_code: 'Y90001' },
    { person_roleid: '555000000103', role_name: 'Clinical Director', org_code: 'Y90001' },
  ],
};

describe('claim mapping', () => {
  it('reads every CIS2 field, the roles and the selected role', () => {
    const mapped = mapClaims(cis2, jones);
    expect(mapped.fields).toEqual({
      displayName: 'Dr Alice Jones',
      username: '555000000101',
      email: 'alice.jones@riverside.example.nhs.uk',
      sdsUserId: '555000000101',
      roleProfileId: '555000000102',
      roleName: 'General Medical Practitioner',
    });
    expect(mapped.roles).toHaveLength(2);
    expect(mapped.role).toEqual({ id: '555000000102', name: 'General Medical Practitioner', org: 'Y90001' });
    expect(mapped.problems).toEqual([]);
  });

  it('a user with no roles has no role fields, and says so', () => {
    const mapped = mapClaims(cis2, { ...jones, selected_roleid: undefined, nhsid_nrbac_roles: [] });
    expect(mapped.fields.roleProfileId).toBeUndefined();
    expect(mapped.fields.roleName).toBeUndefined();
    expect(mapped.roles).toEqual([]);
    expect(mapped.problems).toEqual(['roleProfileId: the sign-in did not give "selected_roleid"', 'roleName: the sign-in did not give "role.role_name"']);
  });

  it('never guesses: a value that fails the field check stays unverified', () => {
    const mapped = mapClaims(cis2, { ...jones, uid: 'not-digits', email: 'nobody' });
    expect(mapped.fields.sdsUserId).toBeUndefined();
    expect(mapped.fields.email).toBeUndefined();
    expect(mapped.problems).toContain('sdsUserId: the value of "uid" is not usable');
  });

  it('a selected role missing from the list still gives the role id, without a name', () => {
    const mapped = mapClaims(cis2, { ...jones, selected_roleid: '555000000999' });
    expect(mapped.fields.roleProfileId).toBe('555000000999');
    expect(mapped.fields.roleName).toBeUndefined();
  });

  it('maps a partner user id from a claim, or from a table keyed by a verified field', () => {
    const provider = resolveProvider(
      orgIdpSchema.parse({
        preset: 'cis2',
        issuer: 'https://cis2.example.nhs.uk',
        clientId: 'launchpad',
        partnerUserIds: { parchment: { key: 'sdsUserId', table: { '555000000101': 'usr_8f3k2j1m9q' } }, other: { claim: 'ext.other_id' } },
      }),
    );
    expect(mapClaims(provider, { ...jones, ext: { other_id: 'o-1' } }).partnerUserIds).toEqual({ parchment: 'usr_8f3k2j1m9q', other: 'o-1' });
    const unknown = mapClaims(provider, { ...jones, uid: '555000000999' });
    expect(unknown.partnerUserIds).toEqual({});
    expect(unknown.problems).toContain('parchment: no user id for this clinician in the table by sdsUserId');
  });

  it('resolving a resolved provider answers it as it is; a configuration is resolved afresh each time', () => {
    const config = orgIdpSchema.parse({ preset: 'cis2', issuer: 'https://cis2.example.nhs.uk', clientId: 'c', claims: { email: '' } });
    const once = resolveProvider(config);
    expect(resolveProvider(once)).toBe(once);
    expect(resolveProvider(config)).not.toBe(once);
    expect(resolveProvider(config)).toEqual(once);
    expect(once.claims.email).toBe('');
  });

  it('the workforce preset reads name, preferred_username and email, and verifies no NHS ids', () => {
    const oidc = resolveProvider(orgIdpSchema.parse({ preset: 'oidc', issuer: 'https://login.example.org/tenant/v2.0', clientId: 'c' }));
    const mapped = mapClaims(oidc, { sub: 'abc', name: 'Raj Patel', preferred_username: 'raj.patel@trust.nhs.uk', email: 'raj.patel@trust.nhs.uk', uid: '555000000201' });
    expect(mapped.fields).toEqual({ displayName: 'Raj Patel', username: 'raj.patel@trust.nhs.uk', email: 'raj.patel@trust.nhs.uk' });
  });
});

describe('identity provider configuration', () => {
  it('fills scope, label and mapping from the preset; own values win, "" turns a field off', () => {
    const provider = resolveProvider(orgIdpSchema.parse({ preset: 'cis2', issuer: 'https://cis2.example.nhs.uk/', clientId: 'c', claims: { email: '', displayName: 'given_name' } }));
    // Kept exactly: ID tokens must name the issuer character for character.
    expect(provider.issuer).toBe('https://cis2.example.nhs.uk/');
    expect(provider.scope).toBe('openid profile email nationalrbacaccess selectedrole');
    expect(provider.label).toBe('NHS Care Identity');
    expect(provider.claims.email).toBe('');
    expect(provider.claims.displayName).toBe('given_name');
    expect(provider.claims.sdsUserId).toBe('uid');
  });

  it('refuses what cannot work: no openid scope, http issuer, unknown fields', () => {
    expect(orgIdpSchema.safeParse({ preset: 'cis2', issuer: 'https://x.example', clientId: 'c', scope: 'profile' }).success).toBe(false);
    expect(orgIdpSchema.safeParse({ preset: 'cis2', issuer: 'http://x.example', clientId: 'c' }).success).toBe(false);
    expect(orgIdpSchema.safeParse({ preset: 'cis2', issuer: 'https://x.example', clientId: 'c', clientSecret: 's' }).success).toBe(false);
    expect(orgIdpSchema.safeParse({ preset: 'cis2', issuer: 'https://x.example', clientId: 'c', claims: { email: 'a b' } }).success).toBe(false);
  });
});
