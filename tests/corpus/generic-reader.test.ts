// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { readGeneric } from '../../src/content/generic/reader';
import { scoreCorpus, type CorpusCase, type CorpusOutcome } from './score';

/**
 * The generic reader on every page of the corpus it can judge from a saved DOM (pages that need real layout,
 * frame loading or timers run in the browser suite). The goal is the issue's: at least 95 % of patient pages
 * read correctly, every no-patient page read as no patient, and never a wrong patient.
 */

const dir = join(import.meta.dirname, 'pages');
const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'cases.json'), 'utf8')) as CorpusCase[];
const today = new Date(2026, 10, 27);

async function readPage(file: string): Promise<CorpusOutcome['read']> {
  const window = new Window({ url: `http://127.0.0.1/${file}`, settings: { disableJavaScriptEvaluation: true, disableIframePageLoading: true, disableCSSFileLoading: true } });
  try {
    window.document.write(readFileSync(join(dir, file), 'utf8'));
    const result = readGeneric(window.document as unknown as Document, { today, layout: false });
    if (!result.context) return { patient: null, reason: result.reason };
    const { nhsNumber, birthDate, name } = result.context;
    return { patient: { nhsNumber, birthDate: birthDate ?? null, family: name.family, given: name.given }, reason: '' };
  } finally {
    await window.happyDOM.close();
  }
}

describe('generic reader on the corpus (saved DOM)', () => {
  const judged = cases.filter((c) => !(c.needs ?? []).includes('browser'));

  it('reads at least 95 % of patient pages, no patient on every no-patient page, and never a wrong patient', async () => {
    const outcomes: CorpusOutcome[] = [];
    for (const c of judged) outcomes.push({ case: c, read: await readPage(c.file) });
    const score = scoreCorpus(outcomes);
    const misses = score.rows.filter((row) => row.verdict !== 'right').map((row) => `${row.file}: ${row.verdict} (${row.detail})`);
    expect(score.wrongPatients, misses.join('\n')).toBe(0);
    expect(score.negativesRight, misses.join('\n')).toBe(score.negatives);
    expect(score.positivesRight / score.positives, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  }, 60_000);
});
