import { describe, expect, it } from 'vitest';
import type { PartnerClinician } from '../../shared/identity/partner-identity';
import { decideReadiness, NEEDS_ATTENTION, type BlockingReason, type ReadinessFacts } from './partner-readiness';

const clinician = { displayName: 'Dr Jones', username: 'dr.jones', email: 'jones@example.org' };
const ok: PartnerClinician = { ok: true, profile: clinician, verified: false };
const problem = (code: 'identity-needed' | 'identity-incomplete' | 'clinician-missing' | 'clinician-incomplete', message = `${code} words`): PartnerClinician => ({ ok: false, problem: { code, message } });

/** A partner with nothing missing; each row below breaks one thing. */
const ready: ReadinessFacts = {
  label: 'Black Pear',
  known: true,
  secretMissing: false,
  signingKeyMissing: false,
  hostAccessMissing: false,
  signInStep: false,
  signedIn: false,
  identity: ok,
  pairing: undefined,
};

describe('decideReadiness', () => {
  it('is ready when nothing is missing (a paired partner, a partner signed in to)', () => {
    expect(decideReadiness(ready)).toEqual({ state: 'ready' });
    expect(decideReadiness({ ...ready, pairing: 'paired' })).toEqual({ state: 'ready' });
    expect(decideReadiness({ ...ready, signInStep: true, signedIn: true })).toEqual({ state: 'ready' });
  });

  const rows: [string, ReadinessFacts, string, BlockingReason, readonly string[]][] = [
    ['a partner kind this version does not know', { label: 'Black Pear', known: false }, 'setup-needed', 'unknown-kind', ['barReasonNotSetUp', 'Black Pear']],
    ['a secret missing', { ...ready, secretMissing: true }, 'setup-needed', 'secret-missing', ['barReasonNotSetUp', 'Black Pear']],
    ['no signing key yet', { ...ready, signingKeyMissing: true }, 'setup-needed', 'signing-key-missing', ['barReasonNotSetUp', 'Black Pear']],
    ['no access to the partner\'s origins', { ...ready, hostAccessMissing: true }, 'setup-needed', 'host-access-missing', ['barReasonNotSetUp', 'Black Pear']],
    ['the partner\'s own sign-in not done', { ...ready, signInStep: true, signedIn: false }, 'setup-needed', 'partner-sign-in', ['barReasonSignIn', 'Black Pear']],
    ['the organisation sign-in required and not done', { ...ready, identity: problem('identity-needed') }, 'sign-in-needed', 'identity-needed', ['barReasonIdentityNeeded', 'Black Pear']],
    ['the sign-in without a role the partner needs', { ...ready, identity: problem('identity-incomplete') }, 'setup-needed', 'identity-incomplete', ['barReasonIdentityIncomplete', 'Black Pear']],
    ['no clinician profile', { ...ready, identity: problem('clinician-missing') }, 'setup-needed', 'clinician-missing', ['barReasonClinicianMissing', 'Black Pear']],
    ['a profile field the partner needs is empty', { ...ready, identity: problem('clinician-incomplete') }, 'setup-needed', 'clinician-incomplete', ['barReasonClinicianIncomplete', 'Black Pear']],
    ['not paired', { ...ready, pairing: 'not-paired' }, 'pairing-needed', 'not-paired', ['barReasonPair', 'Black Pear']],
    ['a pairing that ended', { ...ready, pairing: 're-pair-needed' }, 'pairing-needed', 're-pair-needed', ['barReasonRepair', 'Black Pear']],
  ];
  it.each(rows)('blocks on %s, with its reason in _locales naming the partner', (_, facts, state, reason, wording) => {
    const readiness = decideReadiness(facts);
    expect(readiness).toMatchObject({ state, reason });
    expect(readiness.state !== 'ready' && readiness.wording).toEqual(wording);
  });

  it('names the profile field a partner needs, and the sign-in that could give it', () => {
    const missing = (field: 'roleName' | 'partnerUserId', provider?: string): PartnerClinician => ({
      ok: false,
      problem: { code: 'clinician-incomplete', message: 'words', missing: provider ? { field, provider } : { field } },
    });
    expect(decideReadiness({ ...ready, identity: missing('roleName') })).toMatchObject({ wording: ['barReasonNeedsRole', 'Black Pear'] });
    expect(decideReadiness({ ...ready, identity: missing('roleName', 'NHS Care Identity') })).toMatchObject({ wording: ['barReasonNeedsRoleOrSignIn', 'Black Pear', 'NHS Care Identity'] });
    expect(decideReadiness({ ...ready, label: 'Parchment', identity: missing('partnerUserId') })).toMatchObject({ wording: ['barReasonNeedsPartnerUserId', 'Parchment'] });
  });

  it("keeps an identity problem's own wording (an NHS role the account does not have)", () => {
    const none: PartnerClinician = { ok: false, problem: { code: 'identity-incomplete', message: 'words', wording: ['barReasonNoNhsRole', 'Black Pear', 'NHS Care Identity'] } };
    expect(decideReadiness({ ...ready, identity: none })).toMatchObject({ reason: 'identity-incomplete', wording: ['barReasonNoNhsRole', 'Black Pear', 'NHS Care Identity'] });
  });

  it('puts what only IT can fix before what the clinician can', () => {
    const everything: ReadinessFacts = { ...ready, secretMissing: true, signingKeyMissing: true, hostAccessMissing: true, signInStep: true, identity: problem('clinician-missing'), pairing: 're-pair-needed' };
    expect(decideReadiness(everything)).toMatchObject({ reason: 'secret-missing' });
    expect(decideReadiness({ ...everything, secretMissing: false })).toMatchObject({ reason: 'signing-key-missing' });
    expect(decideReadiness({ ...everything, secretMissing: false, signingKeyMissing: false })).toMatchObject({ reason: 'host-access-missing' });
    expect(decideReadiness({ ...ready, signInStep: true, identity: problem('clinician-missing'), pairing: 'not-paired' })).toMatchObject({ reason: 'partner-sign-in' });
    expect(decideReadiness({ ...ready, identity: problem('clinician-incomplete'), pairing: 'not-paired' })).toMatchObject({ reason: 'clinician-incomplete' });
  });

  it('warns on the badge for what is broken or never set up, not for steps the clinician has not taken yet', () => {
    const warned = Object.entries(NEEDS_ATTENTION).filter(([, warns]) => warns).map(([reason]) => reason);
    expect(warned.sort()).toEqual(['clinician-incomplete', 'clinician-missing', 'host-access-missing', 'identity-incomplete', 're-pair-needed', 'secret-missing', 'signing-key-missing', 'unknown-kind']);
  });
});
