import { describe, expect, it } from 'vitest';
import { parsePackageOptions } from './options';

describe('npm run package options', () => {
  it('defaults: packages/ from dist/, no key, no update address, Debian Chromium', () => {
    expect(parsePackageOptions([], {})).toEqual({ outDir: 'packages', distDir: 'dist', firefoxDistDir: 'dist-firefox', keyFile: undefined, updateBaseUrl: undefined, allowNewId: false, chromium: '/usr/bin/chromium' });
  });

  it('reads flags (spaced or with =) before the environment', () => {
    const options = parsePackageOptions(['--key', 'a.pem', '--update-base-url=https://apps.trust.example/ehr/', '--out', '/tmp/p', '--allow-new-id'], {
      EXTENSION_KEY_PEM: 'env.pem',
      CHROMIUM_PATH: '/opt/chrome',
    });
    expect(options).toMatchObject({ keyFile: 'a.pem', updateBaseUrl: 'https://apps.trust.example/ehr', outDir: '/tmp/p', allowNewId: true, chromium: '/opt/chrome' });
  });

  it('takes the key and the update address from the environment', () => {
    expect(parsePackageOptions([], { EXTENSION_KEY_PEM: 'k.pem', EXTENSION_UPDATE_BASE_URL: 'https://u.example' })).toMatchObject({ keyFile: 'k.pem', updateBaseUrl: 'https://u.example' });
  });

  it('refuses an update address browsers would not fetch, or would leak', () => {
    expect(() => parsePackageOptions(['--update-base-url', 'http://apps.trust.example/'], {})).toThrow(/https/);
    expect(() => parsePackageOptions(['--update-base-url', 'https://u:p@apps.trust.example/'], {})).toThrow(/plain folder/);
    expect(() => parsePackageOptions(['--update-base-url', 'https://apps.trust.example/?x=1'], {})).toThrow(/plain folder/);
    expect(() => parsePackageOptions(['--update-base-url', 'apps'], {})).toThrow(/not an address/);
  });

  it('refuses unknown options and missing values, showing the usage', () => {
    expect(() => parsePackageOptions(['--kee', 'a.pem'], {})).toThrow(/unknown option --kee[\s\S]*npm run package/);
    expect(() => parsePackageOptions(['--key'], {})).toThrow(/--key needs a value/);
  });
});
