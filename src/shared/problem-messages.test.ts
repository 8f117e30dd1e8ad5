import { describe, expect, it } from 'vitest';
import { PROBLEM_MESSAGES, problemMessage } from './problem-messages';

describe('problemMessage', () => {
  it('names each problem code by its own message', () => {
    for (const [code, key] of Object.entries(PROBLEM_MESSAGES)) expect(problemMessage(code)).toBe(key);
    expect(problemMessage('two-patients')).toBe('problem_two_patients');
  });

  it('reads no problem, or one no message knows, as no patient', () => {
    expect(problemMessage(undefined)).toBe('problem_no_patient');
    expect(problemMessage('something-new')).toBe('problem_no_patient');
    expect(problemMessage('toString')).toBe('problem_no_patient');
  });
});
