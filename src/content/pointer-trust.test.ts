import { describe, expect, it } from 'vitest';
import { isPageDrawnCursor } from './pointer-trust';

describe('cursors a page draws or hides', () => {
  it.each([
    ['url("data:image/png;base64,AAAA") 110 110, auto', true],
    ['url(cursor.cur), pointer', true],
    ['none', true],
    ['auto', false],
    ['pointer', false],
    ['default', false],
    ['text', false],
  ])('%s → %s', (cursor, drawn) => expect(isPageDrawnCursor(cursor)).toBe(drawn));
});
