import { describe, expect, it, vi } from 'vitest';

vi.mock('../shared/runtime', () => ({ uiString: (key: string) => key }));

const { missingFields, refusalMessages } = await import('./profile-messages');

describe('the profile form\'s messages', () => {
  it('ask for each required field left empty, by name, before anything is sent', () => {
    expect(missingFields({ displayName: ' ', username: '', email: '', sdsUserId: '' })).toEqual({
      fields: { displayName: 'popupProfileEnterName', username: 'popupProfileEnterUsername', email: 'popupProfileEnterEmail' },
      other: [],
    });
    expect(missingFields({ displayName: 'Dr Alice Jones', username: 'dr.jones', email: 'a@b.nhs.uk' }).fields).toEqual({});
  });

  it('turn the background\'s schema wording into one plain message per field', () => {
    const values = { displayName: '', username: 'dr jones', email: 'not-an-email', sdsUserId: '12ab' };
    const problems = refusalMessages(values, [
      'displayName: Invalid input: expected string, received undefined',
      'username: A username has letters, digits and . _ @ \' - only',
      'email: Enter a valid email address',
      'sdsUserId: An SDS user id is digits only',
      'sdsUserId: Too small',
      '(document): something else entirely',
    ]);
    expect(problems.fields).toEqual({
      displayName: 'popupProfileEnterName',
      username: 'popupProfileFixUsername',
      email: 'popupProfileFixEmail',
      sdsUserId: 'popupProfileFixSdsUserId',
    });
    expect(problems.other).toEqual(['(document): something else entirely']);
    expect(JSON.stringify(problems.fields)).not.toContain('Invalid input');
  });
});
