import { describe, expect, it } from 'vitest';
import { ConfigError, detectConfig, withHostPermissions } from './config';

describe('detect configuration', () => {
  it('makes each page origin an EHR site with the generic profile by default', () => {
    const made = detectConfig(undefined, ['http://127.0.0.1:4000', 'http://127.0.0.1:4001'], 'sandbox');
    expect(made.config).toEqual({
      version: 1,
      ehrSites: [
        { origin: 'http://127.0.0.1:4000', profile: 'generic' },
        { origin: 'http://127.0.0.1:4001', profile: 'generic' },
      ],
      profiles: [],
    });
    expect(made.hostPatterns).toEqual(['http://127.0.0.1:4000/*', 'http://127.0.0.1:4001/*']);
    expect(made.notes).toEqual([]);
  });

  it("keeps the document's sites and profiles, adds unlisted page origins with the chosen profile, and leaves partners out", () => {
    const profile = { name: 'example-ehr', frames: ['iframe#banner'], frameOrigins: ['https://banner.example.org'] };
    const base = {
      version: 1,
      ehrSites: [{ origin: 'https://ehr.example.org', profile: 'example-ehr' }, { origin: 'http://127.0.0.1:9000' }],
      profiles: [profile],
      partners: [{ kind: 'phpkb', id: 'kb' }],
      auditForwarding: { enabled: true, endpoint: 'https://audit.example.org' },
    };
    const made = detectConfig(base, ['https://ehr.example.org', 'https://other.example.org'], 'production', 'example-ehr');
    expect(made.config.ehrSites).toEqual([
      { origin: 'https://ehr.example.org', profile: 'example-ehr' },
      { origin: 'https://other.example.org', profile: 'example-ehr' },
    ]);
    expect(made.config.profiles).toEqual([profile]);
    expect(made.config).not.toHaveProperty('partners');
    // The banner frame's origin needs access too, as the options page would ask for it.
    expect(made.hostPatterns).toEqual(['https://ehr.example.org/*', 'https://other.example.org/*', 'https://banner.example.org/*']);
    expect(made.notes).toEqual([
      'left out of the configuration: partners, auditForwarding (not needed to read pages)',
      'http://127.0.0.1:9000 left out: the production build does not run on it',
    ]);
  });

  it('keeps a loopback site in the sandbox build', () => {
    const made = detectConfig({ ehrSites: [{ origin: 'http://127.0.0.1:4000', profile: 'generic' }] }, ['http://127.0.0.1:4000'], 'sandbox');
    expect(made.config.ehrSites).toEqual([{ origin: 'http://127.0.0.1:4000', profile: 'generic' }]);
  });

  it.each([[[]], ['text'], [{ ehrSites: {} }], [{ profiles: 'x' }], [{ ehrSites: [{ profile: 'generic' }] }], [{ ehrSites: [{ origin: 'https://a.example', profile: 3 }] }]])(
    'refuses a malformed document %j',
    (base) => {
      expect(() => detectConfig(base, [], 'sandbox')).toThrow(ConfigError);
    },
  );

  it('adds host permissions to the manifest and changes nothing else', () => {
    const manifest = { key: 'abc', host_permissions: ['http://127.0.0.1/*'], permissions: ['storage'] };
    expect(withHostPermissions(manifest, ['https://ehr.example.org/*', 'http://127.0.0.1/*'])).toEqual({
      key: 'abc',
      host_permissions: ['http://127.0.0.1/*', 'https://ehr.example.org/*'],
      permissions: ['storage'],
    });
    expect(withHostPermissions({ key: 'abc' }, ['https://ehr.example.org/*'])).toEqual({ key: 'abc', host_permissions: ['https://ehr.example.org/*'] });
  });
});
