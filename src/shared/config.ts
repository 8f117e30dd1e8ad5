import { z } from 'zod';
import { blackPearConfigSchema } from '../connectors/black-pear';
import { nhsLoginConfigSchema } from '../connectors/nhs-login';
import { parchmentConfigSchema } from '../connectors/parchment';
import { phpkbConfigSchema } from '../connectors/phpkb';
import { patientsKnowBestConfigSchema } from '../connectors/patients-know-best';
import { clinicianProfileSchema } from './clinician';
import { ehrProfileSchema } from './ehr-profile';
import { DEFAULT_IDENTITY, identitySchema } from './identity/idp-config';
import { originSchema, partnerUrlSchema } from './url-policy';
import { issueInWords, type SchemaIssue } from './config-error-words';

/**
 * The configuration document: one JSON object a trust writes by hand, imports in the options page or deploys
 * by policy. It is a public interface: keep it stable and versioned. Secrets are never part of it.
 */

export const ehrSiteSchema = z.strictObject({
  /** The EHR's origin, e.g. https://ehr.trust.nhs.uk: the content script runs there and nowhere else. */
  origin: originSchema,
  /** Which detection profile reads the patient banner ("generic" works on common banners). */
  profile: z.string().regex(/^[a-z0-9-]{1,40}$/).default('generic'),
});

/**
 * Checked on each partner (not the whole document), so the import, the policy reader (partner by partner)
 * and the options form all refuse it with the same field message.
 */
export const partnerConfigSchema = z
  .discriminatedUnion('kind', [parchmentConfigSchema, phpkbConfigSchema, blackPearConfigSchema, nhsLoginConfigSchema, patientsKnowBestConfigSchema])
  .superRefine((partner, ctx) => {
    // A partner that writes (a prescription, a note) must never be relaunched under a half-filled form.
    if (partner.staleTab === 'follow' && partner.readOnly !== true) {
      ctx.addIssue({ code: 'custom', path: ['staleTab'], message: 'follow relaunches the tab automatically, so it is only for a read-only partner: set "readOnly": true, or use mark' });
    }
  });
export type PartnerConfig = z.infer<typeof partnerConfigSchema>;

/** Partner kinds the launch broker can run: nothing of theirs is tied to one clinician's browser. */
export const BROKER_KINDS: readonly string[] = ['parchment', 'phpkb', 'black-pear'];

/** Whether this partner's launches go through the broker (its own `via`, or the broker requires it). */
export function goesViaBroker(config: Pick<Config, 'broker'>, partner: PartnerConfig): boolean {
  return !!config.broker && BROKER_KINDS.includes(partner.kind) && (partner.via === 'broker' || config.broker.require);
}

/** Copies of every audit event, POSTed as FHIR AuditEvent (application/fhir+json) to the organisation's endpoint. */
export const auditForwardingSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    endpoint: partnerUrlSchema.optional(),
  })
  .refine((value) => !value.enabled || value.endpoint !== undefined, { message: 'needs an endpoint when enabled', path: ['endpoint'] });

/**
 * The organisation's launch broker: a server that holds partner secrets and signing keys and builds launches
 * for verified clinicians. `require`: every partner the broker can run goes through it, whatever its own `via`.
 */
export const brokerSchema = z.strictObject({
  url: partnerUrlSchema,
  require: z.boolean().default(false),
});

/** Shared workstations: sign out after this many idle minutes (0: never) and when the screen locks. */
export const signOutSchema = z.strictObject({
  idleMinutes: z.number().int().min(0).max(1440).default(0),
  onScreenLock: z.boolean().default(false),
});

/** The most any partner may prefetch: `click` turns prefetching off, `hover` allows hover but not eager. */
export const prefetchPolicySchema = z.strictObject({
  maximum: z.enum(['click', 'hover', 'eager']).default('eager'),
});

/** Organisation-wide values the clinician's profile form starts with (the clinician's own values win). */
export const clinicianDefaultsSchema = clinicianProfileSchema.partial().omit({ username: true, displayName: true, email: true });

export const configSchema = z
  .strictObject({
    version: z.literal(1),
    ehrSites: z.array(ehrSiteSchema).max(50).default([]),
    /** Detection profiles the EHR sites refer to by name (docs/ehr-profiles.md); "generic" is built in. */
    profiles: z.array(ehrProfileSchema).max(50).default([]),
    partners: z.array(partnerConfigSchema).max(20).default([]),
    auditForwarding: auditForwardingSchema.default({ enabled: false }),
    signOut: signOutSchema.default({ idleMinutes: 0, onScreenLock: false }),
    prefetch: prefetchPolicySchema.default({ maximum: 'eager' }),
    clinicianDefaults: clinicianDefaultsSchema.default({}),
    /** The organisation's sign-in (CIS2 or a workforce OpenID provider) and how far launches rely on it. */
    identity: identitySchema.default(DEFAULT_IDENTITY),
    broker: brokerSchema.optional(),
  })
  .superRefine((config, ctx) => {
    const profileNames = new Set<string>(['generic']);
    config.profiles.forEach((profile, index) => {
      if (profileNames.has(profile.name)) {
        ctx.addIssue({ code: 'custom', path: ['profiles', index, 'name'], message: `"${profile.name}" is already a profile name` });
      }
      profileNames.add(profile.name);
    });
    config.ehrSites.forEach((site, index) => {
      if (!profileNames.has(site.profile)) {
        ctx.addIssue({ code: 'custom', path: ['ehrSites', index, 'profile'], message: `there is no profile called "${site.profile}" (use "generic" or one from profiles)` });
      }
    });
    const seen = new Set<string>();
    config.partners.forEach((partner, index) => {
      // The organisation sign-in's redirect URI ends in /org-idp; a partner's own sign-in ends in its id.
      if (partner.id === 'org-idp') ctx.addIssue({ code: 'custom', path: ['partners', index, 'id'], message: '"org-idp" is kept for the organisation sign-in: choose another id' });
      if (seen.has(partner.id)) {
        ctx.addIssue({ code: 'custom', path: ['partners', index, 'id'], message: `"${partner.id}" is used by two partners` });
      }
      if (partner.via === 'broker' && !BROKER_KINDS.includes(partner.kind)) {
        ctx.addIssue({ code: 'custom', path: ['partners', index, 'via'], message: `${partner.kind} signs the clinician in on this computer: it cannot go through the broker` });
      }
      if (partner.via === 'broker' && !config.broker) {
        ctx.addIssue({ code: 'custom', path: ['partners', index, 'via'], message: 'needs a broker section with the broker\'s url' });
      }
      seen.add(partner.id);
    });
  });
export type Config = z.infer<typeof configSchema>;

export const EMPTY_CONFIG: Config = {
  version: 1,
  ehrSites: [],
  profiles: [],
  partners: [],
  auditForwarding: { enabled: false },
  signOut: { idleMinutes: 0, onScreenLock: false },
  prefetch: { maximum: 'eager' },
  clinicianDefaults: {},
  identity: DEFAULT_IDENTITY,
};

/** Errors that name the field at fault in plain words, e.g. `partners[0].portalOrigin: missing: this setting is required`. */
export function describeConfigErrors(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    const path = issue.path
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
      .join('');
    return `${path || '(document)'}: ${issueInWords(issue as SchemaIssue)}`;
  });
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function parseConfig(input: unknown): ConfigResult {
  const result = configSchema.safeParse(input);
  return result.success ? { ok: true, config: result.data } : { ok: false, errors: describeConfigErrors(result.error) };
}
