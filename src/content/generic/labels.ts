/**
 * The words NHS banners put before a value, and the value shapes that follow them. A label counts only at the
 * start of a text or after a separator, and only as a whole word, so "DOBSON" or "the NHS app" are not labels.
 */

export type LabelField = 'nhsNumber' | 'birthDate' | 'name' | 'family' | 'given' | 'other';

/** Each label's words; `other` labels only end the value before them ("Gender", "MRN"...). */
const LABEL_SOURCES: Array<[LabelField, string]> = [
  ['nhsNumber', String.raw`NHS[\s-]*(?:No\.?|Number|Num\.?|Nbr\.?|ID|#|N[o°º]\.?)?(?:\s*\((?:verified|traced|confirmed|PDS)[^()]{0,20}\))?`],
  ['birthDate', String.raw`(?:D\.?\s?O\.?\s?B\.?|Date\s+of\s+birth)(?:\s*\/\s*Age)?|Birth\s*date|Born`],
  ['family', String.raw`Surname|Family\s+name|Last\s+name`],
  ['given', String.raw`Forename\(s\)|Forenames?|Given\s+name\(s\)|Given\s+names?|First\s+name\(s\)|First\s+names?`],
  ['name', String.raw`Patient(?:'s|’s)?\s+name|(?:Full|Legal|Registered|Official)\s+name|Name|Patient|Re|Regarding`],
  ['other', String.raw`Gender|Sex|Age|Address|Post\s*code|Phone|Tel\.?|Mobile|MRN|Hospital\s+(?:No\.?|Number)|PAS\s+(?:No\.?|Number|ID)|CHI|Allerg(?:y|ies)|Alerts?|GP|Practice|Ward|Bed|Consultant|Preferred\s+name|Known\s+as|Title|Ethnicity|Religion|Language|Email|Status|Episode|Encounter|Patient\s+(?:ID|Number|No\.?)|Unit\s+(?:No\.?|Number)|Case\s+(?:No\.?|Number)|NHS\s+(?:Trust|App|login|Direct)`],
];

/** Longest alternatives first within one regex: "Patient name" before "Patient", "NHS Trust" before "NHS". */
const LABEL = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:` +
    [...LABEL_SOURCES]
      .sort(([a], [b]) => (a === 'other' ? -1 : b === 'other' ? 1 : 0))
      .map(([field, source]) => `(?<${field}>${source})`)
      .join('|') +
    String.raw`)(?![\p{L}])\s*(?<colon>[:：.-]?)`,
  'giu',
);

export interface LabelHit {
  field: LabelField;
  start: number;
  end: number;
  colon: boolean;
}

/** Separators that may stand between fields in one text ("NHS No 943 476 5919 | DOB 12-Mar-1985"). */
const SEPARATORS = /(?:[|•·;,/]|\s[–—-])\s*$/u;

/** The labels in a text, in order. A label mid-text must follow a separator or a value it ends. */
/** Words that make the label after them another person's: a parent, a baby, next of kin, a former record. */
export const SOMEONE_ELSE_WORD = /(?:^|[^\p{L}])(?:mother|mum|father|dad|parent|baby|infant|child|son|daughter|nok|next\s+of\s+kin|kin|carer|guardian|spouse|partner|wife|husband|contact|emergency|previous|prev\.?|old|former|maiden|alias|other|linked|merged|new|gp|consultant|referrer|referring|clinician|doctor|nurse|midwife|sibling|twin|relative)(?:'s|’s|s)?[\s:.-]*$/iu;

/** Cheap first test: a text with none of these letters holds no field label (most of a page's texts). */
const MAYBE_LABEL = /nhs|d\.?\s?o\.?\s?b|birth|born|name|patient|surname|fore|given|first|last|family|\bre\s*:|regarding/i;

export function findLabels(text: string): LabelHit[] {
  if (!MAYBE_LABEL.test(text)) return [];
  const hits: LabelHit[] = [];
  LABEL.lastIndex = 0;
  for (let m = LABEL.exec(text); m; m = LABEL.exec(text)) {
    const groups = m.groups ?? {};
    const field = (Object.keys(groups) as Array<LabelField | 'colon'>).find((key) => key !== 'colon' && groups[key] !== undefined) as LabelField | undefined;
    if (!field) continue;
    hits.push({ field, start: m.index, end: m.index + m[0].length, colon: groups.colon === ':' || groups.colon === '：' });
  }
  const kept: LabelHit[] = [];
  for (const hit of hits) {
    const before = text.slice(0, hit.start);
    const previous = kept[kept.length - 1];
    // "Mother's NHS No", "NOK name", "Previous NHS number", "Baby born": another person's field. It ends the value
    // before it and is never the patient's (an NHS number there still counts as another patient's number).
    const lead = before.slice(Math.max(before.search(/(?:[|•·;,:/]|\s[–—-]\s)[^|•·;,:/]*$/u) + 1, 0)).slice(-40);
    if (hit.field !== 'other' && SOMEONE_ELSE_WORD.test(lead)) {
      kept.push({ ...hit, field: 'other' });
      continue;
    }
    // "Consultant name", "GP surname": a name label with a word before it names someone else.
    const nameLabel = hit.field === 'name' || hit.field === 'family' || hit.field === 'given';
    const compound = hits.some((other) => other.end <= hit.start && text.slice(other.end, hit.start).trim() === '');
    if (nameLabel && (compound || (!previous && /[\p{L}'’]\s*$/u.test(before)))) continue;
    // Mid-text, a label is believed after a separator, right after a value, after another field's label, or with a colon.
    if (hit.start === 0 || SEPARATORS.test(before) || /[\p{N})]\s*$/u.test(before) || (previous && previous.field !== 'other') || hit.colon) kept.push(hit);
  }
  return kept;
}

const NHS_TOKEN = /^(\p{Nd}{3}[ -]?\p{Nd}{3}[ -]?\p{Nd}{4})(?!\p{Nd})/u;
const DATE_TOKEN = /^(\d{1,2}(?:st|nd|rd|th)?[- ][A-Za-z]{3,9}\.?,?[- ]\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2})(?:\s*(\(\s*(?:aged?\s*)?\d{1,3}\s*[a-z]{0,6}\.?(?:\s*,?\s*\d{1,2}\s*[a-z]{0,6}\.?)?\s*\)|(?:aged?\s*)?\d{1,3}\s*(?:y|yrs?|years?)\b\.?))?/iu;
/** Letters, marks, apostrophes, hyphens, commas, dots, spaces and a bracketed title: nothing else is a name. */
const NAME_TOKEN = /^([\p{L}\p{M}'’.\- ]+(?:,[\p{L}\p{M}'’.\- ]+)?(?:\s*\([\p{L} .]{1,20}\))?)(?=$|\s*[|•·;])/u;

/** The value a label's text leads to, picked out of what follows the label; null when it has none of that shape. */
export function valueToken(field: LabelField, text: string): string | null {
  const value = text.replace(/^[\s:：.\-–]+/u, '');
  if (!value) return null;
  if (field === 'nhsNumber') return NHS_TOKEN.exec(value)?.[1] ?? null;
  if (field === 'birthDate') {
    const m = DATE_TOKEN.exec(value);
    return m ? m[0].trim() : null;
  }
  if (field === 'other') return null;
  const m = NAME_TOKEN.exec(value.trim());
  return m ? m[1]!.trim() : null;
}

/** Ten digits in 3-3-4 groups with a separator: the form a banner prints an NHS number in even without a label. */
export const GROUPED_NHS = /(?<![\p{N}\-])(\d{3}[ -]\d{3}[ -]\d{4})(?![\p{N}\-])/gu;

/** A date with an age right after it ("07 Jun 1950 (76 y)"): a date of birth even with no label, if the age fits. */
export const DATE_WITH_AGE = /(?<![\p{N}])(\d{1,2}[- ][A-Za-z]{3,9}\.?[- ]\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{4}|\d{4}-\d{2}-\d{2})\s*(\(\s*(?:aged?\s*)?\d{1,3}\s*(?:y|yrs?|years?)\.?\s*\)|\(\s*\d{1,3}\s*\))/giu;
