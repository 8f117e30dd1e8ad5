import { describe, expect, it } from 'vitest';
import { displayName, parsePersonName } from './person-name';

describe('person name', () => {
  it('reads "FAMILY, Given (Prefix)"', () => {
    expect(parsePersonName('SMITH, John (Mr)')).toEqual({ family: 'Smith', given: 'John', prefix: 'Mr' });
    expect(parsePersonName("O'BRIEN-SMITH, Zoë (Ms)")).toEqual({ family: "O'Brien-Smith", given: 'Zoë', prefix: 'Ms' });
    expect(parsePersonName('SMITH, John Paul')).toEqual({ family: 'Smith', given: 'John Paul' });
  });

  it('reads "Given Family" with an optional prefix, keeping mixed case as written', () => {
    expect(parsePersonName('Mr John McDONALD')).toEqual({ family: 'McDONALD', given: 'John', prefix: 'Mr' });
    expect(parsePersonName('Dr. Alice Jones')).toEqual({ family: 'Jones', given: 'Alice', prefix: 'Dr' });
  });

  it('rejects what is not a name', () => {
    for (const text of ['', 'SMITH', 'SMITH, ', 'SMITH, John, Paul', 'SMITH, J0hn', '<b>SMITH</b>, John', 'x'.repeat(300)]) {
      expect(parsePersonName(text), text).toBeNull();
    }
  });

  it('displays given then family', () => {
    expect(displayName({ family: 'Smith', given: 'John' })).toBe('John Smith');
  });
});
