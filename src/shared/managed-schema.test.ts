import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import managedSchema from '../../public/managed_schema.json' with { type: 'json' };
import { configSchema, partnerConfigSchema } from './config';
import { LOCKABLE_SETTINGS } from './effective-config';

/**
 * Chrome drops policy values that do not fit public/managed_schema.json before the extension sees them, and
 * drops unknown properties. So every configuration field must be declared there, with the right type, or a
 * trust could not set it by policy. This keeps the hand-written schema in step with the zod schemas.
 */

type ChromeSchema = { type: string; description?: string; properties?: Record<string, ChromeSchema>; items?: ChromeSchema; additionalProperties?: ChromeSchema };
const policies = (managedSchema as unknown as ChromeSchema).properties!;

function chromeTypeOf(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { type?: string | string[]; anyOf?: { type?: string }[] };
  const types = [json.type, ...(json.anyOf ?? []).map((a) => a.type)].flat().filter((t): t is string => typeof t === 'string' && t !== 'null');
  return types[0] ?? 'unknown';
}

function checkObject(path: string, shape: Record<string, z.ZodType>, declared: ChromeSchema | undefined): string[] {
  const problems: string[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const entry = declared?.properties?.[key];
    if (!entry) {
      problems.push(`${path}.${key} is not declared`);
      continue;
    }
    if (entry.type !== chromeTypeOf(field)) problems.push(`${path}.${key} is declared ${entry.type}, but the configuration takes ${chromeTypeOf(field)}`);
  }
  return problems;
}

describe('public/managed_schema.json', () => {
  it('is in Chrome\'s format: a top-level object of properties, each with exactly one type', () => {
    expect(managedSchema.type).toBe('object');
    expect('additionalProperties' in managedSchema).toBe(false);
    const walk = (schema: ChromeSchema, path: string) => {
      expect(['object', 'array', 'string', 'integer', 'number', 'boolean'], path).toContain(schema.type);
      for (const [k, v] of Object.entries(schema.properties ?? {})) walk(v, `${path}.${k}`);
      if (schema.items) walk(schema.items, `${path}[]`);
      if (schema.additionalProperties) walk(schema.additionalProperties, `${path}{}`);
    };
    walk(managedSchema as unknown as ChromeSchema, '');
  });

  it('declares every partner field of every partner kind with its type', () => {
    const problems = partnerConfigSchema.options.flatMap((option) => checkObject(`partners[${String(option.shape.kind.value)}]`, option.shape as Record<string, z.ZodType>, policies.partners?.items));
    expect(problems).toEqual([]);
  });

  it('declares every configuration section a policy can set, and the locked settings list', () => {
    const shape = configSchema.shape as Record<string, z.ZodType>;
    for (const section of ['auditForwarding', 'signOut', 'prefetch', 'clinicianDefaults', 'identity', 'broker'] as const) {
      const inner = (shape[section] as unknown as z.ZodDefault<z.ZodObject>).unwrap().shape as Record<string, z.ZodType>;
      expect(checkObject(section, inner, policies[section])).toEqual([]);
    }
    // The identity provider is an object inside its section: each of its fields is declared too.
    const provider = ((shape.identity as unknown as z.ZodDefault<z.ZodObject>).unwrap().shape.provider as unknown as z.ZodOptional<z.ZodObject>).unwrap().shape as Record<string, z.ZodType>;
    expect(checkObject('identity.provider', provider, policies.identity?.properties?.provider)).toEqual([]);
    expect(checkObject('ehrSites[]', (shape.ehrSites as unknown as z.ZodDefault<z.ZodArray<z.ZodObject>>).unwrap().element.shape as Record<string, z.ZodType>, policies.ehrSites?.items)).toEqual([]);
    const profileShape = (shape.profiles as unknown as z.ZodDefault<z.ZodArray<z.ZodObject>>).unwrap().element.shape as Record<string, z.ZodType>;
    expect(checkObject('profiles[]', profileShape, policies.profiles?.items)).toEqual([]);
    expect(policies.lockedSettings).toMatchObject({ type: 'array', items: { type: 'string' } });
    for (const name of LOCKABLE_SETTINGS) expect(policies.lockedSettings!.description ?? '').toContain(name);
    expect(policies.secrets).toBeDefined();
  });
});
