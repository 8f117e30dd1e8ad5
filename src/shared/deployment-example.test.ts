import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from './config';
import { effectiveConfig, readPolicy } from './effective-config';
import { readPolicySecrets } from '../background/vault/policy-secrets';

/** The example in docs/deployment.md is a policy the extension accepts whole, and the guide shows it verbatim. */
describe('docs/examples/policy.json', () => {
  it('reads without a single problem and applies', async () => {
    const policy = JSON.parse(await readFile(resolve(import.meta.dirname, '../../docs/examples/policy.json'), 'utf8')) as Record<string, unknown>;
    const reading = readPolicy(policy);
    expect(reading.problems).toEqual([]);
    expect(readPolicySecrets(policy.secrets).problems).toEqual([]);
    const result = effectiveConfig(EMPTY_CONFIG, EMPTY_CONFIG, reading.policy);
    expect(result.problems).toEqual([]);
    expect(result.config.partners.map((p) => p.id)).toEqual(['parchment', 'knowledge-base', 'pkb']);
    expect(result.config.signOut).toEqual({ idleMinutes: 15, onScreenLock: true });
  });

  it('is quoted in full in docs/deployment.md', async () => {
    const example = await readFile(resolve(import.meta.dirname, '../../docs/examples/policy.json'), 'utf8');
    const guide = await readFile(resolve(import.meta.dirname, '../../docs/deployment.md'), 'utf8');
    expect(guide).toContain(example.trim());
  });
});
