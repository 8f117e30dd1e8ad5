import { findLabels } from './labels';
import type { Run } from './walk';

/**
 * A banner's name with no label: CUI banners lead with it, "OKAFOR, Adaeze (Mrs)", others print "Adaeze OKAFOR"
 * or "Mrs Adaeze Okafor". Only these shapes are believed, so a heading such as "Patient Summary" is never a name.
 */

const TITLE = String.raw`(?:Mr|Mrs|Miss|Ms|Mx|Dr|Prof|Master|Sir|Dame|Rev|Lady|Lord)\.?`;
const WORD = String.raw`[\p{Lu}][\p{L}\p{M}'’\-]*`;
const CAPS_WORD = String.raw`[\p{Lu}][\p{Lu}\p{M}'’\-]+`;
const BRACKET_TITLE = String.raw`(?:\s*\((?:${TITLE}|[\p{L} .]{1,12})\))?`;

const SHAPES = [
  // FAMILY, Given (Title) and Family, Given.
  new RegExp(String.raw`^(?:${CAPS_WORD}(?: ${CAPS_WORD}){0,2}|${WORD}(?: ${WORD}){0,1}), ?${WORD}(?: ${WORD}){0,3}${BRACKET_TITLE}$`, 'u'),
  // (Title) Given FAMILY.
  new RegExp(String.raw`^(?:${TITLE} )?${WORD}(?: ${WORD}){0,3} ${CAPS_WORD}(?: ${CAPS_WORD}){0,2}${BRACKET_TITLE}$`, 'u'),
  // Title Given Family.
  new RegExp(String.raw`^${TITLE} ${WORD}(?: ${WORD}){1,3}$`, 'u'),
];

/** Words that make a text a heading or a label, not a person. */
const NOT_NAMES = new Set(
  'patient patients summary record records banner details demographics clinical notes allergies alerts alert ward clinic home menu search results list overview demographic information view edit print help logout log sign out dashboard worklist care plan medication medications inpatient outpatient emergency department admission discharge referral referrals letters documents observations results orders nursing hospital trust nhs gp practice team consultant address contact contacts next kin id ref reference number no code mrn chi pas unit case person client service user account system login logged signed staff medicine surgery cardiology oncology paediatrics maternity acute emergency mental health community ward welcome hello keyworker'.split(' '),
);

export function looksLikeName(text: string): boolean {
  if (text.length < 3 || text.length > 80 || /\p{N}/u.test(text)) return false;
  // A title only leads a name ("Welcome Dr Emily CARTER", "Keyworker Dr …" are not names).
  if (new RegExp(String.raw`\s${TITLE}\s`, 'u').test(` ${text.split(' ').slice(1).join(' ')} `)) return false;
  if (!SHAPES.some((shape) => shape.test(text))) return false;
  const words = text.toLowerCase().split(/[\s,()]+/).filter(Boolean);
  return !words.some((word) => NOT_NAMES.has(word.replace(/\.$/, '')));
}

/** The first few texts of a banner: the first one shaped like a name, if any. */
export function leadingName(runs: readonly Run[], visible: (element: Element) => boolean): Run | null {
  const first = runs.slice(0, 6);
  const found: Run[] = [];
  for (const [i, run] of first.entries()) {
    if (findLabels(run.text).some((hit) => hit.start === 0)) continue;
    // The person signed in, or a clinician named in the EHR's own menus, is not the patient.
    if (run.element.closest('nav, [role="navigation"], [role="menu"], [role="menubar"]')) continue;
    if (i > 0 && SOMEONE_NAMED.test(first[i - 1]!.text)) continue;
    const candidate = nameShapedParts(run).find((part) => looksLikeName(part.text) && visible(part.element));
    if (candidate) found.push(candidate);
  }
  // Two different name-shaped texts (a clinician's and the patient's) cannot be told apart: no name at all.
  const distinct = new Set(found.map((run) => run.text.toLowerCase().replace(/\s*\([^()]*\)\s*$/, '').replace(/[^\p{L}]+/gu, ' ').trim().split(' ').sort().join(' ')));
  return distinct.size === 1 ? found[0]! : null;
}

/** The texts a banner's name may be: the run, its part before a separator ("Mrs Sandra HOLLOWAY – 07 Jun…"), and
 * its element's whole text when the name is split across elements ("<span>Lindqvist</span>, <span>Harriet</span>"). */
function nameShapedParts(run: Run): Run[] {
  const parts: Run[] = [run];
  const head = run.text.split(/\s[–—|•·-]\s|\s{2,}/u)[0]!.replace(/\s*\((?!(?:Mr|Mrs|Miss|Ms|Mx|Dr|Prof)\.?\))[^()]{1,20}\)\s*$/u, '');
  if (head !== run.text) parts.push({ text: head.trim(), element: run.element });
  const parent = run.element.parentElement;
  const whole = parent ? spacedText(parent) : '';
  if (parent && whole !== run.text && whole.length <= 80) parts.push({ text: whole, element: parent });
  return parts;
}

/** A text that introduces someone other than the patient: "Signed in as", "User:", "Referred by". */
const SOMEONE_NAMED = /(?:signed|logged) (?:in|on)(?: as)?:?$|\b(?:user|clinician|consultant|gp|doctor|by|author|nurse|carer|next of kin|contact|keyworker|key worker|care co-?ordinator|named nurse|responsible|allocated|lead|midwife|health visitor|social worker|registrar|attending|admitting|referrer|welcome|hello|caller|mother|father|parent):?$/i;

/** An element's texts joined with spaces (block children's texts must not run together: "Client" + "McGREGOR"). */
function spacedText(element: Element): string {
  const texts: string[] = [];
  const walker = element.ownerDocument.createTreeWalker(element, 4);
  for (let node = walker.nextNode(); node && texts.length < 12; node = walker.nextNode()) texts.push(node.nodeValue ?? '');
  return texts.join(' ').replace(/\s+/g, ' ').replace(/ ,/g, ',').trim();
}
