import { z } from 'zod';
import { blackPearConfigSchema } from '../connectors/black-pear';
import { nhsLoginConfigSchema } from '../connectors/nhs-login';
import { parchmentConfigSchema } from '../connectors/parchment';
import { phpkbConfigSchema } from '../connectors/phpkb';
import { pkbConfigSchema } from '../connectors/pkb';
import { originSchema } from './url-policy';

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

export const partnerConfigSchema = z.discriminatedUnion('kind', [parchmentConfigSchema, phpkbConfigSchema, blackPearConfigSchema, nhsLoginConfigSchema, pkbConfigSchema]);
export type PartnerConfig = z.infer<typeof partnerConfigSchema>;

export const configSchema = z
  .strictObject({
    version: z.literal(1),
    ehrSites: z.array(ehrSiteSchema).max(50).default([]),
    partners: z.array(partnerConfigSchema).max(20).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.partners.forEach((partner, index) => {
      if (seen.has(partner.id)) {
        ctx.addIssue({ code: 'custom', path: ['partners', index, 'id'], message: `"${partner.id}" is used by two partners` });
      }
      seen.add(partner.id);
    });
  });
export type Config = z.infer<typeof configSchema>;

export const EMPTY_CONFIG: Config = { version: 1, ehrSites: [], partners: [] };

/** Errors that name the field at fault, e.g. `partners[0].portalOrigin: must be an https:// address`. */
export function describeConfigErrors(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((issue) => {
    const path = issue.path
      .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
      .join('');
    return `${path || '(document)'}: ${issue.message}`;
  });
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function parseConfig(input: unknown): ConfigResult {
  const result = configSchema.safeParse(input);
  return result.success ? { ok: true, config: result.data } : { ok: false, errors: describeConfigErrors(result.error) };
}
