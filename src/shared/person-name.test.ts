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

describe('family names in capitals after the given names', () => {
  it('takes every trailing word in capitals as the family name', () => {
    expect(parsePersonName('Aoife NÍ BHRIAIN')).toEqual({ family: 'Ní Bhriain', given: 'Aoife' });
    expect(parsePersonName('Mary Anne VAN DER BERG')).toEqual({ family: 'Van Der Berg', given: 'Mary Anne' });
    expect(parsePersonName('Siân O’NEILL-SMITH')).toEqual({ family: 'O’Neill-Smith', given: 'Siân' });
    expect(parsePersonName('Mary Anne Smith')).toEqual({ family: 'Smith', given: 'Mary Anne' });
    expect(parsePersonName('JOHN SMITH')).toEqual({ family: 'Smith', given: 'John' });
  });
});
