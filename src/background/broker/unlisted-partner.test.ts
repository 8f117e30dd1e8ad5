import { describe, expect, it } from 'vitest';
import { refuseUnlisted } from './unlisted-partner';

const partner = { id: 'parchment', label: 'Parchment' };

describe('refusing a partner the broker does not list', () => {
  it('refuses it with its own code and wording', () => {
    let thrown: unknown;
    try {
      refuseUnlisted([{ id: 'knowledge-base', label: 'Knowledge base', kind: 'phpkb' }], partner);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'broker-partner-not-listed', wording: ['brokerListNotListed', 'Parchment'] });
    expect((thrown as Error).message).toContain('does not offer Parchment');
  });

  it('lets a listed partner through', () => {
    expect(() => refuseUnlisted([{ id: 'parchment', label: 'Parchment', kind: 'parchment' }], partner)).not.toThrow();
  });

  it('lets everything through when the list is not known (the broker decides)', () => {
    expect(() => refuseUnlisted(null, partner)).not.toThrow();
  });
});
