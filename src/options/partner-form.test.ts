import { describe, expect, it } from 'vitest';
import { fieldsFor, partnerFromForm, PARTNER_KINDS, valuesFrom } from './partner-form';

describe('partner form from the configuration schema', () => {
  it('offers every partner kind and its fields with their types', () => {
    expect(PARTNER_KINDS).toEqual(expect.arrayContaining(['parchment', 'phpkb', 'black-pear', 'nhs-login', 'pkb']));
    const fields = Object.fromEntries(fieldsFor('parchment').map((f) => [f.name, f]));
    expect(fields.id).toMatchObject({ kind: 'text', required: true });
    expect(fields.target).toMatchObject({ kind: 'choice', choices: ['dashboard', 'patient', 'prescriptions'], default: 'prescriptions' });
    expect(fields.embed).toMatchObject({ kind: 'boolean' });
    expect(fields.timeoutMs).toMatchObject({ kind: 'number' });
    expect(fields.patientIds).toMatchObject({ kind: 'json' });
    expect(fields.kind).toBeUndefined();
  });

  it('builds a valid partner, with defaults filled by the schema', () => {
    const values = {
      ...valuesFrom('phpkb'),
      id: 'knowledge-base',
      label: 'Knowledge base',
      kbUrl: 'https://kb.trust.nhs.uk/kb/',
      groups: '[3, 4]',
    };
    const result = partnerFromForm('phpkb', values, 1);
    expect(result).toMatchObject({ ok: true, partner: { kind: 'phpkb', id: 'knowledge-base', kbUrl: 'https://kb.trust.nhs.uk/kb', groups: [3, 4], preflight: true } });
  });

  it('names the field at fault as the import does', () => {
    const result = partnerFromForm('parchment', { ...valuesFrom('parchment'), id: 'Bad Id', label: 'P', apiBaseUrl: 'http://api.example.org', portalOrigin: 'https://portal.example.org', partnerId: 'p', organizationId: 'o' }, 2);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^partners\[2\]\.id: /), expect.stringMatching(/^partners\[2\]\.apiBaseUrl: must be an https:\/\/ address/)]));
    expect(partnerFromForm('phpkb', { ...valuesFrom('phpkb'), groups: '[3,' }, 0)).toEqual({ ok: false, errors: ['partners[0].groups: is not valid JSON'] });
  });

  it('round-trips an existing partner through the form', () => {
    const existing = { kind: 'parchment', id: 'parchment', label: 'Parchment', apiBaseUrl: 'https://api.parchmenthealth.io/external', portalOrigin: 'https://portal.parchment.health', partnerId: 'p1', organizationId: 'o1', target: 'patient', embed: true, patientIds: { '9990000018': '4821-7730-1956-0042' }, timeoutMs: 15000, prefetch: 'click' };
    const result = partnerFromForm('parchment', valuesFrom('parchment', existing), 0);
    expect(result).toEqual({ ok: true, partner: existing });
  });

  it('takes what happens to the partner\'s tabs after the patient changes, and leaves both out when untouched', () => {
    const kb = { ...valuesFrom('phpkb'), id: 'kb', label: 'KB', kbUrl: 'https://kb.trust.nhs.uk/kb' };
    expect(fieldsFor('phpkb').find((f) => f.name === 'staleTab')).toMatchObject({ kind: 'choice', choices: ['mark', 'close', 'follow', 'none'], required: false });
    expect(fieldsFor('phpkb').find((f) => f.name === 'readOnly')).toMatchObject({ kind: 'boolean', required: false });
    const untouched = partnerFromForm('phpkb', kb, 0);
    if (!untouched.ok) throw new Error(untouched.errors.join('; '));
    expect(untouched.partner).not.toHaveProperty('staleTab');
    expect(untouched.partner).not.toHaveProperty('readOnly');
    expect(partnerFromForm('phpkb', { ...kb, staleTab: 'follow', readOnly: true }, 0)).toMatchObject({ ok: true, partner: { staleTab: 'follow', readOnly: true } });
    expect(partnerFromForm('phpkb', { ...kb, staleTab: 'close' }, 0)).toMatchObject({ ok: true, partner: { staleTab: 'close' } });
  });

  it('refuses follow for a partner not ticked read-only, with the import\'s message under the field', () => {
    const values = { ...valuesFrom('parchment'), id: 'parchment', label: 'P', apiBaseUrl: 'https://api.example.org', portalOrigin: 'https://portal.example.org', partnerId: 'p', organizationId: 'o', staleTab: 'follow' };
    expect(partnerFromForm('parchment', values, 3)).toEqual({
      ok: false,
      errors: ['partners[3].staleTab: follow relaunches the tab automatically, so it is only for a read-only partner: set "readOnly": true, or use mark'],
    });
  });
});
