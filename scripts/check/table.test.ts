import { describe, expect, it } from 'vitest';
import { tableLines } from './table';

describe('tableLines', () => {
  it('pads each column to its widest cell, with a rule under the header', () => {
    expect(tableLines(['partner', 'ms'], [['Parchment', '412'], ['KB', '7']])).toEqual(['partner    ms ', '---------  ---', 'Parchment  412', 'KB         7  ']);
  });
});
