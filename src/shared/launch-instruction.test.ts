import { describe, expect, it } from 'vitest';
import { isAllowedLaunchUrl } from './launch-instruction';

const allowed = ['https://portal.example.org', 'http://127.0.0.1:4000'];

describe('launch URL allow-list', () => {
  it('allows https on a configured origin', () => {
    expect(isAllowedLaunchUrl('https://portal.example.org/auth/sso?token=x', allowed, false)).toBe(true);
  });

  it('refuses other origins, look-alikes, schemes and credentials', () => {
    for (const url of [
      'https://portal.example.org.evil.test/auth',
      'https://evil.test/?https://portal.example.org',
      'http://portal.example.org/auth',
      'javascript:alert(1)',
      'data:text/html,hi',
      'https://user:pass@portal.example.org/',
      'not a url',
    ]) {
      expect(isAllowedLaunchUrl(url, allowed, false), url).toBe(false);
    }
  });

  it('allows http://127.0.0.1 only in the sandbox build', () => {
    expect(isAllowedLaunchUrl('http://127.0.0.1:4000/x', allowed, true)).toBe(true);
    expect(isAllowedLaunchUrl('http://127.0.0.1:4000/x', allowed, false)).toBe(false);
    expect(isAllowedLaunchUrl('http://localhost:4000/x', ['http://localhost:4000'], true)).toBe(false);
  });
});
