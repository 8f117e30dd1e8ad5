import { looksLikeName } from './leading-name';
import { DATE_WITH_AGE, findLabels, GROUPED_NHS, valueToken, type LabelField, type LabelHit } from './labels';
import { composedParent, fold, type Run } from './walk';

/**
 * Field candidates: each labelled value on the page, wherever its label puts it: in the same text ("NHS No. 943
 * 476 5919"), in the next text or element, in a <dd> after a <dt>, in the next cell of a row or the cell below
 * a header, in a read-only input named by <label for>, or in an aria-label/title beside a visible label.
 */

export type Field = Exclude<LabelField, 'other'>;

export interface Candidate {
  field: Field;
  /** The value's text as shown (the judge parses it strictly). */
  text: string;
  /** Where the value is shown. */
  element: Element;
  /** One of many rows of a list (a table column or list under one header): never a banner's field. */
  listRow?: boolean;
}

export interface Candidates {
  fields: Candidate[];
  /** 3-3-4 grouped numbers with no label: they count only inside a banner that has a labelled date of birth. */
  bare: Candidate[];
  /** Unlabelled dates with an age after them: a date of birth only inside a compact banner. */
  datesWithAge: Candidate[];
}

const MAX_LIST_ROWS = 500;
/** Cheap first test for a 3-3-4 number before the exact (and slower) pattern. */
const MAYBE_GROUPED = /\d{3}[ -]\d{3}[ -]\d{4}/;
/** Cheap first test for a date followed by an age in brackets or years. */
const DATE_HINT = /\d{4}\s*\(\s*(?:aged?\s*)?\d|\d{4}\s+\d{1,3}\s*y/i;

function cellOf(element: Element): HTMLTableCellElement | null {
  return element.closest('th, td') as HTMLTableCellElement | null;
}

function isHeaderRow(row: Element): boolean {
  const cells = [...row.children].filter((c) => c.localName === 'th' || c.localName === 'td');
  return row.parentElement?.localName === 'thead' || (cells.length > 1 && cells.every((c) => c.localName === 'th'));
}

/** A column header's values: the cells below it (one row: a banner's field; more: a list). */
function columnValues(cell: HTMLTableCellElement): Element[] | null {
  const row = cell.parentElement;
  const table = cell.closest('table');
  if (!row || !table || !isHeaderRow(row)) return null;
  const index = [...row.children].indexOf(cell);
  const rows = [...table.querySelectorAll('tr')].filter((r) => r !== row && r.closest('table') === table && !isHeaderRow(r) && r.querySelector('td'));
  return rows.slice(0, MAX_LIST_ROWS).flatMap((r) => (r.children[index] ? [r.children[index]!] : []));
}

/** The structural value of a label that stands alone in its element. */
function structuralValues(labelElement: Element): Element[] | null {
  const dt = labelElement.closest('dt');
  if (dt) {
    let next = dt.nextElementSibling;
    while (next && next.localName !== 'dd' && next.localName !== 'dt') next = next.nextElementSibling;
    return next?.localName === 'dd' ? [next] : [];
  }
  const label = labelElement.closest('label');
  const target = label?.getAttribute('for');
  if (target) {
    const input = labelElement.ownerDocument.getElementById(target) ?? (labelElement.getRootNode() as ShadowRoot).getElementById?.(target);
    return input ? [input] : [];
  }
  const cell = cellOf(labelElement);
  return cell ? columnValues(cell) : null;
}

function textOf(element: Element): string {
  if (element.localName === 'input') return fold((element as HTMLInputElement).value ?? '');
  const text = element.textContent ?? '';
  return text.length > 400 ? '' : fold(text);
}

/** The next run, if it sits close to the label (within two levels of the label's element) and is not a label itself. */
function nextValueRun(runs: readonly Run[], i: number): Run | null {
  const label = runs[i]!.element;
  const next = runs[i + 1];
  if (!next) return null;
  const hits = findLabels(next.text);
  if (hits[0]?.start === 0) return null;
  // Two levels up as drawn (a value slotted into a component sits beside its label in the drawn tree).
  const parent = composedParent(label);
  const scope = (parent && composedParent(parent)) ?? parent ?? label;
  return drawnWithin(scope, next.element) ? next : null;
}

/** The run just before a label, when both sit in one small container (a tile) and it is not a label itself. */
function previousValueRun(runs: readonly Run[], i: number): Run | null {
  const label = runs[i]!.element;
  const previous = runs[i - 1];
  if (!previous || findLabels(previous.text).length > 0) return null;
  const scope = label.parentElement;
  return scope && scope.contains(previous.element) && scope.childElementCount <= 4 ? previous : null;
}

/** A value carried by an attribute next to a visible label (a masked or iconised value with its text in aria-label/title). */
function attributeValue(label: Element): { text: string; element: Element } | null {
  for (const candidate of [label.nextElementSibling, label.parentElement?.nextElementSibling]) {
    if (!candidate) continue;
    const text = candidate.getAttribute('aria-label') ?? candidate.getAttribute('title');
    // Only where the screen shows no digits of its own there: a visible "*** *** 5919" beside an attribute holding
    // another number must never be read as that number.
    if (!text) continue;
    const shown = (candidate.textContent ?? '').replace(/\D/g, '');
    // A masked value ("••• ••• 5986") may show the end of the attribute's number, and nothing else.
    if (!/\p{N}/u.test(candidate.textContent ?? '') || (/^\d+$/.test(shown) && text.replace(/\D/g, '').endsWith(shown))) return { text: fold(text), element: candidate };
    return null;
  }
  return null;
}

/** A value after a loose name label ("Patient", "Re") must be shaped like a name, whatever the layout. */
function nameChecked(hit: LabelHit, text: string, token: string | null): string | null {
  return token && LOOSE_NAME_LABELS.has(labelWord(hit, text)) && !looksLikeName(token) ? null : token;
}

/** Words that name the patient only with a colon ("Patient: ...", "Re: ...") and a value shaped like a name. */
const LOOSE_NAME_LABELS = new Set(['patient', 're', 'regarding']);

function labelWord(hit: LabelHit, text: string): string {
  return text.slice(hit.start, hit.end).replace(/[:：.\s]+$/u, '').toLowerCase();
}

function nameInlineAllowed(hit: LabelHit, text: string, value: string): boolean {
  // "Patient reports pain" or "Re: your appointment" is not a name.
  if (LOOSE_NAME_LABELS.has(labelWord(hit, text))) return hit.colon && looksLikeName(value);
  return hit.colon || hit.start === 0;
}

export function findCandidates(runs: readonly Run[]): Candidates {
  const fields: Candidate[] = [];
  const bare: Candidate[] = [];
  const datesWithAge: Candidate[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    const hits = findLabels(run.text);
    if (!hits.some((hit) => hit.field === 'birthDate') && DATE_HINT.test(run.text)) {
      DATE_WITH_AGE.lastIndex = 0;
      for (let m = DATE_WITH_AGE.exec(run.text); m; m = DATE_WITH_AGE.exec(run.text)) datesWithAge.push({ field: 'birthDate', text: m[0], element: run.element });
    }
    // Every 3-3-4 number is noted, labelled or not ("Linked record 999 000 0018", "(merged: …)"): one that is not
    // the banner's patient's blocks that banner, wherever it stands.
    if (MAYBE_GROUPED.test(run.text)) {
      GROUPED_NHS.lastIndex = 0;
      for (let m = GROUPED_NHS.exec(run.text); m; m = GROUPED_NHS.exec(run.text)) bare.push({ field: 'nhsNumber', text: m[1]!, element: run.element });
    }
    if (hits.length === 0) continue;
    hits.forEach((hit, h) => {
      if (hit.field === 'other') return;
      const field = hit.field;
      const rest = run.text.slice(hit.end, hits[h + 1]?.start ?? run.text.length).replace(/^[\s|•·;,]+|[\s|•·;,]+$/gu, '');
      // An icon or a mark after a label ("NHS No ⓘ", "DOB *") is not a value: the value is elsewhere.
      const inline = /[\p{L}\p{N}]/u.test(rest) ? rest : '';
      if (inline) {
        const token = valueToken(field, inline);
        if ((field === 'name' || field === 'family' || field === 'given') && !nameInlineAllowed(hit, run.text, token ?? '')) return;
        if (token) fields.push({ field, text: token, element: run.element });
        return;
      }
      // The label stands alone (or ends its text): the value is in the structure around it.
      if (h !== hits.length - 1) return;
      const whole = hits.length === 1 && hits[0]!.start === 0;
      const structural = whole ? structuralValues(run.element) : null;
      if (structural) {
        const list = structural.length > 1;
        for (const element of structural) {
          const token = nameChecked(hit, run.text, valueToken(field, textOf(element)));
          if (token) fields.push({ field, text: token, element, ...(list ? { listRow: true } : {}) });
        }
        return;
      }
      const next = nextValueRun(runs, i);
      const token = next ? nameChecked(hit, run.text, valueToken(field, next.text)) : null;
      if (next && token) {
        fields.push({ field, text: token, element: next.element });
        return;
      }
      const attribute = attributeValue(run.element);
      const attributeToken = attribute ? valueToken(field, attribute.text) : null;
      if (attribute && attributeToken) {
        fields.push({ field, text: attributeToken, element: attribute.element });
        return;
      }
      // A caption under its value (a tile: "943 476 5919" over "NHS Number"): only for values of a strict shape.
      const previous = (field === 'nhsNumber' || field === 'birthDate') && whole ? previousValueRun(runs, i) : null;
      const previousToken = previous ? valueToken(field, previous.text) : null;
      if (previous && previousToken) fields.push({ field, text: previousToken, element: previous.element });
    });
  }
  return { fields, bare, datesWithAge };
}

/** Whether an element is drawn inside another (through slots and shadow roots), a few levels down at most. */
function drawnWithin(scope: Element, element: Element): boolean {
  for (let el: Element | null = element, depth = 0; el && depth < 12; el = composedParent(el), depth++) if (el === scope) return true;
  return false;
}
