import { describe, expect, it, vi } from 'vitest';
import type { HealthIssue } from '../background/health/health-issues';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

const { healthLines } = await import('./health-lines');

const blocked = (label: string, reason: Extract<HealthIssue, { code: 'partner-blocked' }>['reason']): HealthIssue => ({ code: 'partner-blocked', partnerId: label.toLowerCase(), label, reason });

describe('the popup\'s Needs attention lines', () => {
  it('name each partner not set up on this computer, one line per reason', () => {
    expect(healthLines([blocked('Parchment', 'secret-missing'), blocked('Black Pear', 'signing-key-missing'), blocked('PHPKB', 'secret-missing')]).map((line) => line.text)).toEqual([
      'blockingSecretMissing(Parchment and PHPKB)',
      'blockingSigningKeyMissing(Black Pear)',
    ]);
  });

  it('name what the clinician lacks, and keep the pairing that ended in its own words', () => {
    expect(healthLines([{ code: 'policy-problems', count: 2 }, blocked('Black Pear', 'clinician-incomplete'), blocked('PKB', 're-pair-needed')]).map((line) => line.text)).toEqual([
      'healthPolicyProblems(2)',
      'healthRepair(PKB)',
      'blockingClinicianIncomplete(Black Pear)',
    ]);
  });

  it('leave out steps the clinician has not taken yet (the partner list offers them)', () => {
    expect(healthLines([blocked('PKB', 'not-paired'), blocked('NHS login', 'partner-sign-in'), blocked('Parchment', 'identity-needed')])).toEqual([]);
  });
});
