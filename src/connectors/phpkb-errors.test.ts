import { describe, expect, it } from 'vitest';
import { phpkbErrorCode } from './phpkb-errors';

describe('PHPKB error codes in answers', () => {
  it('takes the first documented code, skipping code-shaped text that is not one', () => {
    expect(phpkbErrorCode('ref 401E3 then 401E1')).toBe('401E1');
    expect(phpkbErrorCode('{"code":"503E1"}')).toBe('503E1');
    expect(phpkbErrorCode('{"code":"999E9"} 404E2')).toBe('404E2');
    expect(phpkbErrorCode('x401E1x')).toBeNull();
    expect(phpkbErrorCode('')).toBeNull();
  });
});
