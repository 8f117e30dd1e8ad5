/**
 * NHS numbers: ten ASCII digits whose tenth is the Modulus 11 check digit.
 * Parsing is strict on purpose: a string that is not plainly an NHS number is never "normalised" into one,
 * because a wrong patient is worse than no patient.
 */

// Ordinary space, no-break space, thin space, narrow no-break space.
const SEPARATOR = '[ \\u00A0\\u2009\\u202F]';
const GROUPED = new RegExp(`^(\\d{3})(?:${SEPARATOR}|-)?(\\d{3})(?:${SEPARATOR}|-)?(\\d{4})$`);

export function isValidNhsNumber(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Returns the ten digits, or null when the text is not exactly one valid NHS number. */
export function parseNhsNumber(text: string): string | null {
  const trimmed = text.trim();
  // \d in JS without the u flag is ASCII-only, so other digit scripts never match.
  const match = GROUPED.exec(trimmed);
  if (!match) return null;
  const [, a, b, c] = match;
  // Mixed separators ("943 476-5919") are not a form any EHR prints.
  const separators = trimmed.replace(/[0-9]/g, '');
  if (separators.length === 2 && separators[0] !== separators[1]) return null;
  if (separators.length === 1) return null;
  const digits = `${a}${b}${c}`;
  return isValidNhsNumber(digits) ? digits : null;
}

/** 943 476 5919: the form clinicians read aloud and compare. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
