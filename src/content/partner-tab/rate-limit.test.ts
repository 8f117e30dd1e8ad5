import { describe, expect, it } from 'vitest';
import { createRateLimit } from './rate-limit';

describe('createRateLimit', () => {
  it('lets one call per interval through for each key', () => {
    let time = 0;
    const allowed = createRateLimit(1000, () => time);
    expect(allowed('removed')).toBe(true);
    time = 10;
    expect(allowed('removed')).toBe(false);
    expect(allowed('title')).toBe(true);
    time = 999;
    expect(allowed('removed')).toBe(false);
    time = 1000;
    expect(allowed('removed')).toBe(true);
    expect(allowed('title')).toBe(false);
    time = 1010;
    expect(allowed('title')).toBe(true);
  });
});
