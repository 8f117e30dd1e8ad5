/** The corpus's score, shared by the saved-DOM suite, the browser suite and the detection benchmark. */

export interface ExpectedPatient {
  nhsNumber: string;
  birthDate: string | null;
  family: string;
  given: string;
}

export interface CorpusCase {
  file: string;
  expect: ExpectedPatient | null;
  tags?: string[];
  needs?: string[];
  note?: string;
}

export interface CorpusOutcome {
  case: CorpusCase;
  read: { patient: ExpectedPatient | null; reason: string } | { error: string };
}

export type Verdict = 'right' | 'missed' | 'wrong-patient' | 'not-loaded';

export interface CorpusScore {
  positives: number;
  positivesRight: number;
  negatives: number;
  negativesRight: number;
  wrongPatients: number;
  rows: Array<{ file: string; verdict: Verdict; detail: string }>;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function judgeCase(expected: ExpectedPatient | null, read: CorpusOutcome['read']): { verdict: Verdict; detail: string } {
  if ('error' in read) return { verdict: 'not-loaded', detail: read.error };
  const got = read.patient;
  if (!expected) return got ? { verdict: 'wrong-patient', detail: `read ${got.nhsNumber} on a no-patient page` } : { verdict: 'right', detail: read.reason };
  if (!got) return { verdict: 'missed', detail: read.reason };
  const right = got.nhsNumber === expected.nhsNumber && (got.birthDate ?? null) === expected.birthDate && same(got.family, expected.family) && same(got.given, expected.given);
  return right ? { verdict: 'right', detail: '' } : { verdict: 'wrong-patient', detail: `read ${JSON.stringify(got)}` };
}

export function scoreCorpus(outcomes: readonly CorpusOutcome[]): CorpusScore {
  const score: CorpusScore = { positives: 0, positivesRight: 0, negatives: 0, negativesRight: 0, wrongPatients: 0, rows: [] };
  for (const { case: c, read } of outcomes) {
    const { verdict, detail } = judgeCase(c.expect, read);
    if (c.expect) {
      score.positives++;
      if (verdict === 'right') score.positivesRight++;
    } else {
      score.negatives++;
      if (verdict === 'right') score.negativesRight++;
    }
    if (verdict === 'wrong-patient') score.wrongPatients++;
    score.rows.push({ file: c.file, verdict, detail });
  }
  return score;
}
