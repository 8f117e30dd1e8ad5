import { parseBirthDate } from '../shared/birth-date';
import { parseNhsNumber } from '../shared/nhs-number';
import type { PatientContext } from '../shared/patient';
import { parsePersonName } from '../shared/person-name';

/**
 * The generic detector: finds a patient banner, then reads labelled fields in it ("NHS No", "DOB", "Name").
 * It reads text only and never changes the page. Two different patients, or a field that cannot be read
 * strictly, mean no patient: a wrong patient is worse than none.
 */

export type Detection = { context: PatientContext; problem?: undefined } | { context: null; problem: string };

const BANNER_SELECTOR = '[data-patient-banner], #patient-banner, .patient-banner, [aria-label="Patient banner" i]';
const LABEL_SELECTOR = 'th, dt, label, strong, b, span, div, td';
const MAX_LABEL_CHARS = 40;
const MAX_VALUE_CHARS = 200;
/** Bounds the work on a hostile or huge page. */
const MAX_LABELS = 2000;

const LABELS = {
  nhsNumber: /^(nhs\s*(no\.?|number|#))\s*:?$/i,
  birthDate: /^(dob|d\.o\.b\.?|born|date\s+of\s+birth)\s*:?$/i,
  name: /^(name|patient(\s+name)?)\s*:?$/i,
};
type Field = keyof typeof LABELS;

function ownText(element: Element): string {
  const text = element.textContent ?? '';
  return text.length > MAX_VALUE_CHARS * 4 ? '' : text.replace(/\s+/g, ' ').trim();
}

/** The value beside a label: the next cell of a table row or definition list, else the next sibling element. */
function valueFor(label: Element): string | null {
  const next = label.nextElementSibling;
  if (!next) return null;
  const text = ownText(next);
  return text && text.length <= MAX_VALUE_CHARS ? text : null;
}

function fieldOf(label: Element): Field | null {
  // A label is a small element whose whole text is the label: skip containers quickly.
  if (label.childElementCount > 1) return null;
  const text = (label.textContent ?? '').trim();
  if (!text || text.length > MAX_LABEL_CHARS) return null;
  for (const field of Object.keys(LABELS) as Field[]) {
    if (LABELS[field].test(text)) return field;
  }
  return null;
}

export function findBanners(root: ParentNode): Element[] {
  return [...root.querySelectorAll(BANNER_SELECTOR)].filter((el) => !el.parentElement?.closest(BANNER_SELECTOR));
}

function readFields(scope: Element): Map<Field, Set<string>> {
  const values = new Map<Field, Set<string>>();
  const labels = scope.querySelectorAll(LABEL_SELECTOR);
  const limit = Math.min(labels.length, MAX_LABELS);
  for (let i = 0; i < limit; i++) {
    const label = labels[i]!;
    const field = fieldOf(label);
    if (!field) continue;
    const value = valueFor(label);
    // A column header beside another header is not a value; a value with digits is judged strictly later.
    if (value === null || (field !== 'name' && !/\p{Nd}/u.test(value))) continue;
    let set = values.get(field);
    if (!set) values.set(field, (set = new Set()));
    set.add(value);
  }
  return values;
}

export function detectPatient(doc: Document, today: Date = new Date()): Detection {
  const banners = findBanners(doc);
  if (banners.length > 1) return { context: null, problem: 'two-patients' };
  const scope = banners[0] ?? doc.body;
  if (!scope) return { context: null, problem: 'no-patient' };
  const fields = readFields(scope);
  const nhsTexts = [...(fields.get('nhsNumber') ?? [])];
  if (nhsTexts.length === 0) return { context: null, problem: 'no-patient' };
  const nhsNumbers = new Set(nhsTexts.map(parseNhsNumber));
  if (nhsNumbers.has(null)) return { context: null, problem: 'invalid-nhs-number' };
  if (nhsNumbers.size > 1) return { context: null, problem: 'two-patients' };
  const names = [...(fields.get('name') ?? [])];
  if (names.length !== 1) return { context: null, problem: names.length ? 'fields-disagree' : 'no-name' };
  const name = parsePersonName(names[0]!);
  if (!name) return { context: null, problem: 'no-name' };
  const dobs = [...(fields.get('birthDate') ?? [])];
  if (dobs.length > 1) return { context: null, problem: 'fields-disagree' };
  const context: PatientContext = { nhsNumber: [...nhsNumbers][0]!, name };
  if (dobs.length === 1) {
    const birthDate = parseBirthDate(dobs[0]!, today);
    if (!birthDate) return { context: null, problem: 'invalid-birth-date' };
    context.birthDate = birthDate;
  }
  return { context };
}
