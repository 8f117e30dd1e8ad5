import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import type { EhrProfile } from '../ehr-profile';
import { draftProfile, profileNameFor, withProfile } from './draft-profile';

const TODAY = new Date(2026, 10, 27);

const PICKS = {
  banner: { selector: '#client-strip', text: 'Client OKAFOR, Adaeze (Mrs) Healthcare No. 9434765919 Birth: 04-Jul-1961' },
  nhsNumber: { selector: '.hc-no', text: 'Healthcare No. 9434765919' },
  birthDate: { selector: '[data-item="birth"]', text: 'Birth: 04-Jul-1961 (65y)' },
  name: { selector: '.client-name', text: 'OKAFOR, Adaeze (Mrs)' },
};

describe('profileNameFor', () => {
  it('derives a valid profile name from the site', () => {
    expect(profileNameFor('https://ehr.example-trust.nhs.uk')).toBe('ehr-example-trust-nhs-uk');
    expect(profileNameFor('http://127.0.0.1:41234')).toBe('127-0-0-1-41234');
    expect(profileNameFor(`https://${'a'.repeat(60)}.nhs.uk`)).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(profileNameFor('')).toBe('ehr');
  });
});

describe('draftProfile', () => {
  it('writes the banner, each field’s selector and the regexes only where the text holds a label', () => {
    const draft = draftProfile('community-ehr', PICKS, TODAY);
    expect(draft.problems).toEqual([]);
    expect(draft.profile).toMatchObject({
      name: 'community-ehr',
      banner: { selector: '#client-strip' },
      fields: {
        nhsNumber: { selector: '.hc-no', regex: expect.any(String) },
        birthDate: { selector: '[data-item="birth"]', regex: expect.any(String) },
        name: { selector: '.client-name' },
      },
    });
    expect(draft.profile!.fields!.name!.regex).toBeUndefined();
    expect(draft.values).toEqual({ nhsNumber: '9434765919', birthDate: '04-Jul-1961', name: 'OKAFOR, Adaeze (Mrs)' });
  });

  it('names each field it cannot read a value from, and proposes no profile', () => {
    const draft = draftProfile('x', { ...PICKS, birthDate: { selector: '.age', text: '65y' }, nhsNumber: { selector: '.n', text: 'Healthcare No. 9434765918' } }, TODAY);
    expect(draft.profile).toBeNull();
    expect(draft.problems).toEqual([
      { field: 'nhsNumber', problem: 'none' },
      { field: 'birthDate', problem: 'none' },
    ]);
  });

  it('refuses a name the configuration would refuse', () => {
    expect(draftProfile('Not A Name', PICKS, TODAY).profile).toBeNull();
  });
});

describe('withProfile', () => {
  const base = { version: 1, ehrSites: [{ origin: 'https://ehr.example.nhs.uk', profile: 'generic' }], partners: [], profiles: [] as EhrProfile[] };

  it('adds the profile and points the site at it; the result is a valid configuration', () => {
    const profile = draftProfile('example', PICKS, TODAY).profile!;
    const next = withProfile(base, 'https://ehr.example.nhs.uk', profile);
    expect(next.ehrSites).toEqual([{ origin: 'https://ehr.example.nhs.uk', profile: 'example' }]);
    expect(parseConfig(next).ok).toBe(true);
  });

  it('replaces a profile of the same name and adds a site the user document does not list', () => {
    const first = draftProfile('example', PICKS, TODAY).profile!;
    const second = draftProfile('example', { ...PICKS, name: { selector: '.nm', text: 'OKAFOR, Adaeze' } }, TODAY).profile!;
    const next = withProfile(withProfile(base, 'https://ehr.example.nhs.uk', first), 'https://other.example.nhs.uk', second);
    expect(next.profiles).toHaveLength(1);
    expect(next.profiles[0]!.fields!.name!.selector).toBe('.nm');
    expect(next.ehrSites.map((s) => s.profile)).toEqual(['example', 'example']);
    expect(parseConfig(next).ok).toBe(true);
  });
});
