import type { Config } from '../shared/config';
import { GENERIC_PROFILE, type EhrProfile } from '../shared/ehr-profile';

/** The detection profile of the EHR site at `origin`, or null when the origin is not a configured EHR site. */
export function siteProfile(config: Pick<Config, 'ehrSites' | 'profiles'>, origin: string): EhrProfile | null {
  const site = config.ehrSites.find((s) => s.origin === origin);
  if (!site) return null;
  return site.profile === 'generic' ? GENERIC_PROFILE : (config.profiles.find((p) => p.name === site.profile) ?? null);
}

/** Whether the EHR site at `topOrigin` has a profile naming `frameOrigin` as one of its banner frame origins. */
export function namesBannerFrame(config: Pick<Config, 'ehrSites' | 'profiles'>, topOrigin: string, frameOrigin: string): boolean {
  return siteProfile(config, topOrigin)?.frameOrigins?.includes(frameOrigin) ?? false;
}

/** Every banner frame origin named by the profile of some configured EHR site (not an EHR site itself). */
export function bannerFrameOrigins(config: Pick<Config, 'ehrSites' | 'profiles'>): string[] {
  const sites = new Set(config.ehrSites.map((s) => s.origin));
  const origins = config.ehrSites.flatMap((s) => siteProfile(config, s.origin)?.frameOrigins ?? []);
  return [...new Set(origins)].filter((origin) => !sites.has(origin));
}
