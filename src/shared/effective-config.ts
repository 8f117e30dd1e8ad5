import type { z } from 'zod';
import {
  auditForwardingSchema,
  brokerSchema,
  clinicianDefaultsSchema,
  configSchema,
  describeConfigErrors,
  ehrSiteSchema,
  partnerConfigSchema,
  prefetchPolicySchema,
  signOutSchema,
  type Config,
  type PartnerConfig,
} from './config';
import { ehrProfileSchema, type EhrProfile } from './ehr-profile';
import { identitySchema } from './identity/idp-config';

/**
 * Enterprise policy over the configuration. The effective configuration is the defaults, then the user's
 * (imported) configuration, then the organisation's policy: policy wins. A section named in `lockedSettings`
 * ignores the user's values altogether, and the options page shows it read-only.
 *
 * A malformed policy never stops the extension: it is read field by field (one partner, one site, one
 * setting at a time); what does not pass is left out and reported, never quoting a value.
 */

export const LOCKABLE_SETTINGS = ['ehrSites', 'profiles', 'partners', 'auditForwarding', 'signOut', 'prefetch', 'clinicianDefaults', 'identity', 'broker'] as const;
export type LockableSetting = (typeof LOCKABLE_SETTINGS)[number];

type ObjectSection = 'auditForwarding' | 'signOut' | 'prefetch' | 'clinicianDefaults' | 'identity' | 'broker';
const OBJECT_SECTIONS: Record<ObjectSection, z.ZodObject> = {
  auditForwarding: auditForwardingSchema,
  signOut: signOutSchema,
  prefetch: prefetchPolicySchema,
  clinicianDefaults: clinicianDefaultsSchema,
  identity: identitySchema,
  broker: brokerSchema,
};

export interface PolicyLayer {
  ehrSites?: Config['ehrSites'];
  profiles?: Config['profiles'];
  partners?: Config['partners'];
  auditForwarding?: Partial<Config['auditForwarding']>;
  signOut?: Partial<Config['signOut']>;
  prefetch?: Partial<Config['prefetch']>;
  clinicianDefaults?: Partial<Config['clinicianDefaults']>;
  identity?: Partial<Config['identity']>;
  broker?: Partial<NonNullable<Config['broker']>>;
  lockedSettings: LockableSetting[];
}

export interface PolicyReading {
  /** Whether the organisation sets any policy at all for the extension. */
  present: boolean;
  policy: PolicyLayer;
  problems: string[];
}

/** Every policy name; `secrets` is read by the vault. */
const KNOWN_KEYS = new Set(['ehrSites', 'profiles', 'partners', 'auditForwarding', 'signOut', 'prefetch', 'clinicianDefaults', 'identity', 'broker', 'lockedSettings', 'secrets']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function prefixed(prefix: string, error: z.ZodError): string {
  const first = describeConfigErrors(error)[0] ?? '(value): not valid';
  return first.startsWith('(document)') ? `${prefix}${first.slice('(document)'.length)}` : `${prefix}${first.startsWith('[') ? '' : '.'}${first}`;
}

function readList<T>(name: 'ehrSites' | 'profiles' | 'partners', raw: unknown, schema: z.ZodType<T>, keyOf: (item: T) => string, problems: string[]): T[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    problems.push(`policy ${name}: not a list: ignored`);
    return undefined;
  }
  const out: T[] = [];
  const seen = new Set<string>();
  raw.forEach((item, index) => {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      problems.push(`${prefixed(`policy ${name}[${index}]`, parsed.error)} (entry ignored)`);
      return;
    }
    const key = keyOf(parsed.data);
    if (seen.has(key)) {
      problems.push(`policy ${name}[${index}]: "${key}" is listed twice (entry ignored)`);
      return;
    }
    seen.add(key);
    out.push(parsed.data);
  });
  return out;
}

function readSection(name: ObjectSection, raw: unknown, problems: string[]): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    problems.push(`policy ${name}: not an object: ignored`);
    return undefined;
  }
  const shape = OBJECT_SECTIONS[name].shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(raw)) {
    const schema = Object.hasOwn(shape, field) ? shape[field] : undefined;
    if (!schema) {
      problems.push(`policy ${name}.${field.slice(0, 64)}: not a known setting: ignored`);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      problems.push(`${prefixed(`policy ${name}.${field}`, parsed.error)} (ignored)`);
      continue;
    }
    if (parsed.data !== undefined) out[field] = parsed.data;
  }
  return out;
}

/** Reads what chrome.storage.managed holds, field by field. */
export function readPolicy(raw: unknown): PolicyReading {
  const problems: string[] = [];
  const policy: PolicyLayer = { lockedSettings: [] };
  if (raw === undefined || raw === null) return { present: false, policy, problems };
  if (!isRecord(raw)) return { present: true, policy, problems: ['policy: not an object: ignored'] };
  const present = Object.keys(raw).length > 0;

  const ehrSites = readList('ehrSites', raw.ehrSites, ehrSiteSchema, (site) => site.origin, problems);
  if (ehrSites) policy.ehrSites = ehrSites;
  const profiles = readList('profiles', raw.profiles, ehrProfileSchema as unknown as z.ZodType<EhrProfile>, (profile) => profile.name, problems);
  if (profiles) policy.profiles = profiles;
  const partners = readList('partners', raw.partners, partnerConfigSchema, (partner: PartnerConfig) => partner.id, problems);
  if (partners) policy.partners = partners;
  for (const name of Object.keys(OBJECT_SECTIONS) as ObjectSection[]) {
    const section = readSection(name, raw[name], problems);
    if (section) (policy as unknown as Record<string, unknown>)[name] = section;
  }
  if (raw.lockedSettings !== undefined) {
    if (!Array.isArray(raw.lockedSettings)) problems.push('policy lockedSettings: not a list: ignored');
    else {
      for (const name of raw.lockedSettings) {
        if (typeof name === 'string' && (LOCKABLE_SETTINGS as readonly string[]).includes(name)) {
          if (!policy.lockedSettings.includes(name as LockableSetting)) policy.lockedSettings.push(name as LockableSetting);
        } else {
          problems.push(`policy lockedSettings: "${String(name).slice(0, 40)}" is not a setting that can be locked (${LOCKABLE_SETTINGS.join(', ')}): ignored`);
        }
      }
    }
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      problems.push(`policy ${key.slice(0, 64)}: not a known policy: ignored`);
    }
  }
  return { present, policy, problems };
}

export interface EffectiveConfig {
  config: Config;
  /** Sections the user cannot change (locked by policy). */
  locked: LockableSetting[];
  /** What the policy sets: partner ids, EHR site origins and `section.field` names. */
  fromPolicy: { partners: string[]; ehrSites: string[]; profiles: string[]; fields: string[] };
  problems: string[];
}

const PREFETCH_ORDER = ['click', 'hover', 'eager'] as const;

function mergeList<T>(policy: T[] | undefined, user: T[], locked: boolean, keyOf: (item: T) => string): T[] {
  const base = locked ? [] : user;
  if (!policy) return base;
  const taken = new Set(policy.map(keyOf));
  return [...policy, ...base.filter((item) => !taken.has(keyOf(item)))];
}

/** Defaults, then the user's configuration, then policy (policy wins; a locked section ignores the user's values). */
export function effectiveConfig(defaults: Config, user: Config, policy: PolicyLayer): EffectiveConfig {
  const locked = [...policy.lockedSettings];
  const isLocked = (name: LockableSetting) => locked.includes(name);
  const problems: string[] = [];
  const section = <K extends ObjectSection>(name: K): Config[K] =>
    ({ ...defaults[name], ...(isLocked(name) ? {} : user[name]), ...(policy[name] ?? {}) }) as Config[K];

  let partners = mergeList(policy.partners, user.partners, isLocked('partners'), (p) => p.id);
  const prefetch = section('prefetch');
  const cap = PREFETCH_ORDER.indexOf(prefetch.maximum);
  partners = partners.map((p) => (PREFETCH_ORDER.indexOf(p.prefetch) > cap ? { ...p, prefetch: prefetch.maximum } : p));
  if (partners.length > 20) {
    problems.push('partners: more than 20 with policy and local ones together: the last ones are ignored');
    partners = partners.slice(0, 20);
  }
  let ehrSites = mergeList(policy.ehrSites, user.ehrSites, isLocked('ehrSites'), (s) => s.origin);
  if (ehrSites.length > 50) {
    problems.push('ehrSites: more than 50 with policy and local ones together: the last ones are ignored');
    ehrSites = ehrSites.slice(0, 50);
  }
  let profiles = mergeList(policy.profiles, user.profiles, isLocked('profiles'), (p) => p.name);
  if (profiles.length > 50) {
    problems.push('profiles: more than 50 with policy and local ones together: the last ones are ignored');
    profiles = profiles.slice(0, 50);
  }
  const auditForwarding = section('auditForwarding');
  if (auditForwarding.enabled && !auditForwarding.endpoint) {
    problems.push('auditForwarding: enabled without an endpoint: forwarding is off');
    auditForwarding.enabled = false;
  }
  const identity = section('identity');
  if (identity.required && !identity.provider) {
    problems.push('identity: required without a provider: clinicians cannot sign in, so launches that need identity are refused');
  }
  // A partner id that names no configured partner does nothing: say so rather than let a typo pass silently.
  const partnerIds = new Set(partners.map((p) => p.id));
  for (const [where, ids] of [
    ['identity.provider.partnerUserIds', Object.keys(identity.provider?.partnerUserIds ?? {})],
    ['identity.verifiedFields', Object.keys(identity.verifiedFields)],
  ] as const) {
    for (const id of ids) if (!partnerIds.has(id)) problems.push(`${where}: there is no partner "${id.slice(0, 64)}"`);
  }
  // The broker section has no defaults: it applies only once something (the user or policy) names its url.
  const brokerParts = { ...(isLocked('broker') ? {} : user.broker), ...(policy.broker ?? {}) };
  const broker = brokerParts.url ? { require: false, ...brokerParts, url: brokerParts.url } : undefined;
  if (!broker && brokerParts.require) problems.push('broker: require without a url: there is no launch broker, so every partner launches from this computer');
  const merged: Config = {
    // Sections policy does not know of stay as the user has them.
    ...defaults,
    ...user,
    version: 1,
    ehrSites,
    profiles,
    partners,
    auditForwarding,
    signOut: section('signOut'),
    prefetch,
    clinicianDefaults: section('clinicianDefaults'),
    identity,
  };
  if (broker) merged.broker = broker;
  else delete merged.broker;
  const checked = configSchema.safeParse(merged);
  const fromPolicy = {
    profiles: (policy.profiles ?? []).map((p) => p.name),
    partners: (policy.partners ?? []).map((p) => p.id),
    ehrSites: (policy.ehrSites ?? []).map((s) => s.origin),
    fields: (Object.keys(OBJECT_SECTIONS) as ObjectSection[]).flatMap((name) => Object.keys(policy[name] ?? {}).map((field) => `${name}.${field}`)),
  };
  if (!checked.success) {
    // Cannot happen with parsed parts, but a policy must never leave the extension without a configuration.
    problems.push(...describeConfigErrors(checked.error).map((e) => `${e} (policy not applied)`));
    return { config: user, locked, fromPolicy, problems };
  }
  return { config: checked.data, locked, fromPolicy, problems };
}
