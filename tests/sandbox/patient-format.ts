import type { DemoPatient, Gender } from './fixtures';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '9990000018' -> '999 000 0018', the way NHS numbers are shown in UK clinical systems. */
export function formatNhsNumber(nhsNumber: string): string {
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}

/** '1985-03-12' -> '12-Mar-1985'. */
export function formatDate(isoDate: string): string {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return `${day}-${MONTHS[Number(month) - 1] ?? '???'}-${year}`;
}

/** 'SMITH, John (Mr)': the common UK banner convention. */
export function bannerName(patient: Pick<DemoPatient, 'family' | 'given' | 'prefix'>): string {
  return `${patient.family}, ${patient.given} (${patient.prefix})`;
}

export function genderLabel(gender: Gender): string {
  return { male: 'Male', female: 'Female', other: 'Other', unknown: 'Unknown' }[gender];
}

/** Age in whole years on a given date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, onDate: string): number {
  const [by = 0, bm = 0, bd = 0] = birthDate.split('-').map(Number);
  const [y = 0, m = 0, d = 0] = onDate.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** '1985-03-12' -> '12 March 1985'. */
export function formatLongDate(isoDate: string): string {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return `${Number(day)} ${LONG_MONTHS[Number(month) - 1] ?? '???'} ${year}`;
}

/** '1985-03-12' -> '12/03/1985' (UK numeric, day first). */
export function formatDayFirstDate(isoDate: string): string {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** 'Mr John SMITH': the other common banner convention. */
export function displayName(patient: Pick<DemoPatient, 'family' | 'given' | 'prefix'>): string {
  return `${patient.prefix} ${patient.given} ${patient.family}`;
}
