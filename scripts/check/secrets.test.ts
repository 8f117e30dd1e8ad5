import { describe, expect, it } from 'vitest';
import { parseSecrets, redact } from './secrets';

const VALUE = 'Sup3r-secret-value-7781';

describe('secrets file', () => {
  it('reads one entry per partner id and secret name', () => {
    const text = JSON.stringify({ parchment: { partnerSecret: 'a1', organizationSecret: 'b2' }, 'knowledge-base': { secretToken: 'c3' } });
    expect(parseSecrets(text, 'secrets.json')).toEqual({
      ok: true,
      secrets: [
        { partnerId: 'parchment', name: 'partnerSecret', value: 'a1' },
        { partnerId: 'parchment', name: 'organizationSecret', value: 'b2' },
        { partnerId: 'knowledge-base', name: 'secretToken', value: 'c3' },
      ],
    });
  });

  it('never quotes the text in an error: not for bad JSON, nor for a value in the wrong place', () => {
    const cases = [
      `{"parchment": {"partnerSecret": "${VALUE}",}}`,
      JSON.stringify({ [VALUE]: { partnerSecret: 'x' } }),
      JSON.stringify({ parchment: { [VALUE]: 'x' } }),
      JSON.stringify({ parchment: VALUE }),
      JSON.stringify({ parchment: { partnerSecret: [VALUE] } }),
      JSON.stringify([VALUE]),
    ];
    for (const text of cases) {
      const parsed = parseSecrets(text, 'secrets.json');
      expect(parsed.ok, text).toBe(false);
      expect(JSON.stringify(parsed), text).not.toContain(VALUE);
      expect(JSON.stringify(parsed)).not.toContain('Sup3r');
    }
  });

  it('an empty or overlong value names the partner and secret only', () => {
    const parsed = parseSecrets(JSON.stringify({ parchment: { partnerSecret: '' } }), 'secrets.json');
    expect(parsed).toEqual({ ok: false, errors: ['parchment.partnerSecret: the value must be text of 1 to 4096 characters'] });
  });
});

describe('redact', () => {
  it('takes every value out of a text, the longest first', () => {
    expect(redact(`sent ${VALUE} and abc then abcdef`, [VALUE, 'abc', 'abcdef'])).toBe('sent [secret] and [secret] then [secret]');
    expect(redact('nothing here', [])).toBe('nothing here');
    expect(redact('empty values are ignored', [''])).toBe('empty values are ignored');
  });
});
