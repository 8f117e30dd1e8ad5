import { describe, expect, it } from 'vitest';
import { goesViaBroker, parseConfig } from './config';

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

describe('partners through the launch broker', () => {
  const pkb = { kind: 'pkb', id: 'pkb', label: 'PKB', baseUrl: 'https://pkb.example.org', clientId: 'c', scope: 'patient' };

  it('needs a broker section, and only partners the broker can run may go through it', () => {
    expect(parseConfig({ version: 1, partners: [{ ...parchment, via: 'broker' }] })).toMatchObject({ ok: false, errors: [expect.stringContaining('partners[0].via: needs a broker section')] });
    expect(parseConfig({ version: 1, broker: { url: 'https://broker.trust.nhs.uk' }, partners: [{ ...pkb, via: 'broker' }] })).toMatchObject({ ok: false, errors: [expect.stringContaining('cannot go through the broker')] });
  });

  it('goes through the broker when the partner says so, or for every partner it can run when the broker requires it', () => {
    const result = parseConfig({ version: 1, broker: { url: 'https://broker.trust.nhs.uk/' }, partners: [{ ...parchment, via: 'broker' }, pkb] });
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.config.broker).toEqual({ url: 'https://broker.trust.nhs.uk', require: false });
    expect(result.config.partners.map((p) => goesViaBroker(result.config, p))).toEqual([true, false]);
    const required = parseConfig({ version: 1, broker: { url: 'https://broker.trust.nhs.uk', require: true }, partners: [parchment, pkb] });
    if (!required.ok) throw new Error(required.errors.join('; '));
    expect(required.config.partners.map((p) => goesViaBroker(required.config, p))).toEqual([true, false]);
  });
});

describe('partner tabs after the patient changes', () => {
  const kb = { kind: 'phpkb', id: 'kb', label: 'KB', kbUrl: 'https://kb.trust.nhs.uk/kb' };

  it('takes each setting, and a read-only flag; leaving both out keeps the default (mark) to the reader', () => {
    for (const staleTab of ['mark', 'close', 'none'] as const) {
      expect(parseConfig({ version: 1, partners: [{ ...parchment, staleTab }] })).toMatchObject({ ok: true, config: { partners: [{ staleTab }] } });
    }
    expect(parseConfig({ version: 1, partners: [{ ...kb, staleTab: 'follow', readOnly: true }] })).toMatchObject({ ok: true, config: { partners: [{ staleTab: 'follow', readOnly: true }] } });
    const plain = parseConfig({ version: 1, partners: [kb] });
    if (!plain.ok) throw new Error(plain.errors.join('; '));
    expect(plain.config.partners[0]).not.toHaveProperty('staleTab');
    expect(plain.config.partners[0]).not.toHaveProperty('readOnly');
  });

  it('refuses follow for a partner not marked read-only, naming the field and the fix', () => {
    for (const extra of [{}, { readOnly: false }]) {
      const result = parseConfig({ version: 1, partners: [parchment, { ...kb, id: 'kb0' }, { ...kb, staleTab: 'follow', ...extra }] });
      expect(result).toEqual({
        ok: false,
        errors: ['partners[2].staleTab: follow relaunches the tab automatically, so it is only for a read-only partner: set "readOnly": true, or use mark'],
      });
    }
  });

  it('refuses an unknown setting', () => {
    expect(parseConfig({ version: 1, partners: [{ ...kb, staleTab: 'reload' }] })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^partners\[0\]\.staleTab: /)] });
    expect(parseConfig({ version: 1, partners: [{ ...kb, readOnly: 'yes' }] })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^partners\[0\]\.readOnly: /)] });
  });
});
