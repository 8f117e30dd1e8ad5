import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

const parchment = {
  kind: 'parchment',
  id: 'parchment',
  label: 'Parchment',
  apiBaseUrl: 'https://api.parchmenthealth.io/external/',
  portalOrigin: 'https://portal.parchment.health',
  partnerId: 'p1',
  organizationId: 'o1',
  patientIds: { '9990000018': '1234-5678-3456-2345' },
};

describe('configuration document', () => {
  it('accepts a complete document and fills defaults', () => {
    const result = parseConfig({ version: 1, ehrSites: [{ origin: 'https://ehr.trust.nhs.uk' }], partners: [parchment] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.ehrSites[0]).toEqual({ origin: 'https://ehr.trust.nhs.uk', profile: 'generic' });
    const partner = result.config.partners[0]!;
    if (partner.kind !== 'parchment') throw new Error('expected the Parchment partner');
    expect(partner.apiBaseUrl).toBe('https://api.parchmenthealth.io/external');
    expect(partner.target).toBe('prescriptions');
    expect(partner.prefetch).toBe('click');
  });

  it('names the field at fault', () => {
    const result = parseConfig({ version: 1, partners: [{ ...parchment, portalOrigin: 'http://portal.parchment.health' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join('\n')).toContain('partners[0].portalOrigin');
  });

  it('refuses unknown keys, unknown kinds, duplicate ids and a wrong version', () => {
    const cases = [
      { version: 1, partners: [{ ...parchment, surprise: true }] },
      { version: 1, partners: [{ ...parchment, kind: 'mystery' }] },
      { version: 1, partners: [parchment, parchment] },
      { version: 2 },
      { version: 1, ehrSites: [{ origin: 'https://ehr.example.org/path' }] },
      { version: 1, partners: [{ ...parchment, patientIds: { '12345': 'x' } }] },
      // The organisation sign-in's redirect URI path is taken.
      { version: 1, partners: [{ ...parchment, id: 'org-idp' }] },
      'not an object',
    ];
    for (const input of cases) expect(parseConfig(input).ok, JSON.stringify(input)).toBe(false);
  });
});
