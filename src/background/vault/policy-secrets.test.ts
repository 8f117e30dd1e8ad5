import { describe, expect, it } from 'vitest';
import { readPolicySecrets } from './policy-secrets';

describe('policy-delivered secrets', () => {
  it('reads good entries', () => {
    const { secrets, problems } = readPolicySecrets({ parchment: { partnerSecret: 'a', organizationSecret: 'b' }, 'knowledge-base': { secretToken: 'c' } });
    expect(secrets).toEqual({ parchment: { partnerSecret: 'a', organizationSecret: 'b' }, 'knowledge-base': { secretToken: 'c' } });
    expect(problems).toEqual([]);
  });

  it('survives a malformed policy field by field, never quoting a value', () => {
    const { secrets, problems } = readPolicySecrets({
      parchment: { partnerSecret: 'good', organizationSecret: 42, 'bad name': 'x', empty: '' },
      'Not An Id': { secretToken: 'leak-me-not' },
      'knowledge-base': 'not-an-object',
      __proto__: { polluted: 'yes' },
    });
    expect(secrets).toEqual({ parchment: { partnerSecret: 'good' } });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).not.toContain('leak-me-not');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats a missing policy as empty and a non-object as one problem', () => {
    expect(readPolicySecrets(undefined)).toEqual({ secrets: {}, problems: [] });
    expect(readPolicySecrets('x').problems).toHaveLength(1);
  });
});
