import type { Config } from './config';

/**
 * The organisation's defaults for a clinician profile: they fill the fields the clinician left empty or, when
 * policy locks them, replace what the clinician typed.
 */
export function withClinicianDefaults(profile: unknown, defaults: Config['clinicianDefaults'], locked: boolean): unknown {
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) return profile;
  const given = Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== undefined && value !== ''));
  return locked ? { ...given, ...defaults } : { ...defaults, ...given };
}
