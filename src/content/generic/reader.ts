import { isUkLocale, readBirthDate } from '../../shared/birth-date';
import { formatNhsNumber, parseNhsNumber } from '../../shared/nhs-number';
import type { PatientContext } from '../../shared/patient';
import { parsePersonName, type PersonName } from '../../shared/person-name';
import { findCandidates, type Candidate } from './candidates';
import { leadingName } from './leading-name';
import { isVisible, regionDrawsText } from './visibility';
import { setWatchedRoots } from './watched-roots';
import { collectRuns, composedParent, type WalkOptions } from './walk';

/**
 * The generic reader: the patient on a page no profile describes. It finds every labelled NHS number, then the
 * smallest region around one that also shows a date of birth and a name: that region is the banner. Strict as
 * a profile: two patients, fields that disagree, anything hidden or ambiguous mean no patient, with the reason
 * in words (never another patient's details).
 */

export type GenericResult =
  | { context: PatientContext; banner: Element; problem?: undefined; reason?: undefined }
  | { context: null; banner: null; problem: string; reason: string };

export interface GenericOptions extends WalkOptions {
  today: Date;
  /** A real rendering engine is behind the document: sizes and positions count in the visibility checks. */
  layout: boolean;
}

/** How far above a field its banner may start: a banner is a compact region, not the whole page. */
const MAX_REGION_LEVELS = 10;
/** Containers named as lists of patients (not any 'list' class: a banner's fields are often a styled list). */
const LIST_HINT = /recent|search|result|match(?:es)?\b|worklist|work-list|history|queue|other[-_ ]?patients|patient[-_ ]?list|ward[-_ ]?list|clinic[-_ ]?list|related|roster|census|caseload|previous|waiting/i;
const BANNER_HINT = /banner|header|demographic|patient/i;
const SIDE = new Set(['aside', 'nav', 'footer']);
const SIDE_ROLES = new Set(['complementary', 'navigation', 'contentinfo']);
const ITEM_TAGS = new Set(['li', 'tr', 'article', 'option']);
const ITEM_ROLES = new Set(['row', 'listitem', 'option', 'gridcell', 'treeitem', 'article']);
const MAX_COMPACT_RUNS = 40;

function none(problem: string, reason: string): GenericResult {
  return { context: null, banner: null, problem, reason };
}

/**
 * `root` is the page, or (for a quick re-read while the page watch follows a known banner) that banner alone:
 * then nothing outside it is read, and the click's full read of the page is what checks the rest.
 */
export function readGeneric(root: Document | Element, options: GenericOptions): GenericResult {
  const doc = root.nodeType === 9 ? (root as Document) : (root as Element).ownerDocument;
  const scope = root.nodeType === 9 ? null : (root as Element);
  const visible = (element: Element) => isVisible(element, { layout: options.layout });
  const roots: Node[] = [];
  const outcome = { truncated: false };
  const runs = collectRuns(root, { ...options, roots, outcome });
  if (!scope) setWatchedRoots(doc, roots);
  // What was not read may hold a second patient: a page too large to read whole gives no patient.
  if (outcome.truncated) return none('page-too-large', 'This page is too large to read completely, so no patient was read from it.');
  const found = findCandidates(runs);
  const monthFirstPage = runs.some((run) => run.text.includes('/') && [...run.text.matchAll(/(?<!\d)(\d{1,2})\/(\d{1,2})\/\d{4}(?!\d)/g)].some((m) => Number(m[1]) <= 12 && Number(m[2]) > 12));
  const ancestorCache = new Map<Element, Element[]>();
  const ancestors = (element: Element): Element[] => {
    let list = ancestorCache.get(element);
    if (!list) {
      list = [];
      for (let el: Element | null = element; el && list.length < 60; el = composedParent(el)) list.push(el);
      ancestorCache.set(element, list);
    }
    return list;
  };
  const within = (region: Element, element: Element) => ancestors(element).includes(region);

  let hidden = 0;
  const seen = new Map<Element, boolean>();
  const visibleOnce = (element: Element) => {
    let shown = seen.get(element);
    if (shown === undefined) seen.set(element, (shown = visible(element)));
    return shown;
  };
  // A list's rows are only counted, never read as the patient: their visibility does not matter (and costs).
  const shown = (c: Candidate) => c.listRow || (visibleOnce(c.element) ? true : (c.field === 'nhsNumber' && hidden++, false));
  const fields = found.fields.filter(shown);
  const nhs = fields.filter((c) => c.field === 'nhsNumber');
  const digitsOf = new Map<Candidate, string | null>(nhs.map((c) => [c, parseNhsNumber(c.text)]));
  const valid = nhs.filter((c) => digitsOf.get(c));
  // Unlabelled numbers only ever stop a region or count as a list's rows; one is read only after a visibility check.
  const bareValid = found.bare.filter((c) => parseNhsNumber(c.text));
  const numberOf = (c: Candidate) => digitsOf.get(c) ?? parseNhsNumber(c.text);

  // A page with a patient search form shows results, not a record: its table rows are list entries.
  const searchPage = doc.querySelector('[role="search"], input[type="search"]') !== null;
  const distinctNumbersIn = (container: Element) => new Set([...valid, ...bareValid].filter((c) => within(container, c.element)).map(numberOf)).size;

  /** A row or card among siblings that show other patients, or inside a list the page names as one. */
  const listCache = new Map<Candidate, boolean>();
  const inList = (c: Candidate): boolean => {
    let listed = listCache.get(c);
    if (listed === undefined) listCache.set(c, (listed = inListOnce(c)));
    return listed;
  };
  const inListOnce = (c: Candidate): boolean => {
    if (c.listRow) return true;
    const own = numberOf(c);
    const chain = ancestors(c.element);
    for (let i = 0; i < Math.min(chain.length - 1, 8); i++) {
      const item = chain[i]!;
      const parent = chain[i + 1]!;
      const role = item.getAttribute('role') ?? '';
      const sameShape = item.className && typeof item.className === 'string' && [...parent.children].filter((s) => s.localName === item.localName && s.className === item.className).length > 1;
      const itemLike = ITEM_TAGS.has(item.localName) || ITEM_ROLES.has(role) || sameShape;
      // A results row with its own "Open" action is an entry to choose, not the record that is open.
      if (item.localName === 'tr' && underHeaderRow(item) && (selectableRow(item) || searchPage)) return true;
      // A row is one patient's when it holds a number of its own and its siblings hold other patients' numbers.
      const mine = own ?? [...valid, ...bareValid].find((other) => within(item, other.element));
      const key = typeof mine === 'string' ? mine : mine ? numberOf(mine) : null;
      if (itemLike && key && [...valid, ...bareValid].some((other) => numberOf(other) !== key && within(parent, other.element) && !within(item, other.element))) return true;
      // A container named as a list ("Recently viewed", class "search-results") makes this a list entry only when
      // it really is one: it holds two or more patients, or this number sits in a row or list item inside it. A
      // whole second banner in a "match" or "related" panel is a second patient, not a list.
      const hint = `${item.id} ${typeof item.className === 'string' ? item.className : ''} ${item.getAttribute('aria-label') ?? ''}`;
      const heading = item.firstElementChild;
      const named = (LIST_HINT.test(hint) && !BANNER_HINT.test(hint)) || (heading !== null && isHeading(heading) && LIST_HINT.test((heading.textContent ?? '').slice(0, 80)));
      if (named && (distinctNumbersIn(item) >= 2 || chain.slice(0, i).some((el) => ITEM_TAGS.has(el.localName) || ITEM_ROLES.has(el.getAttribute('role') ?? '')))) return true;
    }
    return false;
  };

  const listed = new Set(valid.filter(inList));
  const numbers = new Map<string, Candidate[]>();
  for (const c of valid) {
    if (listed.has(c)) continue;
    const key = numberOf(c)!;
    numbers.set(key, [...(numbers.get(key) ?? []), c]);
  }
  const listNumbers = new Set([...listed].map((c) => numberOf(c)!));
  const invalid = nhs.filter((c) => !digitsOf.get(c) && !inList(c));
  // A next-of-kin, parent or carer block's date of birth and name are that person's, inside the banner too.
  const dobs = fields.filter((c) => c.field === 'birthDate' && !inList(c) && !aboutSomeoneElse(c.element));
  // An unlabelled date with a fitting age counts only in a compact banner that has no labelled date of birth.
  const datesWithAge = found.datesWithAge.filter((c) => !inList(c) && readBirthDate(c.text, options.today, true).date);
  const birthDatesIn = (region: Element): Candidate[] => {
    const labelled = dobs.filter((d) => within(region, d.element));
    if (labelled.length > 0) return labelled;
    const page = region.localName === 'body' || region.localName === 'html';
    return page && !scope && region.ownerDocument === doc ? [] : datesWithAge.filter((d) => within(region, d.element) && visibleOnce(d.element) && compact(region));
  };
  const names = fields.filter((c) => (c.field === 'name' || c.field === 'family' || c.field === 'given') && !inList(c) && !aboutSomeoneElse(c.element));
  /** Few enough texts to be one banner: only there is an unlabelled leading text believed to be the name. */
  // Both are asked of the same regions several times in one reading (climbing, dates, names): worked out once each.
  const compactCache = new Map<Element, boolean>();
  const compact = (region: Element) => {
    let small = compactCache.get(region);
    if (small === undefined) compactCache.set(region, (small = collectRuns(region, { ...options, maxRuns: MAX_COMPACT_RUNS + 1 }).length <= MAX_COMPACT_RUNS));
    return small;
  };
  const leadCache = new Map<Element, ReturnType<typeof leadingName>>();
  const leadingNameIn = (region: Element) => {
    if (!leadCache.has(region)) leadCache.set(region, leadingName(collectRuns(region, { ...options, maxRuns: 12 }), visibleOnce));
    return leadCache.get(region) ?? null;
  };

  /** The smallest region around this number's field with a date of birth and a name, and no other patient. */
  const regionFor = (group: readonly Candidate[], key: string): { region: Element | null; missing: 'birthDate' | 'name' } => {
    let missing: 'birthDate' | 'name' = 'birthDate';
    for (const c of group) {
      const chain = ancestors(c.element);
      for (let i = 0; i < Math.min(chain.length, MAX_REGION_LEVELS); i++) {
        const region = chain[i]!;
        if (scope && !within(scope, region)) break;
        if ([...valid, ...bareValid].some((other) => numberOf(other) !== key && within(region, other.element))) break;
        // The whole page is a banner only when it is small (a banner frame's document), never a busy page.
        const page = region.localName === 'body' || region.localName === 'html';
        if (page && !compact(region)) break;
        if (birthDatesIn(region).length === 0) continue;
        missing = 'name';
        const hasName = names.some((n) => n.field === 'name' && within(region, n.element)) || (names.some((n) => n.field === 'family' && within(region, n.element)) && names.some((n) => n.field === 'given' && within(region, n.element)));
        // The top page as a whole never has a leading name: its first texts are the EHR's own (menus, signed-in user).
        const topPage = page && !scope && region.ownerDocument === doc;
        if (hasName || (!topPage && compact(region) && leadingNameIn(region))) return { region, missing };
        if (page) break;
      }
    }
    return { region: null, missing };
  };

  // Told apart: one patient in the page's main content, the others only in side panels or menus (a short
  // "recent" panel with no list markup). Anything less clear is two patients.
  if (numbers.size > 1) {
    // A side panel that shows a date of birth is a second banner, not a short list of names and numbers.
    const aside = (c: Candidate) => ancestors(c.element).some((el) => (SIDE.has(el.localName) || SIDE_ROLES.has(el.getAttribute('role') ?? '')) && !dobs.some((d) => within(el, d.element)));
    const main = [...numbers].filter(([, group]) => !group.every(aside));
    if (main.length === 1) {
      for (const [other] of [...numbers].filter(([key]) => key !== main[0]![0])) listNumbers.add(other);
      numbers.clear();
      numbers.set(main[0]![0], main[0]![1]);
    }
  }
  if (numbers.size > 1) return none('two-patients', `${numbers.size} different NHS numbers are shown on this page outside any list, so it is not clear whose record this is.`);
  if (numbers.size === 0) {
    const bad = invalid[0];
    if (bad) return none('invalid-nhs-number', invalidReason(bad.text));
    // A 3-3-4 number with no label counts only inside a compact banner with a labelled date of birth and a name.
    const bareGroups = new Map<string, Candidate[]>();
    for (const c of bareValid) if (!inList(c)) bareGroups.set(parseNhsNumber(c.text)!, [...(bareGroups.get(parseNhsNumber(c.text)!) ?? []), c]);
    const bareRegions = [...bareGroups].map(([key, group]) => ({ key, ...regionFor(group, key) })).filter((r) => r.region);
    if (bareRegions.length === 1 && listNumbers.size === 0 && bareGroups.size === 1 && [...bareGroups.values()][0]!.every((c) => visibleOnce(c.element))) return judge(bareRegions[0]!.key, bareRegions[0]!.region!);
    if (hidden > 0) return none('hidden-text', 'The patient details on this page are hidden from view (too small, transparent, clipped or off-screen), so they were not read.');
    if (listNumbers.size > 0) return none('no-patient', `A list of ${listNumbers.size} patients, with no single patient's banner: open one patient's record.`);
    if (bareGroups.size > 0) return none('no-patient', 'Found a 10-digit number, but no "NHS No." label next to it and no banner around it.');
    return none('no-patient', 'No NHS number with a label (such as "NHS No.") is shown on this page.');
  }
  const [key, group] = [...numbers][0]!;
  const { region, missing } = regionFor(group, key);
  if (!region) {
    const what = missing === 'birthDate' ? 'no date of birth next to it' : 'no patient name next to it';
    return none(missing === 'birthDate' ? 'no-birth-date' : 'no-name', `Found NHS number ${formatNhsNumber(key)} (valid) but ${what}.`);
  }
  return judge(key, region);

  /** The patient in the banner region, strictly, and checked against every date of birth shown elsewhere. */
  function judge(key: string, region: Element): GenericResult {
    if (invalid.some((c) => within(region, c.element))) return none('invalid-nhs-number', invalidReason(invalid.find((c) => within(region, c.element))!.text));
    if (found.bare.some((c) => within(region, c.element) && parseNhsNumber(c.text) && parseNhsNumber(c.text) !== key)) return none('two-patients', 'The banner shows two different NHS numbers.');
    const lang = region.ownerDocument.documentElement.getAttribute('lang') ?? doc.documentElement.getAttribute('lang');
    // A page that also prints a date only month first can be read (12/25/2025) is not day first, whatever its lang.
    const uk = isUkLocale(lang) && !monthFirstPage;
    const dates = new Set<string>();
    for (const c of birthDatesIn(region)) {
      const reading = readBirthDate(c.text, options.today, uk);
      if (reading.date === null) return none(reading.why === 'ambiguous' ? 'ambiguous-birth-date' : 'invalid-birth-date', birthDateReason(c.text, reading.why));
      dates.add(reading.date);
    }
    if (dates.size !== 1) return none('fields-disagree', 'The banner shows two different dates of birth.');
    const name = nameIn(region);
    if (typeof name === 'string') return none(name === 'disagree' ? 'fields-disagree' : 'no-name', name === 'disagree' ? 'The banner shows two different names.' : `Found NHS number ${formatNhsNumber(key)} (valid) but its name could not be read as a name.`);
    const birthDate = [...dates][0]!;
    // A date of birth shown elsewhere on the page (a summary card, a header) must be this patient's.
    for (const c of dobs) {
      if (within(region, c.element)) continue;
      const other = readBirthDate(c.text, options.today, uk).date;
      if (other && other !== birthDate) return none('fields-disagree', 'The page shows another date of birth outside the banner that does not match it.');
    }
    if (regionDrawsText(region)) return none('hidden-text', 'The banner shows text drawn by the page\'s style sheet, which cannot be checked against the page.');
    return { context: { nhsNumber: key, birthDate, name }, banner: region };
  }

  function nameIn(region: Element): PersonName | 'disagree' | 'unreadable' {
    const inside = names.filter((n) => within(region, n.element));
    const full = inside.filter((n) => n.field === 'name');
    if (full.length > 0) {
      const parsed = full.map((n) => parsePersonName(n.text));
      if (parsed.some((p) => !p)) return 'unreadable';
      const keys = new Set(parsed.map((p) => `${p!.family}|${p!.given}`.toLowerCase()));
      return keys.size === 1 ? parsed[0]! : 'disagree';
    }
    const family = new Set(inside.filter((n) => n.field === 'family').map((n) => n.text));
    const given = new Set(inside.filter((n) => n.field === 'given').map((n) => n.text));
    if (family.size === 1 && given.size === 1) {
      const parsed = parsePersonName(`${[...family][0]}, ${[...given][0]}`);
      return parsed ?? 'unreadable';
    }
    if (family.size > 1 || given.size > 1) return 'disagree';
    const topPage = (region.localName === 'body' || region.localName === 'html') && !scope && region.ownerDocument === doc;
    const lead = !topPage && compact(region) ? leadingNameIn(region) : null;
    return (lead && parsePersonName(lead.text)) || 'unreadable';
  }

}

/** A data row of a table whose columns are named by a header row (results), not a banner's label/value row. */
function underHeaderRow(row: Element): boolean {
  const table = row.closest('table');
  if (!table) return false;
  return [...table.querySelectorAll('tr')].some((other) => other !== row && (other.parentElement?.localName === 'thead' || (other.children.length > 1 && [...other.children].every((cell) => cell.localName === 'th'))));
}

/** A selectable results row: an action in it, or the row itself clickable, focusable or selectable. */
function selectableRow(row: Element): boolean {
  return row.querySelector('button, a[href], input[type="checkbox"], input[type="radio"]') !== null || row.hasAttribute('onclick') || row.hasAttribute('tabindex') || row.hasAttribute('aria-selected') || row.getAttribute('role') === 'row';
}

/** A date of birth in a next-of-kin, parent or carer section belongs to that person, not to the patient. */
const SOMEONE_ELSE = /next of kin|\bnok\b|mother|father|parent|carer|guardian|spouse|partner|emergency contact|baby|infant|newborn|caller|relative|household|family member/i;

function isHeading(element: Element): boolean {
  return /^(h[1-6]|legend|caption)$/.test(element.localName) || element.getAttribute('role') === 'heading';
}

function aboutSomeoneElse(element: Element): boolean {
  let el: Element | null = element;
  for (let depth = 0; el && depth < 4; depth++, el = el.parentElement) {
    if (SOMEONE_ELSE.test(`${el.id} ${typeof el.className === 'string' ? el.className : ''} ${el.getAttribute('aria-label') ?? ''}`)) return true;
    const heading = el.firstElementChild;
    if (heading && heading !== element && isHeading(heading) && SOMEONE_ELSE.test((heading.textContent ?? '').slice(0, 80))) return true;
  }
  return false;
}

function invalidReason(text: string): string {
  return /^[\d \-]+$/.test(text) ? `NHS number ${text} fails the check digit.` : 'The NHS number is not written in plain digits 0-9.';
}

function birthDateReason(text: string, why: 'ambiguous' | 'invalid' | 'age-mismatch'): string {
  if (why === 'ambiguous') return `The date of birth ${text} could be read two ways on a page that is not in UK English.`;
  if (why === 'age-mismatch') return `The date of birth ${text} does not match the age shown beside it.`;
  return `The date of birth ${text} is not a possible date of birth.`;
}
