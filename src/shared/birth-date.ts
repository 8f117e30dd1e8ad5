/**
 * Dates of birth as UK EHRs print them, to a FHIR date (YYYY-MM-DD).
 * Numeric dates are day first (UK). Impossible dates and dates after today are rejected.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

function monthFromName(name: string): number | null {
  const lower = name.toLowerCase();
  const short = MONTHS.indexOf(lower);
  if (short >= 0) return short + 1;
  const long = MONTH_NAMES.indexOf(lower);
  if (long >= 0) return long + 1;
  if (lower === 'sept') return 9;
  return null;
}

const SPACE = '[ \\u00A0\\u2009\\u202F]';
const NAMED = new RegExp(`^(\\d{1,2})(?:-|${SPACE})([A-Za-z]{3,9})\\.?(?:-|${SPACE})(\\d{4})$`);
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function toFhirDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function validDate(year: number, month: number, day: number, today: Date): string | null {
  if (year < 1880 || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  const todayUtc = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  if (probe.getTime() > todayUtc) return null;
  return toFhirDate(year, month, day);
}

/** Returns a FHIR date, or null when the text is not exactly one plausible date of birth. */
export function parseBirthDate(text: string, today: Date = new Date()): string | null {
  const trimmed = text.trim();
  let m = NAMED.exec(trimmed);
  if (m) {
    const month = monthFromName(m[2]!);
    return month ? validDate(Number(m[3]), month, Number(m[1]), today) : null;
  }
  m = DAY_FIRST.exec(trimmed);
  if (m) return validDate(Number(m[3]), Number(m[2]), Number(m[1]), today);
  m = ISO.exec(trimmed);
  if (m) return validDate(Number(m[1]), Number(m[2]), Number(m[3]), today);
  return null;
}

/** 12-Mar-1985: unambiguous to a UK reader. */
export function formatBirthDate(fhirDate: string): string {
  const [y, m, d] = fhirDate.split('-');
  const month = MONTHS[Number(m) - 1] ?? '';
  return `${d}-${month.charAt(0).toUpperCase()}${month.slice(1)}-${y}`;
}

/**
 * An age printed after the date, as banners do: "(65y)", "(40 yrs)", "65 years", "(2y 3m)", "(10 days)",
 * "Age 65", "(aged 65)". Years, when given, must match the date within a year (a stale age is a page that did not refresh).
 */
const AGE = /^\(?\s*(?:aged?\s*:?\s*)?(\d{1,3})\s*(y|yrs?|years?|m|mo|mths?|months?|w|wks?|weeks?|d|days?)?\.?(?:\s*,?\s*\d{1,2}\s*(?:m|mo|mths?|months?|w|wks?|weeks?|d|days?)\.?)?\s*\)?$/i;

function ageInYears(fhirDate: string, today: Date): number {
  const [y, m, d] = fhirDate.split('-').map(Number) as [number, number, number];
  let age = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) age--;
  return age;
}

/** Where a page's language says it is: day-first slash dates are only safe to read on a UK (or unmarked) page. */
export function isUkLocale(lang: string | null | undefined): boolean {
  const value = (lang ?? '').trim().toLowerCase();
  return value === '' || value === 'en' || value === 'cy' || value.endsWith('-gb') || value === 'en-uk';
}

export type BirthDateReading = { date: string } | { date: null; why: 'ambiguous' | 'invalid' | 'age-mismatch' };

/**
 * A date of birth as a banner shows it, possibly with an age after it. `ukLocale` false: a slash date whose day
 * and month could be swapped (03/04/1985) is refused as ambiguous instead of being read day first.
 */
export function readBirthDate(text: string, today: Date = new Date(), ukLocale = true): BirthDateReading {
  // 16.11.1948 and 16-11-1948 are read as 16/11/1948; "12th March, 1985" as 12 March 1985.
  const clean = text
    .replace(/[\s\u00A0\u2009\u202F]+/g, ' ')
    .trim()
    .replace(/^(\d{1,2})[.-](\d{1,2})[.-](\d{4})/, '$1/$2/$3')
    .replace(/^(\d{1,2})(?:st|nd|rd|th)( [A-Za-z]{3,9})\.?,?( \d{4})/i, '$1$2$3');
  const token = /^(\d{1,2}[- ](?:[A-Za-z]{3,9})\.?[- ]\d{4}|\d{1,2}\/\d{1,2}\/\d{4}|\d{4}-\d{2}-\d{2})(?: ?(.*))?$/.exec(clean);
  if (!token) return { date: null, why: 'invalid' };
  const [, dateText, rest] = token;
  const slash = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(dateText!);
  let date: string | null;
  if (slash && !ukLocale) {
    // Outside the UK a slash date is read only when one order is impossible (23/07/1961 or 07/23/1961).
    const [first, second, year] = [Number(slash[1]), Number(slash[2]), slash[3]!];
    if (first !== second && first <= 12 && second <= 12) return { date: null, why: 'ambiguous' };
    date = parseBirthDate(first > 12 ? dateText! : `${second}/${first}/${year}`, today);
  } else date = parseBirthDate(dateText!, today);
  if (!date) return { date: null, why: 'invalid' };
  if (rest) {
    const age = AGE.exec(rest.trim());
    if (!age) return { date: null, why: 'invalid' };
    const unit = (age[2] ?? 'y').toLowerCase();
    // A year's slack: an EHR may work the age out on another day or in another time zone than this machine.
    if (unit.startsWith('y') && Math.abs(Number(age[1]) - ageInYears(date, today)) > 1) return { date: null, why: 'age-mismatch' };
  }
  return { date };
}
