/**
 * One result per page, as the content script reported it to the background, and its two printed forms: a
 * line for people and a JSON line for scripts.
 */

export interface PatientRead {
  nhsNumber: string;
  birthDate: string | null;
  family: string;
  given: string;
}

/** The tab's report as the background stored it (chrome.storage.session `tab:<id>`). */
export interface TabReport {
  context: { nhsNumber: string; birthDate?: string; name: { family: string; given: string } } | null;
  problem?: string;
  reason?: string;
}

export type Outcome = 'patient' | 'no-patient' | 'not-loaded' | 'not-read';

export interface PageResult {
  /** What was given on the command line. */
  input: string;
  /** The address the page was opened at (a local file's address on its folder's server). */
  url: string;
  outcome: Outcome;
  patient: PatientRead | null;
  reason: string | null;
}

/** English messages by key, as in _locales/en/messages.json. */
export type Messages = Record<string, { message?: string } | undefined>;

/** Why there is no patient: the reader's own words, else the bar's message for its problem code, else the code. */
export function reasonFor(report: Pick<TabReport, 'problem' | 'reason'>, messages: Messages): string {
  if (report.reason) return report.reason;
  const problem = report.problem ?? 'no-patient';
  return messages[`problem_${problem.replace(/-/g, '_')}`]?.message ?? problem;
}

export function resultFromReport(input: string, url: string, report: TabReport, messages: Messages): PageResult {
  const context = report.context;
  if (!context) return { input, url, outcome: 'no-patient', patient: null, reason: reasonFor(report, messages) };
  const patient = { nhsNumber: context.nhsNumber, birthDate: context.birthDate ?? null, family: context.name.family, given: context.name.given };
  return { input, url, outcome: 'patient', patient, reason: null };
}

/** `943 476 5919`, as NHS numbers are shown. */
export function spacedNhsNumber(nhsNumber: string): string {
  return /^\d{10}$/.test(nhsNumber) ? `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}` : nhsNumber;
}

const OUTCOME_WORDS: Record<Outcome, string> = {
  patient: 'patient',
  'no-patient': 'no patient',
  'not-loaded': 'not loaded',
  'not-read': 'not read',
};

/** `banner.html: patient: NHS number 943 476 5919, DOB 1985-03-12, family SMITH, given John` */
export function textLine(result: PageResult): string {
  const head = `${result.input}: ${OUTCOME_WORDS[result.outcome]}`;
  const patient = result.patient;
  if (patient) return `${head}: NHS number ${spacedNhsNumber(patient.nhsNumber)}, DOB ${patient.birthDate ?? 'none'}, family ${printable(patient.family)}, given ${printable(patient.given)}`;
  return result.reason ? `${head}: ${printable(result.reason)}` : head;
}

export function jsonLine(result: PageResult): string {
  return JSON.stringify({ url: result.url, input: result.input, outcome: result.outcome, patient: result.patient, reason: result.reason });
}

/** Text from a page neither breaks the one-line-per-page output nor sends control codes to the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}
