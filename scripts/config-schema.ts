import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { configSchema } from '../src/shared/config';

/**
 * The configuration document's JSON Schema, generated from the zod schema that validates imports, so the
 * published schema cannot drift from what the extension accepts. `npm run schema` writes
 * docs/config.schema.json; a unit test fails when the committed file is out of date.
 */

export const SCHEMA_FILE = resolve(import.meta.dirname, '../docs/config.schema.json');

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  const document = {
    $schema: schema.$schema,
    title: 'EHR Launchpad configuration',
    description:
      'One JSON document a trust writes by hand, imports in the options page or deploys by policy. Secrets are never part of it. Generated from src/shared/config.ts by npm run schema: do not edit by hand.',
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema')),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await writeFile(SCHEMA_FILE, configJsonSchema());
  console.log(`Wrote ${SCHEMA_FILE}`);
}
