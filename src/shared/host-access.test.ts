import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { hostMatchPatternFor, hostPatternsFor, matchPatternFor } from './host-access';

describe('host access for a configuration', () => {
  it('asks for the EHR sites, the partner origins the background calls and those launches open, once each', () => {
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
      // Parchment's portal, where its launches open: its tabs are marked, closed or followed later.
      'https://portal.parchment.health/*',
    ]);
  });

  it('leaves out the origins launches open for a partner whose tabs are left alone (staleTab none)', () => {
    const parchment = { kind: 'parchment', id: 'p', label: 'Parchment', apiBaseUrl: 'https://api.parchmenthealth.io/external', portalOrigin: 'https://portal.parchment.health', partnerId: 'x', organizationId: 'y' };
    const patterns = (staleTab?: string) => {
      const result = parseConfig({ version: 1, partners: [{ ...parchment, ...(staleTab ? { staleTab } : {}) }] });
      if (!result.ok) throw new Error(result.errors.join('\n'));
      return hostPatternsFor(result.config);
    };
    expect(patterns('none')).toEqual(['https://api.parchmenthealth.io/*']);
    for (const staleTab of [undefined, 'mark', 'close']) expect(patterns(staleTab), String(staleTab)).toEqual(['https://api.parchmenthealth.io/*', 'https://portal.parchment.health/*']);
  });

  it('asks for the origins a partner names as where its app lands after the launch (tabOrigins)', () => {
    const result = parseConfig({
      version: 1,
      partners: [{ kind: 'black-pear', id: 'bp', label: 'Black Pear', coreAuthUrl: 'https://auth.bp.example', clientId: 'c', odsCode: 'RXX', requestingSystem: 'https://fhir.nhs.uk/Id/accredited-system|200000000123', tabOrigins: ['https://app.bp.example'] }],
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(hostPatternsFor(result.config)).toEqual(['https://auth.bp.example/*', 'https://app.bp.example/*']);
  });

  it('leaves out where NHS login launches open: its launch carries no patient, so its tabs are not followed', () => {
    const result = parseConfig({
      version: 1,
      partners: [{ kind: 'nhs-login', id: 'nhs-login', label: 'NHS login', issuer: 'https://auth.login.nhs.uk', clientId: 'c', scope: 'openid profile', launchUrlTemplate: 'https://rp2.example.org/launch?asserted_login_identity={assertion}' }],
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(hostPatternsFor(result.config)).not.toContain('https://rp2.example.org/*');
  });

  it('asks for the organisation identity provider\'s origin, where sign-in discovery, tokens and keys are fetched', () => {
    const result = parseConfig({ version: 1, identity: { provider: { preset: 'cis2', issuer: 'https://am.nhsidentity.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare', clientId: 'c' } } });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(hostPatternsFor(result.config)).toEqual(['https://am.nhsidentity.spineservices.nhs.uk/*']);
  });

  it('keeps the port and drops the path', () => {
    expect(matchPatternFor('http://127.0.0.1:47101')).toBe('http://127.0.0.1:47101/*');
  });

  it('names the host alone for Firefox, which never matches a pattern with a port', () => {
    expect(hostMatchPatternFor('http://127.0.0.1:47101')).toBe('http://127.0.0.1/*');
    expect(hostMatchPatternFor('https://ehr.example.org:8443')).toBe('https://ehr.example.org/*');
    expect(hostMatchPatternFor('https://ehr.example.org')).toBe('https://ehr.example.org/*');
  });
});
