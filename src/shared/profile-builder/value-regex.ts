import { parseBirthDate } from '../birth-date';
import { parseNhsNumber } from '../nhs-number';
import { parsePersonName } from '../person-name';

/**
 * When the element the administrator clicked holds a label as well as the value ("NHS No. 943 476 5919",
 * "Born 04-Jul-1961 (65y)", "Client: OKAFOR, Adaeze"), the profile needs a regular expression that picks the
 * value out, for this patient and the next. Numbers and dates are found by their shape (any patient's value
 * has the same shape); a name has no shape, so it is what follows the label.
 */

export type BuilderField = 'nhsNumber' | 'birthDate' | 'name';

export type ValueRule =
  /** The value, as the detector would read it; `regex` only when the text holds more than the value. */
  | { ok: true; value: string; regex?: string }
  /** `none`: no value of this kind in the text; `several`: more than one and nothing to tell them apart. */
  | { ok: false; problem: 'none' | 'several' };

const NHS_SHAPE = '\\d{3}[ -]?\\d{3}[ -]?\\d{4}';
const DATE_SHAPES = ['\\d{1,2}-[A-Za-z]{3,9}-\\d{4}', '\\d{1,2} [A-Za-z]{3,9}\\.? \\d{4}', '\\d{1,2}/\\d{1,2}/\\d{4}', '\\d{4}-\\d{2}-\\d{2}'];
const MAX_LABEL_WORDS = 3;
const NAME_LABELS = new Set(['name', 'patient', 'client', 'person', 'resident', 'pt', 'service', 'user', 'full']);

/** The text as the detector reads it: runs of white space as one space, trimmed. */
export function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A literal for a regular expression, with its spaces loosened so a line break or double space still matches. */
function literal(text: string): string {
  return text
    .replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    .replace(/ /g, '\\s*');
}

/** What the detector does with a rule's regex: first group or whole match, trimmed, with flags i and u. */
export function applyRegex(regex: string, text: string): string | null {
  let match: RegExpExecArray | null;
  try {
    match = new RegExp(regex, 'iu').exec(text);
  } catch {
    return null;
  }
  if (!match) return null;
  return (match[1] ?? match[0]).trim() || null;
}

interface Found {
  value: string;
  index: number;
  shape: string;
}

function findShaped(text: string, shapes: readonly string[], accept: (value: string) => boolean): Found[] {
  const found: Found[] = [];
  for (const shape of shapes) {
    const re = new RegExp(`(?<![\\dA-Za-z])${shape}(?![\\dA-Za-z])`, 'g');
    for (const match of text.matchAll(re)) if (accept(match[0])) found.push({ value: match[0], index: match.index ?? 0, shape });
  }
  return found;
}

/** Up to three words of label right before the value ("NHS No.", "Date of birth:"), if they hold no digit. */
function labelBefore(text: string, index: number): string | null {
  const words = text.slice(0, index).trimEnd().split(' ').filter(Boolean);
  const label = words.slice(-MAX_LABEL_WORDS).join(' ');
  return label && !/\d/.test(label) ? label : null;
}

/** A shape regex, with the label before it when the text holds more than one value of that shape. */
function shapedRule(text: string, found: Found[], check: (value: string) => string | null): ValueRule {
  const distinct = [...new Set(found.map((f) => check(f.value)))];
  if (found.length === 0) return { ok: false, problem: 'none' };
  const first = found.sort((a, b) => a.index - b.index)[0]!;
  const plain = `(?<![\\dA-Za-z])(${first.shape})(?![\\dA-Za-z])`;
  if (found.length === 1 || (distinct.length === 1 && applyRegex(plain, text) !== null)) return { ok: true, value: first.value, regex: plain };
  // Several: only the one right after its label, if the label tells it from the others.
  const label = labelBefore(text, first.index);
  if (!label) return { ok: false, problem: 'several' };
  const labelled = `${literal(label)}\\s*(${first.shape})(?![\\dA-Za-z])`;
  return applyRegex(labelled, text) === first.value ? { ok: true, value: first.value, regex: labelled } : { ok: false, problem: 'several' };
}

/**
 * Where a name starts after its label: after a colon ("Client: OKAFOR, Adaeze"), or after leading words that
 * are not in capitals when the family name is ("Client OKAFOR, Adaeze (Mrs)").
 */
function nameStart(text: string): number {
  const colon = text.indexOf(':');
  if (colon >= 0 && colon < 40 && parsePersonName(text.slice(colon + 1))) return colon + 1;
  const words = text.split(' ');
  const comma = text.indexOf(',');
  if (comma < 0) {
    // "Patient John SMITH": only a word that is plainly a label, since "Mary Ann SMITH" has no label at all.
    const leading = words.findIndex((word) => !NAME_LABELS.has(word.replace(/[.:]$/, '').toLowerCase()));
    return leading > 0 && leading <= MAX_LABEL_WORDS ? words.slice(0, leading).join(' ').length + 1 : 0;
  }
  const familyWords = text.slice(0, comma).split(' ');
  const firstCapital = familyWords.findIndex((word) => /\p{Lu}{2,}/u.test(word) && word === word.toUpperCase());
  if (firstCapital <= 0 || firstCapital > MAX_LABEL_WORDS) return 0;
  return words.slice(0, firstCapital).join(' ').length + 1;
}

/** The value rule for one picked field, from the text of the element clicked for it. */
export function valueRule(field: BuilderField, rawText: string, today: Date = new Date()): ValueRule {
  const text = normaliseText(rawText);
  if (!text) return { ok: false, problem: 'none' };
  if (field === 'nhsNumber') {
    if (parseNhsNumber(text)) return { ok: true, value: text };
    return shapedRule(text, findShaped(text, [NHS_SHAPE], (v) => parseNhsNumber(v) !== null), parseNhsNumber);
  }
  if (field === 'birthDate') {
    if (parseBirthDate(text, today)) return { ok: true, value: text };
    return shapedRule(text, findShaped(text, DATE_SHAPES, (v) => parseBirthDate(v, today) !== null), (v) => parseBirthDate(v, today));
  }
  const start = nameStart(text);
  if (start === 0) return parsePersonName(text) ? { ok: true, value: text } : { ok: false, problem: 'none' };
  const label = text.slice(0, start).trim();
  const regex = `^${literal(label)}\\s*(.+)$`;
  const value = applyRegex(regex, text);
  return value && parsePersonName(value) ? { ok: true, value, regex } : { ok: false, problem: 'none' };
}
