import { describe, expect, it } from 'vitest';
import { hostPatternsFor } from './host-access';
import { bannerFrameOrigins, namesBannerFrame, siteProfile } from './site-profile';

const EHR = 'https://ehr.trust.nhs.uk';
const BANNER = 'https://banner.ehr-vendor.example';
const config = {
  ehrSites: [
    { origin: EHR, profile: 'vendor' },
    { origin: 'https://other-ehr.trust.nhs.uk', profile: 'generic' },
  ],
  profiles: [
    { name: 'vendor', frames: ['iframe.banner'], frameOrigins: [BANNER, EHR], corner: 'bottom-right' as const },
    { name: 'unused', frameOrigins: ['https://unused.example'], corner: 'bottom-right' as const },
  ],
};

describe('site profiles and banner frame origins', () => {
  it("finds a site's profile, the generic one, or none", () => {
    expect(siteProfile(config, EHR)?.name).toBe('vendor');
    expect(siteProfile(config, 'https://other-ehr.trust.nhs.uk')?.name).toBe('generic');
    expect(siteProfile(config, BANNER)).toBeNull();
    expect(siteProfile({ ehrSites: [{ origin: EHR, profile: 'missing' }], profiles: [] }, EHR)).toBeNull();
  });

  it('names a banner frame only for the EHR whose profile lists it', () => {
    expect(namesBannerFrame(config, EHR, BANNER)).toBe(true);
    expect(namesBannerFrame(config, 'https://other-ehr.trust.nhs.uk', BANNER)).toBe(false);
    expect(namesBannerFrame(config, BANNER, BANNER)).toBe(false);
  });

  it('registers readers only for origins of profiles in use, never on an EHR origin itself', () => {
    expect(bannerFrameOrigins(config)).toEqual([BANNER]);
  });

  it('asks for access to the banner frame origins along with the EHR sites', () => {
    expect(hostPatternsFor({ ...config, partners: [] })).toEqual([`${EHR}/*`, 'https://other-ehr.trust.nhs.uk/*', `${BANNER}/*`]);
  });
});
