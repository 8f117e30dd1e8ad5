import { parseBirthDate } from '../shared/birth-date';
import { parseNhsNumber } from '../shared/nhs-number';
import type { PatientContext } from '../shared/patient';
import { parsePersonName } from '../shared/person-name';
import { GENERIC_PROFILE, type EhrProfile, type FieldRule } from '../shared/ehr-profile';
import { readGeneric, type GenericOptions } from './generic/reader';
import { regionDrawsText, textShownIn } from './generic/visibility';
import { MAX_CHECK_TEXTS, MAX_FIELD_VALUES, MAX_FRAME_BANNERS, type DocumentReading, type FieldTexts, type FrameReadings } from '../shared/frame-reading';

/**
 * The detector: finds the patient banner (by the site's profile, or generically), then reads its fields, by the
 * profile's rules or by labels ("NHS No", "DOB", "Name"). It reads text only and never changes the page. Two
 * different patients, or a field that cannot be read strictly, mean no patient: a wrong patient is worse than
 * none.
 */

/** `reason`: why there is no patient, in words for the popup and diagnostics (never another patient's values). */
export type Detection = { context: PatientContext; problem?: undefined; reason?: undefined } | { context: null; problem: string; reason?: string };

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

/** A selector from configuration that does not parse matches nothing (the options page reports it). */
export function safeQueryAll(root: ParentNode, selector: string): Element[] {
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

/** The attributes a profile reads fields from (banner and rows): a change to one of them may be a new patient. */
export function attributesRead(profile: EhrProfile): string[] {
  const rules = [...Object.values(profile.fields ?? {}), ...Object.values(profile.rows?.fields ?? {})];
  return [...new Set(rules.flatMap((rule) => (rule?.attribute ? [rule.attribute] : [])))];
}

/** By name, not instanceof: elements of another document may come from another realm. */
function isFrameElement(element: Element): element is HTMLIFrameElement {
  return element.localName === 'iframe' || element.localName === 'frame';
}

/** The documents to read here: the page, and the same-origin frames the profile names (cross-origin ones have readers of their own). */
export function documentsToRead(doc: Document, profile: EhrProfile): Document[] {
  const docs = [doc];
  for (const selector of profile.frames ?? []) {
    for (const frame of safeQueryAll(doc, selector)) {
      if (!isFrameElement(frame)) continue;
      let inner: Document | null = null;
      try {
        // null (or a throw) for a cross-origin frame: it is not ours to read.
        inner = frame.contentDocument;
      } catch {
        inner = null;
      }
      if (inner && inner.location.origin === doc.location.origin) docs.push(inner);
    }
  }
  return docs;
}

/**
 * The cross-origin banner frames the page shows now: iframes matching the profile's `frames` whose address is
 * on one of its `frameOrigins`. A reading from any other frame is not counted.
 */
export function bannerFramesShown(doc: Document, profile: EhrProfile): Array<{ element: Element; origin: string }> {
  const shown: Array<{ element: Element; origin: string }> = [];
  const named = profile.frameOrigins ?? [];
  if (named.length === 0) return shown;
  for (const selector of profile.frames ?? []) {
    for (const element of safeQueryAll(doc, selector)) {
      if (!isFrameElement(element)) continue;
      let origin = '';
      try {
        origin = new URL(element.getAttribute('src') ?? '', doc.baseURI).origin;
      } catch {
        continue;
      }
      if (named.includes(origin)) shown.push({ element, origin });
    }
  }
  return shown;
}

/**
 * The banner frames' readings that count on this page now: those from an origin the page shows a matching
 * iframe for. `ambiguous` when they cannot be told apart from other frames of that origin (more readings with a
 * banner than such iframes) or some were left out: then the page shows no patient.
 */
export function countedReadings(doc: Document, profile: EhrProfile, given: FrameReadings): { readings: DocumentReading[]; ambiguous: boolean } {
  if (given.frames.length === 0 && !given.incomplete) return { readings: [], ambiguous: false };
  const shown = new Map<string, number>();
  for (const frame of bannerFramesShown(doc, profile)) shown.set(frame.origin, (shown.get(frame.origin) ?? 0) + 1);
  if (shown.size === 0) return { readings: [], ambiguous: false };
  const counted = given.frames.filter((frame) => shown.has(frame.origin));
  let ambiguous = given.incomplete === true;
  for (const [origin, iframes] of shown) {
    if (counted.filter((frame) => frame.origin === origin && frame.reading.banners.length > 0).length > iframes) ambiguous = true;
  }
  return { readings: counted.map((frame) => frame.reading), ambiguous };
}

/** The banner itself may carry a field (e.g. a data attribute), as well as its descendants. */
function selfAndBelow(scope: Element, selector: string): Element[] {
  let self = false;
  try {
    self = scope.matches(selector);
  } catch {
    return [];
  }
  return self ? [scope, ...safeQueryAll(scope, selector)] : safeQueryAll(scope, selector);
}

function bannersIn(root: ParentNode, profile: EhrProfile): Element[] {
  const rule = profile.banner;
  let found: Element[];
  if (rule?.selector || rule?.label) {
    found = rule.selector ? safeQueryAll(root, rule.selector) : [];
    if (rule.label) {
      const wanted = rule.label.trim().toLowerCase();
      for (const el of safeQueryAll(root, '[aria-label], h1, h2, h3, h4, h5, h6')) {
        const name = (el.getAttribute('aria-label') ?? (el.textContent ?? '').slice(0, 200)).replace(/\s+/g, ' ').trim().toLowerCase();
        if (name !== wanted) continue;
        // A heading names the section it starts; an aria-label names its own element.
        found.push(el.hasAttribute('aria-label') ? el : (el.parentElement ?? el));
      }
    }
  } else {
    found = safeQueryAll(root, BANNER_SELECTOR);
  }
  const unique = [...new Set(found)];
  return unique.filter((el) => !unique.some((other) => other !== el && other.contains(el)));
}

/** How the generic reader runs here: the content script turns on layout checks and closed shadow roots. */
const genericSetup: Omit<GenericOptions, 'today'> = inExtension();

/** In the content script: real layout, and closed shadow roots through chrome.dom (a saved DOM in tests has neither). */
function inExtension(): Omit<GenericOptions, 'today'> {
  const dom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?: (element: HTMLElement) => ShadowRoot | null | undefined } } }).chrome?.dom;
  const open = dom?.openOrClosedShadowRoot;
  if (!open) return { layout: false };
  return {
    layout: true,
    shadowRootOf: (element) => {
      try {
        return open(element as HTMLElement) ?? null;
      } catch {
        return element.shadowRoot;
      }
    },
  };
}
/** The banner the generic reader found last, per document: what the page watch follows. */
const genericBanners = new WeakMap<Document, Element>();

/** A profile that says nothing about where the patient is: the generic reader finds the banner itself. */
export function usesGenericReader(profile: EhrProfile): boolean {
  return !profile.banner && !profile.fields && !profile.frameOrigins?.length;
}

/** The patient banners on the page (and in the profile's frames). More than one means no patient. */
export function findBanners(doc: Document, profile: EhrProfile = GENERIC_PROFILE): Element[] {
  if (usesGenericReader(profile)) {
    const banner = genericBanners.get(doc);
    return banner?.isConnected ? [banner] : [];
  }
  return documentsToRead(doc, profile).flatMap((d) => bannersIn(d, profile));
}

function addValue(values: Map<Field, Set<string>>, field: Field, value: string): void {
  let set = values.get(field);
  if (!set) values.set(field, (set = new Set()));
  set.add(value);
}

function labelFieldOf(label: Element, rules: EhrProfile['fields']): Field | null {
  if (label.childElementCount > 1) return null;
  const text = (label.textContent ?? '').trim();
  if (!text || text.length > MAX_LABEL_CHARS) return null;
  for (const field of Object.keys(LABELS) as Field[]) {
    const custom = rules?.[field]?.label;
    if (custom ? safeRegExp(custom)?.test(text) : LABELS[field].test(text)) return field;
  }
  return null;
}

function safeRegExp(source: string): RegExp | null {
  try {
    return new RegExp(source, 'iu');
  } catch {
    return null;
  }
}

/** Picks the value out of a text with the rule's regex (first group, or the whole match); no match, no value. */
function extract(text: string, rule: FieldRule | undefined): string | null {
  if (!rule?.regex) return text;
  const match = safeRegExp(rule.regex)?.exec(text);
  if (!match) return null;
  return (match[1] ?? match[0]).trim() || null;
}

export function readFields(scope: Element, rules: EhrProfile['fields']): Map<Field, Set<string>> {
  const values = new Map<Field, Set<string>>();
  // Fields with a selector are read from exactly those elements.
  for (const field of Object.keys(LABELS) as Field[]) {
    const rule = rules?.[field];
    if (!rule?.selector) continue;
    for (const el of selfAndBelow(scope, rule.selector).slice(0, MAX_LABELS)) {
      const raw = rule.attribute ? (el.getAttribute(rule.attribute) ?? '') : ownText(el);
      const value = raw.length <= MAX_VALUE_CHARS ? extract(raw.replace(/\s+/g, ' ').trim(), rule) : null;
      if (value) addValue(values, field, value);
    }
  }
  const labels = scope.querySelectorAll(LABEL_SELECTOR);
  const limit = Math.min(labels.length, MAX_LABELS);
  for (let i = 0; i < limit; i++) {
    const label = labels[i]!;
    const field = labelFieldOf(label, rules);
    if (!field || rules?.[field]?.selector) continue;
    const text = valueFor(label);
    const value = text === null ? null : extract(text, rules?.[field]);
    // A column header beside another header is not a value; a value with digits is judged strictly later.
    if (value === null || (field !== 'name' && !/\p{Nd}/u.test(value))) continue;
    addValue(values, field, value);
  }
  return values;
}

/**
 * The patient on the page, or why there is none. `remote` are the readings of the profile's cross-origin banner
 * frames (made by a reader inside each): their banners and cross-check texts count exactly like the page's own.
 */
export function detectPatient(doc: Document, today: Date = new Date(), profile: EhrProfile = GENERIC_PROFILE, remote: readonly DocumentReading[] = [], quick = false): Detection {
  if (usesGenericReader(profile)) {
    // A scan while a known banner changed re-reads that banner alone (cheap on a busy page); a full read of the
    // page follows at every click, and whenever the banner is gone or no longer shows one patient.
    const known = quick ? genericBanners.get(doc) : undefined;
    if (known?.isConnected) {
      const again = readGeneric(known, { ...genericSetup, today });
      if (again.context) return { context: again.context };
    }
    const result = readGeneric(doc, { ...genericSetup, today });
    if (result.banner) genericBanners.set(doc, result.banner);
    else genericBanners.delete(doc);
    if (!result.context) return { context: null, problem: result.problem, reason: result.reason };
    const checks = crossCheckTexts(doc, profile);
    return checksAgree(checks, result.context, today) ? { context: result.context } : { context: null, problem: 'fields-disagree', reason: 'A field elsewhere on the page (a profile cross-check) does not match the banner.' };
  }
  const banners = findBanners(doc, profile);
  // A frame that had more to report than a reading holds cannot be judged.
  if (remote.some((reading) => reading.incomplete)) return { context: null, problem: 'fields-disagree' };
  const remoteBanners = remote.flatMap((reading) => reading.banners);
  if (banners.length + remoteBanners.length > 1) return { context: null, problem: 'two-patients' };
  let fields: Map<Field, Set<string>>;
  if (banners[0]) fields = readFields(banners[0], profile.fields);
  else if (remoteBanners[0]) fields = fromTexts(remoteBanners[0]);
  // The generic profile may read a page with no marked banner; a profile that names its banner may not.
  else if (!profile.banner) fields = readFields(doc.body, profile.fields);
  else return { context: null, problem: 'no-patient' };
  const detection = judgeFields(fields, today);
  if (!detection.context) return detection;
  // Read what the clinician sees: a banner whose NHS number is hidden, or whose style sheet draws text, is refused.
  const banner = banners[0];
  if (banner && genericSetup.layout && (!textShownIn(banner, detection.context.nhsNumber, { layout: true }) || regionDrawsText(banner))) {
    return { context: null, problem: 'hidden-text', reason: 'The patient banner\'s text is hidden from view or drawn by the page\'s style sheet, so it was not read.' };
  }
  const checks = [...crossCheckTexts(doc, profile), ...remote.flatMap((reading) => reading.checks)];
  return checksAgree(checks, detection.context, today) ? detection : { context: null, problem: 'fields-disagree' };
}

/** One patient from one banner's field texts, strictly: anything unreadable or ambiguous is no patient. */
export function judgeFields(fields: Map<Field, Set<string>>, today: Date): Detection {
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

function fromTexts(texts: FieldTexts): Map<Field, Set<string>> {
  const values = new Map<Field, Set<string>>();
  for (const field of Object.keys(LABELS) as Field[]) for (const value of texts[field] ?? []) addValue(values, field, value);
  return values;
}

/**
 * A frame document's reading, unjudged: each banner's field texts and the cross-check texts. This is what a
 * reader inside a cross-origin banner frame sends to the top frame, which judges it with its own page.
 */
export function readDocument(doc: Document, profile: EhrProfile): DocumentReading {
  const banners = bannersIn(doc, profile)
    .slice(0, MAX_FRAME_BANNERS)
    .map((banner) => {
      const texts: FieldTexts = {};
      for (const [field, values] of readFields(banner, profile.fields)) texts[field] = [...values].slice(0, MAX_FIELD_VALUES);
      return texts;
    });
  // Each distinct text once; if there are still more than a reading holds, say so rather than drop any.
  const seen = new Set<string>();
  const checks = crossCheckTexts(doc, profile, false).filter(({ field, text }) => !seen.has(`${field}\u0000${text}`) && seen.add(`${field}\u0000${text}`));
  return checks.length > MAX_CHECK_TEXTS ? { banners, checks: [], incomplete: true } : { banners, checks };
}

/** The texts the profile's cross-checks find on the page (and, with `frames`, in its same-origin frames). */
function crossCheckTexts(doc: Document, profile: EhrProfile, frames = true): Array<{ field: Field; text: string }> {
  const found: Array<{ field: Field; text: string }> = [];
  const docs = frames ? documentsToRead(doc, profile) : [doc];
  for (const check of profile.crossChecks ?? []) {
    for (const el of docs.flatMap((d) => safeQueryAll(d, check.selector)).slice(0, MAX_LABELS)) {
      const raw = check.attribute ? (el.getAttribute(check.attribute) ?? '') : ownText(el);
      const text = raw.length <= MAX_VALUE_CHARS ? extract(raw.replace(/\s+/g, ' ').trim(), check) : null;
      if (text) found.push({ field: check.field, text });
    }
  }
  return found;
}

/** Every value the cross-checks found elsewhere on the page must be the banner's. */
function checksAgree(checks: ReadonlyArray<{ field: Field; text: string }>, context: PatientContext, today: Date): boolean {
  for (const { field, text } of checks) {
    if (field === 'nhsNumber' && parseNhsNumber(text) !== context.nhsNumber) return false;
    if (field === 'birthDate' && parseBirthDate(text, today) !== (context.birthDate ?? null)) return false;
    if (field === 'name') {
      const name = parsePersonName(text);
      if (!name || name.family !== context.name.family || name.given !== context.name.given) return false;
    }
  }
  return true;
}
