import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NAMES } from '../../tests/sandbox/types';
import { sandboxExtensionConfig } from '../../tests/sandbox/extension-config';
import { readPolicySecrets } from '../background/vault/policy-secrets';
import { EMPTY_CONFIG, ehrSiteSchema, parseConfig } from './config';
import { effectiveConfig, readPolicy } from './effective-config';
import { hostPatternsFor } from './host-access';

/**
 * Whatever an administrator imports or a policy holds, the configuration parser and the policy reader answer a
 * result (the configuration, or field errors), and never throw: a throw is an import with no message, or a
 * policy that stops the extension. Hundreds of mutations of the documented examples, from a fixed seed so a
 * failure is reproducible (the case number and seed are in the assertion message).
 */

const SEED = 0x17_19;
const CASES = 600;
const docs = resolve(import.meta.dirname, '../../docs');

/** A small deterministic generator (mulberry32). */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number) => Math.floor(next() * below);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
type Random = ReturnType<typeof random>;

/** Every JSON block of the docs that is a configuration or a policy (some hold "..." placeholders: still JSON). */
function documentedExamples(): unknown[] {
  const examples: unknown[] = [JSON.parse(readFileSync(resolve(docs, 'examples/policy.json'), 'utf8'))];
  for (const file of readdirSync(docs).filter((name) => name.endsWith('.md'))) {
    for (const [, block] of readFileSync(resolve(docs, file), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)) {
      try {
        examples.push(JSON.parse(block!));
      } catch {
        // Fragments that are not JSON on their own.
      }
    }
  }
  const urls = Object.fromEntries(SERVER_NAMES.map((name, i) => [name, `https://${name}.example.org:${8443 + i}`])) as Parameters<typeof sandboxExtensionConfig>[0];
  examples.push(sandboxExtensionConfig(urls));
  return examples;
}

const ODD_STRINGS = [
  '',
  ' ',
  '<all_urls>',
  'https://*.nhs.uk',
  '*://*/*',
  'ehr.example-trust.nhs.uk',
  'portal.parchment',
  'javascript:alert(1)',
  'https://',
  'https://user:pw@ehr.example.org',
  'https://ehr.example.org/../..',
  'http://[::1',
  '(a+)+$',
  '((((',
  '[',
  '\\',
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u2066evil',
  'e\u0301\u0301\u0301',
  '\u200b\u200d\ufeff',
  '😀'.repeat(50),
  'Ω≈ç√∫',
  '__proto__',
  'constructor',
  'toString',
  '9990000018',
  '1e309',
  'NaN',
  'a'.repeat(70_000),
  'https://ehr.example.org/'.padEnd(200_000, 'x'),
];
const ODD_NUMBERS = [0, -0, -1, 0.5, 1e308, -1e308, 2 ** 53 + 1, 1441, 25_001, 3.14159];

function oddValue(rng: Random, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 5 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.pick(ODD_STRINGS);
    case 2:
      return rng.pick(ODD_NUMBERS);
    case 3:
      return rng.next() < 0.5;
    case 4:
      return rng.pick(ODD_STRINGS).slice(0, rng.int(40));
    case 5:
      return Array.from({ length: rng.int(4) }, () => oddValue(rng, depth + 1));
    case 6:
      return { [rng.pick(ODD_STRINGS).slice(0, 30)]: oddValue(rng, depth + 1) };
    case 7:
      // Deep nesting: arrays inside arrays.
      return JSON.parse(`${'['.repeat(400)}1${']'.repeat(400)}`) as unknown;
    default:
      // An own "__proto__" key, as JSON.parse makes it (an object literal would set the prototype instead).
      return JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}') as unknown;
  }
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

/** Every place in the document that holds a value: [container, key]. */
function places(root: Container): [Container, string | number][] {
  const out: [Container, string | number][] = [];
  const walk = (node: Container) => {
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    for (const key of keys) {
      out.push([node, key]);
      const child = (node as Record<string | number, unknown>)[key];
      if (isContainer(child)) walk(child);
    }
  };
  walk(root);
  return out;
}

/** One change: a value swapped for an odd one, removed, duplicated many times, or a key added. */
function mutate(root: Container, rng: Random): void {
  const all = places(root);
  if (all.length === 0) return;
  const [node, key] = rng.pick(all);
  const target = node as Record<string | number, unknown>;
  const value = target[key];
  switch (rng.int(7)) {
    case 0:
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete target[key];
      return;
    case 1:
      // An array where an object was, or an object where an array was.
      target[key] = Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : isContainer(value) ? Object.values(value) : [value];
      return;
    case 2:
      if (Array.isArray(value)) target[key] = Array.from({ length: 40 + rng.int(80) }, (_, i) => structuredClone(value[i % Math.max(value.length, 1)] ?? null));
      else if (isContainer(value)) for (let i = 0; i < 50; i += 1) (value as Record<string, unknown>)[`k${i}`] = rng.pick(ODD_STRINGS).slice(0, 20);
      else target[key] = oddValue(rng);
      return;
    case 3:
      if (!Array.isArray(node)) target[rng.pick(ODD_STRINGS).slice(0, 30)] = oddValue(rng);
      return;
    case 4:
      target[key] = typeof value === 'string' ? value + rng.pick(ODD_STRINGS).slice(0, 1 + rng.int(8)) : oddValue(rng);
      return;
    default:
      target[key] = oddValue(rng);
  }
}

function mutants(): { label: string; value: unknown }[] {
  const examples = documentedExamples();
  const rng = random(SEED);
  const out: { label: string; value: unknown }[] = [];
  for (let n = 0; n < CASES; n += 1) {
    const base = structuredClone(rng.pick(examples)) as Container;
    // Half as a configuration document (which needs its version), half as a policy as it stands.
    const root: Container = rng.next() < 0.5 && !Array.isArray(base) ? { version: 1, ...base } : base;
    const wrapper: Record<string, unknown> = { root };
    const changes = 1 + rng.int(4);
    for (let i = 0; i < changes; i += 1) mutate(wrapper, rng);
    out.push({ label: `case ${n} of seed ${SEED}`, value: wrapper.root });
  }
  // A few whole documents that are not objects at all.
  for (const value of [null, undefined, 0, 'config', [], [{}], true, oddValue(random(1), 3)]) out.push({ label: `document ${JSON.stringify(value)?.slice(0, 20)}`, value });
  return out;
}

const isFieldError = (error: unknown) => typeof error === 'string' && /^\S.*: \S/.test(error);

describe('any configuration value gets a result, never an exception', () => {
  const cases = mutants();

  it('covers hundreds of mutated documents, many of them refused', () => {
    expect(cases.length).toBeGreaterThan(CASES);
    const refused = cases.filter((c) => !parseConfig(c.value).ok).length;
    expect(refused).toBeGreaterThan(CASES / 2);
  });

  it('the configuration parser answers the configuration or field errors', () => {
    for (const { label, value } of cases) {
      let result: ReturnType<typeof parseConfig> | undefined;
      expect(() => (result = parseConfig(value)), label).not.toThrow();
      if (result!.ok) {
        expect(() => hostPatternsFor(result!.ok ? result!.config : EMPTY_CONFIG), label).not.toThrow();
      } else {
        expect(result!.errors.length, label).toBeGreaterThan(0);
        for (const error of result!.errors) expect(isFieldError(error), `${label}: ${error.slice(0, 200)}`).toBe(true);
      }
    }
  });

  it('the policy reader keeps what passes and reports the rest, and the merge still applies', () => {
    for (const { label, value } of cases) {
      expect(() => {
        const reading = readPolicy(value);
        for (const problem of reading.problems) expect(typeof problem, label).toBe('string');
        const merged = effectiveConfig(EMPTY_CONFIG, EMPTY_CONFIG, reading.policy);
        hostPatternsFor(merged.config);
        readPolicySecrets(isContainer(value) && !Array.isArray(value) ? value.secrets : value);
      }, label).not.toThrow();
    }
  });

  it('the "Add EHR site" check answers for any origin text', () => {
    for (const origin of ODD_STRINGS) expect(() => ehrSiteSchema.safeParse({ origin, profile: 'generic' }), origin.slice(0, 40)).not.toThrow();
  });
});
