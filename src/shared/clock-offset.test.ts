import { describe, expect, it } from 'vitest';
import { clockOffsetFromDate } from './clock-offset';

describe('clock offset from a partner Date header', () => {
  const local = Date.UTC(2026, 10, 22, 9, 0, 0);

  it('measures a desktop 20 minutes behind the partner', () => {
    const partner = new Date(local + 20 * 60_000).toUTCString();
    expect(clockOffsetFromDate(partner, local - 100, local + 100)).toBe(20 * 60_000);
  });

  it('treats the header resolution as no skew', () => {
    expect(clockOffsetFromDate(new Date(local + 900).toUTCString(), local, local)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(clockOffsetFromDate(null, local, local)).toBeNull();
    expect(clockOffsetFromDate('yesterday', local, local)).toBeNull();
  });
});
