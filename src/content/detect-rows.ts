import type { EhrProfile } from '../shared/ehr-profile';
import type { PatientContext } from '../shared/patient';
import { judgeFields, readFields, safeQueryAll } from './detect';

/**
 * Patient rows on a list page, for profiles that ask for per-row launch (`rows`). Each row is judged on its own
 * as strictly as a banner: a row whose fields are missing, invalid or ambiguous gets no buttons.
 */

/** Bounds the work on a huge or hostile list. */
export const MAX_ROWS = 500;

export interface PatientRow {
  row: Element;
  context: PatientContext;
}

export function readRow(row: Element, profile: EhrProfile, today: Date): PatientContext | null {
  if (!profile.rows) return null;
  return judgeFields(readFields(row, profile.rows.fields), today).context;
}

export function readRows(doc: Document, profile: EhrProfile, today: Date = new Date()): PatientRow[] {
  if (!profile.rows) return [];
  const rows: PatientRow[] = [];
  for (const row of safeQueryAll(doc, profile.rows.selector).slice(0, MAX_ROWS)) {
    const context = readRow(row, profile, today);
    if (context) rows.push({ row, context });
  }
  return rows;
}

/** Whether `row` is still one of the page's patient rows (connected, and still matching the profile's selector). */
export function isPatientRow(row: Element, profile: EhrProfile): boolean {
  if (!profile.rows || !row.isConnected) return false;
  try {
    return row.matches(profile.rows.selector);
  } catch {
    return false;
  }
}
