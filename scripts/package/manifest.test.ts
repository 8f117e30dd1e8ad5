import { describe, expect, it } from 'vitest';
import { firefoxManifest, selfHostedManifest, storeManifest } from './manifest';

const BUILT = {
  manifest_version: 3,
  name: '__MSG_extName__',
  version: '0.0.1',
  key: 'MIIBfixed',
  host_permissions: [] as string[],
  optional_host_permissions: ['https://*/*'],
};

describe('manifest for each distribution route', () => {
  it('store: no key and no update_url, version from package.json, the rest unchanged', () => {
    const manifest = storeManifest({ ...BUILT, update_url: 'https://x.example/updates.xml' }, '1.4.0');
    expect(manifest).not.toHaveProperty('key');
    expect(manifest).not.toHaveProperty('update_url');
    expect(manifest).toEqual({ manifest_version: 3, name: '__MSG_extName__', version: '1.4.0', host_permissions: [], optional_host_permissions: ['https://*/*'] });
  });

  it('self-hosted: the given key and update_url, version from package.json', () => {
    const manifest = selfHostedManifest(BUILT, '1.4.0', 'MIIBother', 'https://apps.trust.example/ehr/updates.xml');
    expect(manifest).toMatchObject({ key: 'MIIBother', update_url: 'https://apps.trust.example/ehr/updates.xml', version: '1.4.0' });
  });

  it('refuses the sandbox build (it allows http://127.0.0.1) on both routes', () => {
    const sandbox = { ...BUILT, name: '__MSG_extName__ (sandbox)', host_permissions: ['http://127.0.0.1/*'] };
    expect(() => storeManifest(sandbox, '1.0.0')).toThrow(/sandbox build/);
    expect(() => selfHostedManifest(sandbox, '1.0.0', 'k', 'https://x.example/updates.xml')).toThrow(/sandbox build/);
  });

  it('Firefox: the version from package.json, and only a build that names its add-on id', () => {
    const firefox = { ...BUILT, key: undefined, browser_specific_settings: { gecko: { id: 'ehr-launchpad@ehr-launchpad' } } };
    expect(firefoxManifest(firefox, '1.4.0')).toMatchObject({ version: '1.4.0', browser_specific_settings: firefox.browser_specific_settings });
    expect(() => firefoxManifest(BUILT, '1.4.0')).toThrow(/not the Firefox build/);
    const sandbox = { ...firefox, host_permissions: ['http://127.0.0.1/*'] };
    expect(() => firefoxManifest(sandbox, '1.4.0')).toThrow(/sandbox build/);
  });
});
