import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { hostPatternsFor, matchPatternFor } from './host-access';

describe('host access for a configuration', () => {
  it('asks for the EHR sites and the partner origins the background calls, once each', () => {
    const result = parseConfig({
      version: 1,
      ehrSites: [{ origin: 'https://ehr.trust.nhs.uk' }, { origin: 'https://ehr.trust.nhs.uk:8443' }],
      partners: [
        { kind: 'parchment', id: 'p', label: 'Parchment', apiBaseUrl: 'https://api.parchmenthealth.io/external', portalOrigin: 'https://portal.parchment.health', partnerId: 'x', organizationId: 'y' },
        { kind: 'phpkb', id: 'kb', label: 'KB', kbUrl: 'https://kb.trust.nhs.uk/kb' },
        { kind: 'phpkb', id: 'kb2', label: 'KB 2', kbUrl: 'https://kb.trust.nhs.uk/other' },
      ],
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(hostPatternsFor(result.config)).toEqual([
      'https://ehr.trust.nhs.uk/*',
      'https://ehr.trust.nhs.uk:8443/*',
      'https://api.parchmenthealth.io/*',
      'https://kb.trust.nhs.uk/*',
    ]);
  });

  it('asks for the organisation identity provider\'s origin, where sign-in discovery, tokens and keys are fetched', () => {
    const result = parseConfig({ version: 1, identity: { provider: { preset: 'cis2', issuer: 'https://am.nhsidentity.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare', clientId: 'c' } } });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(hostPatternsFor(result.config)).toEqual(['https://am.nhsidentity.spineservices.nhs.uk/*']);
  });

  it('keeps the port and drops the path', () => {
    expect(matchPatternFor('http://127.0.0.1:47101')).toBe('http://127.0.0.1:47101/*');
  });
});
