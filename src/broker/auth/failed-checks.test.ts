import { expect, it } from 'vitest';
import { FailedChecks } from './failed-checks';

it('holds an address until the time given, then forgets it', () => {
  const checks = new FailedChecks();
  expect(checks.isBlocked('10.0.0.1', 0)).toBe(false);
  checks.block('10.0.0.1', 60_000, 0);
  expect(checks.isBlocked('10.0.0.1', 59_999)).toBe(true);
  expect(checks.isBlocked('10.0.0.2', 59_999)).toBe(false);
  expect(checks.isBlocked('10.0.0.1', 60_000)).toBe(false);
});

it('keeps to its size: ended entries make room, live ones are kept', () => {
  const checks = new FailedChecks(2);
  checks.block('a', 100, 0);
  checks.block('b', 200, 0);
  checks.block('c', 300, 0);
  expect(['a', 'b', 'c'].map((address) => checks.isBlocked(address, 50))).toEqual([true, true, false]);
  checks.block('c', 300, 150);
  expect(['a', 'b', 'c'].map((address) => checks.isBlocked(address, 150))).toEqual([false, true, true]);
});

it('remembers a failed token for a minute', () => {
  const checks = new FailedChecks();
  expect(checks.failedLately('hash-1', 0)).toBe(false);
  checks.tokenFailed('hash-1', 0);
  expect(checks.failedLately('hash-1', 59_999)).toBe(true);
  expect(checks.failedLately('hash-2', 59_999)).toBe(false);
  expect(checks.failedLately('hash-1', 60_000)).toBe(false);
});
