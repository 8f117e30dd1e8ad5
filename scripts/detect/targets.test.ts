import { describe, expect, it } from 'vitest';
import { classifyInput, servedUrl } from './targets';

describe('detect inputs', () => {
  it('opens https pages with the production build', () => {
    expect(classifyInput('https://ehr.example.org/patients/1?x=1', '/work')).toEqual({
      kind: 'url',
      input: 'https://ehr.example.org/patients/1?x=1',
      url: 'https://ehr.example.org/patients/1?x=1',
      build: 'production',
    });
  });

  it('opens http://127.0.0.1 pages with the sandbox build', () => {
    expect(classifyInput('http://127.0.0.1:8080/p', '/work')).toMatchObject({ kind: 'url', build: 'sandbox', url: 'http://127.0.0.1:8080/p' });
  });

  it('serves local files, relative or file: addresses, from their folder with the sandbox build', () => {
    expect(classifyInput('pages/banner.html', '/work')).toEqual({ kind: 'file', input: 'pages/banner.html', path: '/work/pages/banner.html', folder: '/work/pages', build: 'sandbox' });
    expect(classifyInput('file:///tmp/a%20b.html', '/work')).toMatchObject({ kind: 'file', path: '/tmp/a b.html', folder: '/tmp' });
  });

  it.each(['http://ehr.example.org/', 'http://localhost:8080/', 'ftp://ehr.example.org/', 'https://user:pw@ehr.example.org/', 'https://'])('refuses %s', (input) => {
    expect(classifyInput(input, '/work').kind).toBe('error');
  });

  it('encodes the file name in its served address', () => {
    expect(servedUrl('http://127.0.0.1:4000', 'banner one#2.html')).toBe('http://127.0.0.1:4000/banner%20one%232.html');
  });
});
