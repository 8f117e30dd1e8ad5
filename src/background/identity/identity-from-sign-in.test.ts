import { describe, expect, it } from 'vitest';
import { DEFAULT_IDENTITY, orgIdpSchema, resolveProvider } from '../../shared/identity/idp-config';
import { identityFromSignIn } from './identity-from-sign-in';

const provider = resolveProvider(orgIdpSchema.parse({ preset: 'cis2', issuer: 'https://cis2.example.nhs.uk', clientId: 'c' }));
const HOUR = 3_600_000;
const result = {
  issuer: 'https://cis2.example.nhs.uk',
  subject: '555000000101',
  claims: { uid: '555000000101', name: 'Dr Alice Jones' },
  idToken: 'header.payload.signature',
  idTokenExpiresAt: 30 * HOUR,
  accessToken: 'at',
  accessTokenExpiresAt: 1 * HOUR,
};

describe('the identity a sign-in proves', () => {
  it('ends at the ID token expiry or the organisation maximum from the interactive sign-in, whichever is first', () => {
    expect(identityFromSignIn(result, provider, DEFAULT_IDENTITY, 0, 0).identity.expiresAt).toBe(12 * HOUR);
    expect(identityFromSignIn({ ...result, idTokenExpiresAt: 2 * HOUR }, provider, DEFAULT_IDENTITY, 0, HOUR).identity.expiresAt).toBe(2 * HOUR);
    // A silent re-check keeps the first sign-in's time: the maximum is not renewed by it.
    expect(identityFromSignIn(result, provider, { ...DEFAULT_IDENTITY, maxHours: 8 }, 0, 7 * HOUR).identity).toMatchObject({ signedInAt: 0, checkedAt: 7 * HOUR, expiresAt: 8 * HOUR });
  });

  it('keeps the tokens apart from what the popup is shown', () => {
    const { identity, tokens } = identityFromSignIn(result, provider, DEFAULT_IDENTITY, 0, 0);
    expect(JSON.stringify(identity)).not.toContain('header.payload');
    expect(tokens).toEqual({ idToken: 'header.payload.signature', accessToken: 'at', accessTokenExpiresAt: HOUR });
  });
});
