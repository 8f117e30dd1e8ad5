import { describe, expect, it } from 'vitest';
import { addressProblem } from './address-rules';
import { describeConfigErrors, ehrSiteSchema, parseConfig } from './config';
import { readPolicy } from './effective-config';

const fine = (problem: string | undefined) => expect(problem).toBeUndefined();

describe('addresses in the configuration', () => {
  it('accepts exact https origins, with a port, an IP address or a name the browser writes in punycode', () => {
    for (const origin of ['https://ehr.example-trust.nhs.uk', 'https://ehr.example-trust.nhs.uk:8443', 'https://EHR.Example.org/', 'https://10.1.2.3', 'https://[::1]:8443', 'https://ëhr.example.org']) {
      fine(addressProblem(origin, 'origin', false));
    }
    fine(addressProblem('http://127.0.0.1:4100', 'origin', true));
  });

  it('names what is wrong, in words, for every kind of mistake, and never throws', () => {
    const cases: [string, RegExp][] = [
      ['ehr.example-trust.nhs.uk', /write the full address, starting with https:\/\//],
      ['portal.parchment', /write the full address, starting with https:\/\//],
      ['ehr.example.org:443', /write the full address/],
      ['', /is empty/],
      ['https://*.nhs.uk', /wildcards \(\*\) and <all_urls> are not allowed/],
      ['*://ehr.nhs.uk/*', /wildcards/],
      ['<all_urls>', /wildcards \(\*\) and <all_urls> are not allowed/],
      ['http://ehr.example.org', /must be an https:\/\/ address/],
      ['http://127.0.0.1:4100', /must be an https:\/\/ address/],
      ['ftp://ehr.example.org', /must be an https:\/\/ address/],
      ['https://user:pw@ehr.example.org', /user name or password/],
      ['https://ehr.example.org.', /dot/],
      ['https://ehr_1.example.org', /only letters, digits, dots and dashes/],
      ['https://ehr.example.org/patients', /must be an origin only/],
      ['https://ehr.example.org?x=1', /must be an origin only/],
      ['https://ehr.example.org#top', /must be an origin only/],
      ['https://', /not a web address/],
      ['https://a b.org', /not a web address/],
    ];
    for (const [value, message] of cases) expect(addressProblem(value, 'origin', false), value).toMatch(message);
  });

  it('lets a partner URL have a path, but no query, fragment or wildcard', () => {
    fine(addressProblem('https://api.example.org/external/', 'url', false));
    expect(addressProblem('https://api.example.org/x?y', 'url', false)).toMatch(/\?query/);
    expect(addressProblem('https://*.example.org/x', 'url', false)).toMatch(/wildcards/);
    expect(addressProblem('api.example.org/external', 'url', false)).toMatch(/starting with https:\/\//);
  });
});

describe('the same origin mistakes through every way in', () => {
  const parchment = {
    kind: 'parchment', id: 'parchment', label: 'Parchment', apiBaseUrl: 'https://api.parchmenthealth.io/external',
    portalOrigin: 'https://portal.parchment.health', partnerId: 'p1', organizationId: 'o1',
  };
  const mistakes = ['https://*.nhs.uk', '<all_urls>', 'ehr.riverside.nhs.uk', 'https://ehr.riverside.nhs.uk/path'];

  it('the configuration import answers a field error naming the field', () => {
    for (const origin of mistakes) {
      const result = parseConfig({ version: 1, ehrSites: [{ origin }] });
      expect(result, origin).toMatchObject({ ok: false, errors: [expect.stringMatching(/^ehrSites\[0\]\.origin: /)] });
    }
    expect(parseConfig({ version: 1, partners: [{ ...parchment, portalOrigin: 'portal.parchment' }] })).toEqual({
      ok: false,
      errors: ['partners[0].portalOrigin: write the full address, starting with https:// (like https://ehr.example-trust.nhs.uk)'],
    });
  });

  it('policy leaves the entry out and reports the field without quoting the value', () => {
    for (const origin of mistakes) {
      const reading = readPolicy({ ehrSites: [{ origin }, { origin: 'https://ehr.trust.nhs.uk' }] });
      expect(reading.policy.ehrSites).toEqual([{ origin: 'https://ehr.trust.nhs.uk', profile: 'generic' }]);
      expect(reading.problems).toEqual([expect.stringMatching(/^policy ehrSites\[0\]\.origin: .*\(entry ignored\)$/)]);
      if (origin.length > 12) expect(reading.problems[0]).not.toContain(origin);
    }
  });

  it('the "Add EHR site" form\'s check answers one field error', () => {
    for (const origin of mistakes) {
      const parsed = ehrSiteSchema.safeParse({ origin, profile: 'generic' });
      expect(parsed.success).toBe(false);
      if (!parsed.success) expect(describeConfigErrors(parsed.error)).toEqual([expect.stringMatching(/^origin: /)]);
    }
  });

  it('banner frame origins in a profile follow the same rules', () => {
    const result = parseConfig({ version: 1, profiles: [{ name: 'p', frameOrigins: ['https://*.nhs.uk', 'banner.example.org', 'https://Banner.example.org'] }] });
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(/^profiles\[0\]\.frameOrigins\[0\]: .*wildcards/),
      expect.stringMatching(/^profiles\[0\]\.frameOrigins\[1\]: write the full address/),
      expect.stringMatching(/^profiles\[0\]\.frameOrigins\[2\]: must be written as the browser writes an origin/),
    ]);
  });
});
