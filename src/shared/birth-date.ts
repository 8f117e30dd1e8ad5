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
