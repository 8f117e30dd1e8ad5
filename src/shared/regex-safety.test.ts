import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';
import { backtrackingProblem } from './regex-safety';

describe('regexes that could backtrack catastrophically', () => {
  it('refuses a repeated group that holds a quantifier of varying count or a choice', () => {
    const unsafe = [
      '^(a+)+$',
      '(a*)*',
      '(a|a)*',
      '(.*a){20}',
      '(?:\\d+\\s?)+',
      '((a+))+',
      '((a)+)*?',
      '((a+)?)+',
      '(?<word>\\w+ )*$',
      '(?:x|y){2,}',
      '([a-z]+)*',
      '(?:(?:a|b)c)+',
      '(\\s*,)*',
      '(a{2,}){3}',
      '(a?){30}a{30}',
      '(?:\\s?x)+',
      '((ab)?)+',
      '(a{1,3})+',
    ];
    for (const source of unsafe) expect(backtrackingProblem(source), source).toMatch(/could take too long/);
  });

  it('accepts the regexes profiles use: plain repeats, optional groups, repeated classes and escapes', () => {
    const safe = [
      '(?<![\\dA-Za-z])(\\d{3}[ -]?\\d{3}[ -]?\\d{4})(?![\\dA-Za-z])',
      'Born (\\d{2}-\\w{3}-\\d{4})',
      '^Born (.+)$',
      '^Patient:\\s*(.+)$',
      '^Patient name$',
      '(\\d{2}/\\d{2}/\\d{4})',
      '^(?:Mr|Mrs|Ms|Dr)?\\s*(.+)$',
      '(?:ab)+',
      '[ab]*',
      '(a+)?',
      '\\p{Lu}+(?: \\p{Lu}+)?',
      '\\u{1F600}+',
      '[(+*)]+',
      '\\(+\\)*',
      'a{2}b{1,3}',
      '(\\d{3} )+',
      '(?:(?:\\d{2}){2}-)+',
      '(?<=NHS )\\d+',
      '\\k<x>',
      '',
    ];
    for (const source of safe) expect(backtrackingProblem(source), source).toBeUndefined();
  });

  it('runs in linear time on long sources', () => {
    const long = `${'('.repeat(5000)}a${')'.repeat(5000)}${'[ab]*'.repeat(20000)}`;
    const started = performance.now();
    expect(backtrackingProblem(long)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('is a field error in a profile, for regex, label and cross-check regexes', () => {
    const result = parseConfig({
      version: 1,
      profiles: [
        {
          name: 'riverside',
          fields: { name: { label: '^(a+)+$', regex: '^Patient:\\s*(.+)$' }, nhsNumber: { regex: '(\\d|\\d)*' } },
          crossChecks: [{ field: 'birthDate', selector: '.born', regex: '(.*a){20}' }],
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(/^profiles\[0\]\.fields\.nhsNumber\.regex: could take too long/),
      expect.stringMatching(/^profiles\[0\]\.fields\.name\.label: could take too long/),
      expect.stringMatching(/^profiles\[0\]\.crossChecks\[0\]\.regex: could take too long/),
    ]);
  });

  it('says an invalid regex is invalid, once', () => {
    const result = parseConfig({ version: 1, profiles: [{ name: 'p', fields: { name: { regex: '((a+)+' } } }] });
    expect(result).toEqual({ ok: false, errors: ['profiles[0].fields.name.regex: must be a valid regular expression'] });
  });
});

describe('the regexes the docs show and the sandbox ships', () => {
  it('all pass the rule', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { DEMO_EHR_PROFILE, DEMO_EHR_ROWS } = await import('../../tests/sandbox/extension-config');
    const docs = resolve(import.meta.dirname, '../../docs');
    const found: string[] = [];
    const walk = (node: unknown, inFields: boolean): void => {
      if (Array.isArray(node)) return node.forEach((item) => walk(item, inFields));
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && (key === 'regex' || (key === 'label' && inFields))) found.push(value);
        walk(value, inFields || key === 'fields');
      }
    };
    for (const file of readdirSync(docs).filter((name) => name.endsWith('.md'))) {
      for (const [, block] of readFileSync(resolve(docs, file), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)) {
        try {
          walk(JSON.parse(block!), false);
        } catch {
          // Fragments that are not JSON on their own.
        }
      }
    }
    walk([DEMO_EHR_PROFILE, DEMO_EHR_ROWS], false);
    expect(found.length).toBeGreaterThan(3);
    for (const source of found) expect(backtrackingProblem(source), source).toBeUndefined();
  });
});
