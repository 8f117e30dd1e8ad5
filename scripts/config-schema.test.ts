import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, SCHEMA_FILE } from './config-schema';

describe('docs/config.schema.json', () => {
  it('is the schema generated from the zod configuration schema (run npm run schema after changing it)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(configJsonSchema());
  });

  it('describes the document: version 1, EHR sites and every partner kind', () => {
    const schema = JSON.parse(configJsonSchema()) as { type: string; properties: Record<string, { items?: { oneOf?: unknown[]; anyOf?: unknown[] } }>; required: string[] };
    expect(schema.type).toBe('object');
    expect(schema.required).toContain('version');
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['version', 'ehrSites', 'partners', 'auditForwarding', 'signOut', 'prefetch', 'clinicianDefaults']));
    const kinds = schema.properties.partners!.items!.oneOf ?? schema.properties.partners!.items!.anyOf ?? [];
    expect(kinds).toHaveLength(5);
  });
});
