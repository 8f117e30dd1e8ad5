import { describe, expect, it } from 'vitest';
import { browserLimits } from './browser-limits';

describe('browserLimits', () => {
  it('names what Firefox cannot do, and nothing for Chromium', () => {
    expect(browserLimits(true)).toEqual(['screen-lock', 'visibility-verdict']);
    expect(browserLimits(false)).toEqual([]);
    // The unit tests run as the Chromium build.
    expect(browserLimits()).toEqual([]);
  });
});
