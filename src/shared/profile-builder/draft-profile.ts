import { ehrProfileSchema, type EhrProfile } from '../ehr-profile';
import type { Picks } from './picks';
import { valueRule, type BuilderField } from './value-regex';

/**
 * The profile the builder proposes from the administrator's four picks: the banner's selector, and for each
 * field its selector inside the banner and, when the element holds a label too, the regex for its value.
 */

export const BUILDER_FIELDS: readonly BuilderField[] = ['nhsNumber', 'birthDate', 'name'];

/** A profile name from the site's host: "ehr.example-trust.nhs.uk" becomes "ehr-example-trust-nhs-uk". */
export function profileNameFor(origin: string): string {
  let host = origin;
  try {
    host = new URL(origin).host;
  } catch {
    // Already a host, or nothing usable: cleaned up below.
  }
  const name = host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return name || 'ehr';
}

export type DraftProblem = { field: BuilderField; problem: 'none' | 'several' };

export interface Draft {
  /** Null when a field's value cannot be read from what was picked (see `problems`). */
  profile: EhrProfile | null;
  problems: DraftProblem[];
  /** The values as the profile reads them from the picks, for the administrator to compare with the page. */
  values: Partial<Record<BuilderField, string>>;
}

export function draftProfile(name: string, picks: Picks, today: Date = new Date()): Draft {
  const problems: DraftProblem[] = [];
  const values: Draft['values'] = {};
  const fields: Record<string, { selector: string; regex?: string }> = {};
  for (const field of BUILDER_FIELDS) {
    const pick = picks[field];
    const rule = valueRule(field, pick.text, today);
    if (!rule.ok) {
      problems.push({ field, problem: rule.problem });
      continue;
    }
    values[field] = rule.value;
    fields[field] = { selector: pick.selector, ...(rule.regex ? { regex: rule.regex } : {}) };
  }
  if (problems.length > 0) return { profile: null, problems, values };
  const parsed = ehrProfileSchema.safeParse({ name, banner: { selector: picks.banner.selector }, fields });
  return { profile: parsed.success ? parsed.data : null, problems, values };
}

/**
 * The user's configuration with this profile saved under its name (replacing one of that name) and the site
 * pointing at it (added if the user's own document does not list the site yet).
 */
export function withProfile<T extends { ehrSites: { origin: string; profile: string }[]; profiles?: EhrProfile[] }>(config: T, origin: string, profile: EhrProfile): T {
  const profiles = [...(config.profiles ?? []).filter((p) => p.name !== profile.name), profile];
  const listed = config.ehrSites.some((site) => site.origin === origin);
  const ehrSites = listed
    ? config.ehrSites.map((site) => (site.origin === origin ? { ...site, profile: profile.name } : site))
    : [...config.ehrSites, { origin, profile: profile.name }];
  return { ...config, profiles, ehrSites };
}
