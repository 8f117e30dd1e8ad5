import { describe, expect, it } from 'vitest';
import { loopbackAddresses } from './loopback';

describe('loopbackAddresses', () => {
  it('names each http://127.0.0.1 address by its place in the document', () => {
    const document = {
      version: 1,
      ehrSites: [{ origin: 'http://127.0.0.1:47101', profile: 'generic' }],
      partners: [
        { id: 'a', apiBaseUrl: 'https://api.example.org/external', portalOrigin: 'http://127.0.0.1:47103' },
        { id: 'b', kbUrl: ' http://127.0.0.1/kb ' },
      ],
    };
    expect(loopbackAddresses(document)).toEqual([
      'ehrSites[0].origin: http://127.0.0.1:47101',
      'partners[0].portalOrigin: http://127.0.0.1:47103',
      'partners[1].kbUrl: http://127.0.0.1/kb',
    ]);
  });

  it('leaves https, other hosts and look-alikes to the configuration rules', () => {
    expect(loopbackAddresses({ a: 'https://127.0.0.1:1', b: 'http://127.0.0.10/', c: 'http://127.0.0.1.example.org/', d: 7, e: null })).toEqual([]);
  });
});
