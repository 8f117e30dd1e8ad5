import { describe, expect, it } from 'vitest';
import { judgeLint } from './firefox-lint-verdict';

const preact = { code: 'UNSAFE_VAR_ASSIGNMENT', message: 'Unsafe assignment to innerHTML', file: 'assets/jsxRuntime-BN4ionLt.js' };
const zod = { code: 'DANGEROUS_EVAL', message: 'The Function constructor is eval.', file: 'assets/schemas-CqiBihD9.js' };

describe('judgeLint', () => {
  it('passes the two explained warnings whatever the bundle hash', () => {
    expect(judgeLint({ errors: [], warnings: [preact, { ...zod, file: 'assets/schemas-x_Y-9.js' }], notices: [] })).toEqual({ ok: true, lines: [] });
  });

  it('fails on any error', () => {
    const verdict = judgeLint({ errors: [{ code: 'MANIFEST_FIELD_INVALID', message: 'bad', file: 'manifest.json' }], warnings: [], notices: [] });
    expect(verdict.ok).toBe(false);
    expect(verdict.lines).toEqual(['error MANIFEST_FIELD_INVALID in manifest.json: bad']);
  });

  it('fails on a known warning code in another bundle, and on a new warning', () => {
    const elsewhere = { ...preact, file: 'assets/content-script.ts-abc.js' };
    const verdict = judgeLint({ errors: [], warnings: [elsewhere, { code: 'NEW_THING', message: 'm' }], notices: [] });
    expect(verdict.ok).toBe(false);
    expect(verdict.lines).toHaveLength(2);
  });
});
