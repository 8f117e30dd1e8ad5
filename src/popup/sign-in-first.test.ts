import { describe, expect, it } from 'vitest';
import { signInFirst } from './sign-in-first';

const offered = { provider: true, signedIn: false, required: false, hasProfile: true, issues: [] };

describe('where the organisation sign-in sits in the popup', () => {
  it('goes first while it blocks: required, no profile yet, or a partner needs it', () => {
    expect(signInFirst({ ...offered, required: true })).toBe(true);
    expect(signInFirst({ ...offered, hasProfile: false })).toBe(true);
    expect(signInFirst({ ...offered, issues: [{ code: 'partner-blocked', partnerId: 'parchment', label: 'Parchment', reason: 'identity-needed' }] })).toBe(true);
  });

  it('stays with the settled things when only offered, when signed in, or when there is no provider', () => {
    expect(signInFirst(offered)).toBe(false);
    expect(signInFirst({ ...offered, required: true, signedIn: true })).toBe(false);
    expect(signInFirst({ ...offered, provider: false, hasProfile: false })).toBe(false);
  });
});
