import { hostPatternsFor } from '../../src/shared/host-access';
import type { Build } from './targets';

/**
 * The configuration the detect command imports into one browser: the EHR sites and profiles of the given
 * document (if any) that this build accepts, plus every page origin it does not list, read with `profile`.
 * Partners, audit forwarding and the rest are left out: detection needs none of them, and their hosts would
 * need access prompts that a headless browser cannot answer.
 */

interface Site {
  origin: string;
  profile: string;
}

export interface DetectConfig {
  config: { version: 1; ehrSites: Site[]; profiles: unknown[] };
  /** Host access the configuration needs (EHR sites and their banner frames), granted at install. */
  hostPatterns: string[];
  /** Notes for stderr: what was left out, and why. */
  notes: string[];
}

export class ConfigError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether this build accepts the site's origin: https always, http://127.0.0.1 only in the sandbox build. */
function acceptedBy(build: Build, origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' || (build === 'sandbox' && url.protocol === 'http:' && url.hostname === '127.0.0.1');
  } catch {
    return false;
  }
}

export function detectConfig(base: unknown, pageOrigins: readonly string[], build: Build, profile = 'generic'): DetectConfig {
  if (base !== undefined && !isObject(base)) throw new ConfigError('the configuration must be a JSON object');
  const document = base ?? {};
  const rawSites = document.ehrSites ?? [];
  const profiles = document.profiles ?? [];
  if (!Array.isArray(rawSites)) throw new ConfigError('ehrSites must be a list');
  if (!Array.isArray(profiles)) throw new ConfigError('profiles must be a list');
  const notes: string[] = [];
  const left = ['partners', 'auditForwarding'].filter((key) => key in document);
  if (left.length > 0) notes.push(`left out of the configuration: ${left.join(', ')} (not needed to read pages)`);

  const sites: Site[] = [];
  for (const [index, raw] of rawSites.entries()) {
    if (!isObject(raw) || typeof raw.origin !== 'string') throw new ConfigError(`ehrSites[${index}] needs an origin`);
    if (raw.profile !== undefined && typeof raw.profile !== 'string') throw new ConfigError(`ehrSites[${index}].profile must be a profile name`);
    if (!acceptedBy(build, raw.origin)) {
      notes.push(`${raw.origin} left out: the ${build} build does not run on it`);
      continue;
    }
    sites.push({ origin: raw.origin, profile: raw.profile ?? 'generic' });
  }
  const listed = new Set(sites.map((site) => originOf(site.origin)));
  for (const origin of pageOrigins) {
    if (listed.has(origin)) continue;
    listed.add(origin);
    sites.push({ origin, profile });
  }
  const config = { version: 1 as const, ehrSites: sites, profiles };
  // The same rule the options page asks access by, so the imported configuration has all it needs.
  const hostPatterns = hostPatternsFor({ ehrSites: sites, partners: [], profiles: profiles as never });
  return { config, hostPatterns, notes };
}

function originOf(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}

/** A manifest that also holds these host patterns (nothing else changes, its `key` and so the id included). */
export function withHostPermissions(manifest: Record<string, unknown>, patterns: readonly string[]): Record<string, unknown> {
  const existing = Array.isArray(manifest.host_permissions) ? (manifest.host_permissions as string[]) : [];
  return { ...manifest, host_permissions: [...new Set([...existing, ...patterns])] };
}
