import { describe, expect, it } from 'vitest';
import { extensionVersionProblem } from './version';

describe('extension version', () => {
  it.each(['0.1.0', '1', '1.2', '1.2.3.4', '65535.0.0', '2.0.10'])('takes %s', (version) => {
    expect(extensionVersionProblem(version)).toBeUndefined();
  });

  it.each([
    ['1.2.0-beta.1', /pre-release/],
    ['1.2.0+build5', /pre-release/],
    ['01.2.0', /leading zeros/],
    ['1.2.3.4.5', /more than four/],
    ['1.65536', /at most 65535/],
    ['0.0', /all zeros/],
    ['', /whole number/],
    ['1..2', /whole number/],
  ])('refuses %s', (version, problem) => {
    expect(extensionVersionProblem(version)).toMatch(problem);
  });
});
