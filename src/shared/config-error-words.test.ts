import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

const errorsFor = (document: unknown) => {
  const result = parseConfig(document);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.errors;
};

describe('configuration errors in plain words', () => {
  it('names the allowed partner kinds for a typo in kind', () => {
    expect(errorsFor({ version: 1, ehrSites: [], partners: [{ kind: 'phpkbb', id: 'kb', label: 'KB' }] })).toContain(
      'partners[0].kind: must be one of: parchment, phpkb, black-pear, nhs-login, pkb',
    );
  });

  it('says a required setting is missing, a misspelt one is not a setting, and what type was wanted', () => {
    const errors = errorsFor({ version: 1, ehrSites: 'https://ehr.example', partners: [{ kind: 'phpkb', id: 'kb', label: 'KB', baseUrl: 'https://kb.example' }] });
    expect(errors).toContain('ehrSites: should be a list [ … ]');
    expect(errors).toContain('partners[0].kbUrl: missing: this setting is required');
    expect(errors).toContain('partners[0]: "baseUrl" is not a setting here: check the spelling, or remove it');
  });

  it('words sizes and fixed values, and keeps the schema’s own messages', () => {
    const errors = errorsFor({ version: 2, ehrSites: [{ origin: 'ehr.example-trust.nhs.uk' }], partners: [], signOut: { idleMinutes: -1, onScreenLock: false } });
    expect(errors).toContain('version: must be 1');
    expect(errors).toContain('signOut.idleMinutes: must be at least 0');
    expect(errors.find((e) => e.startsWith('ehrSites[0].origin'))).toMatch(/starting with https:\/\//);
    expect(errors.join('\n')).not.toMatch(/Invalid input|Invalid discriminator|Unrecognized key|Too small/);
  });
});
