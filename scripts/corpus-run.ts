import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { scoreCorpus, type CorpusCase, type CorpusOutcome, type CorpusScore } from '../tests/corpus/score';
import { readPage } from './detect/read-page';

/**
 * The detection corpus read through the real extension (content script, background, generic profile): every
 * page, scored against its expected patient. The browser must already trust `origin` as an EHR site.
 */

export const CORPUS_DIR = resolve('tests/corpus');

export function corpusCases(): CorpusCase[] {
  return JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8')) as CorpusCase[];
}

export async function runCorpus(context: BrowserContext, origin: string, cases: readonly CorpusCase[] = corpusCases()): Promise<CorpusScore> {
  const messages = JSON.parse(readFileSync(resolve('public/_locales/en/messages.json'), 'utf8')) as Record<string, { message?: string }>;
  const outcomes: CorpusOutcome[] = [];
  for (const c of cases) {
    // A patient page may show its banner late; a no-patient page is given time to show one it should not.
    const result = await readPage(context, messages, c.file, `${origin}/${c.file}`, c.expect ? 4_000 : 2_500);
    const read = result.outcome === 'not-loaded' || result.outcome === 'not-read' ? { error: result.reason ?? result.outcome } : { patient: result.patient, reason: result.reason ?? '' };
    outcomes.push({ case: c, read });
  }
  return scoreCorpus(outcomes);
}

export function corpusLine(score: CorpusScore): string {
  const percent = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);
  const goal = score.positivesRight / score.positives >= 0.95 && score.negativesRight === score.negatives && score.wrongPatients === 0;
  return `corpus (generic profile, real extension): patient pages read right ${score.positivesRight}/${score.positives} (${percent(score.positivesRight, score.positives)}), no-patient pages right ${score.negativesRight}/${score.negatives} (${percent(score.negativesRight, score.negatives)}), wrong patients ${score.wrongPatients} (goal >= 95 %, 100 %, 0: ${goal ? 'met' : 'missed'})`;
}
