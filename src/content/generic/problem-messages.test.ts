import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_MESSAGES } from '../../shared/problem-messages';

/** Every problem the readers report has a message for the bar, the popup and diagnostics (else the key shows). */
describe('problem messages', () => {
  it('exist for every problem code the detection code can report', () => {
    const messages = JSON.parse(readFileSync(join(import.meta.dirname, '../../../public/_locales/en/messages.json'), 'utf8')) as Record<string, unknown>;
    const sources = ['reader.ts', '../detect.ts', '../content-script.ts'].map((f) => readFileSync(join(import.meta.dirname, f), 'utf8')).join('\n');
    const codes = new Set([...sources.matchAll(/(?:none\(|problem: )'([a-z-]+)'/g)].map((m) => m[1]!));
    expect(codes.size).toBeGreaterThan(8);
    for (const code of codes) expect(messages[`problem_${code.replace(/-/g, '_')}`], code).toBeDefined();
    // The bar, the popup and diagnostics look each code up in this map rather than build the key.
    for (const code of codes) expect(PROBLEM_MESSAGES, code).toHaveProperty(code, `problem_${code.replace(/-/g, '_')}`);
  });
});
