import { describe, expect, it } from 'vitest';
import { isSecureOrigin, isSecureUrl, LOOPBACK_HTTP_ALLOWED } from './secure-url';

// npm run test:unit runs with the sandbox build's rules, npm run test:unit:prod with the production build's.
describe('partner URL rules', () => {
  it('take https everywhere, and never an address with a user name or password', () => {
    expect(isSecureUrl('https://api.parchment.example/v1')).toBe(true);
    expect(isSecureOrigin('https://kb.example.org')).toBe(true);
    expect(isSecureUrl('https://user:pass@api.parchment.example/')).toBe(false);
    expect(isSecureUrl('http://api.parchment.example/')).toBe(false);
    expect(isSecureUrl('http://localhost:8080/')).toBe(false);
  });

  it.runIf(!LOOPBACK_HTTP_ALLOWED)('(production build) refuse http://127.0.0.1', () => {
    expect(isSecureUrl('http://127.0.0.1:8080/sso')).toBe(false);
    expect(isSecureOrigin('http://127.0.0.1:8080')).toBe(false);
  });

  it.runIf(LOOPBACK_HTTP_ALLOWED)('(sandbox build) also take http://127.0.0.1, for the built-in partner sandbox', () => {
    expect(isSecureUrl('http://127.0.0.1:8080/sso')).toBe(true);
    expect(isSecureOrigin('http://127.0.0.1:8080')).toBe(true);
    expect(isSecureUrl('http://127.0.0.1:8080/sso', false)).toBe(false);
  });
});
