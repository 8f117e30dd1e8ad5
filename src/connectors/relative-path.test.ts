import { describe, expect, it } from 'vitest';
import { isSafeRelativePath, relativePathProblem } from './relative-path';

describe('relative landing paths', () => {
  it.each([
    '/clinician/patientSummary.action?nhsNumber=9990000018',
    '/clinician/home.action',
    '/a/b?x=1&y=%2Fz',
    '/search?q=a%20b',
    '/notes#section',
  ])('accepts %s', (path) => {
    expect(relativePathProblem(path)).toBeUndefined();
  });

  it.each([
    ['absolute https', 'https://evil.example/x'],
    ['absolute http', 'http://evil.example'],
    ['protocol-relative', '//evil.example/x'],
    ['slash backslash', '/\\evil.example'],
    ['backslash inside', '/a\\b'],
    ['javascript', 'javascript:alert(1)'],
    ['mixed-case javascript', 'JaVaScRiPt:alert(1)'],
    ['javascript after a slash', '/javascript:alert(1)'],
    ['data URL', 'data:text/html,hi'],
    ['no leading slash', 'clinician/home.action'],
    ['encoded //', '%2F%2Fevil.example'],
    ['encoded // after a slash', '/%2Fevil.example'],
    ['double-encoded //', '%252F%252Fevil.example'],
    ['encoded backslash', '/%5Cevil.example'],
    ['double-encoded backslash', '/%255Cevil.example'],
    ['encoded javascript', '/%6Aavascript:alert(1)'],
    ['tab between slashes', '/\t/evil.example'],
    ['encoded newline', '/%0A/evil.example'],
    ['space', '/ /evil'],
    ['broken encoding', '/%E0%A4%A'],
    ['empty', ''],
    ['nested encodings beyond the limit', `/${'%25'.repeat(1)}252525252525252F`],
    ['too long', `/${'a'.repeat(2001)}`],
  ])('refuses %s', (_what, path) => {
    expect(isSafeRelativePath(path)).toBe(false);
  });
});
