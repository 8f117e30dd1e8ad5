import { isStableClass, isStableDataAttribute, isStableValue, looksGenerated, sharesPatientWords } from './stable-names';

/**
 * A CSS selector for an element the administrator clicked, written to survive the next patient and the next
 * release of the EHR: stable ids first, then data attributes, aria-label and role, then stable classes, then
 * the same anchored on a named ancestor; positions (nth-of-type) only when nothing better tells it apart.
 * Every selector is checked against the page: it must match exactly the clicked element within its root (the
 * document for the banner; the banner, itself included, for a field, as the detector reads it).
 */

const MAX_ANCESTORS = 8;
const MAX_TEXT = 400;

/** Identifier escaping for ids and classes (CSS.escape is not everywhere the tests run). */
export function cssIdent(value: string): string {
  return value.replace(/[^\w-]/g, (ch) => `\\${ch}`).replace(/^(-?)(\d)/, (_all, dash: string, digit: string) => `${dash}\\3${digit} `);
}

function cssString(value: string): string {
  return `"${value.replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

/** What the detector would match: below `root`, and `root` itself when it is an element. */
export function matchesIn(root: Document | Element, selector: string): Element[] {
  try {
    const below = [...root.querySelectorAll(selector)];
    return root.nodeType === 1 && (root as Element).matches(selector) ? [root as Element, ...below] : below;
  } catch {
    return [];
  }
}

function isUnique(root: Document | Element, selector: string, target: Element): boolean {
  const found = matchesIn(root, selector);
  return found.length === 1 && found[0] === target;
}

function textOf(element: Element): string {
  return (element.textContent ?? '').slice(0, MAX_TEXT);
}

/**
 * The element's own selector parts, best first: stable id, data-* attributes, aria-label, role, stable
 * classes (alone, then in pairs), each also with its tag name, and last the tag name alone.
 */
export function candidatesFor(element: Element): string[] {
  const tag = element.localName.includes('-') || /^[a-z][a-z0-9]*$/.test(element.localName) ? element.localName : '';
  const text = textOf(element);
  const parts: string[] = [];
  const id = element.getAttribute('id');
  if (id && !looksGenerated(id) && !sharesPatientWords(id.replace(/[-_]/g, ' '), text)) parts.push(`#${cssIdent(id)}`);
  for (const attr of [...element.attributes]) {
    if (isStableDataAttribute(attr.name) && (attr.value === '' || isStableValue(attr.value, text))) {
      parts.push(attr.value === '' ? `[${attr.name}]` : `[${attr.name}=${cssString(attr.value)}]`);
    }
  }
  const aria = element.getAttribute('aria-label');
  if (aria && isStableValue(aria, text)) parts.push(`[aria-label=${cssString(aria)}]`);
  const role = element.getAttribute('role');
  if (role && /^[a-z]+$/.test(role)) parts.push(`[role=${cssString(role)}]`);
  const classes = [...element.classList].filter(isStableClass).slice(0, 6);
  for (const name of classes) parts.push(`.${cssIdent(name)}`);
  for (let i = 0; i < classes.length; i++) for (let j = i + 1; j < classes.length; j++) parts.push(`.${cssIdent(classes[i]!)}.${cssIdent(classes[j]!)}`);
  const withTag = tag ? parts.filter((part) => !part.startsWith('#')).map((part) => `${tag}${part}`) : [];
  return [...new Set([...parts, ...withTag, ...(tag ? [tag] : [])])];
}

/** The ancestors between the element and the root (exclusive), nearest first. */
function ancestorsOf(element: Element, root: Document | Element): Element[] {
  const found: Element[] = [];
  for (let node = element.parentElement; node && node !== root && found.length < MAX_ANCESTORS; node = node.parentElement) {
    if (root.nodeType !== 1 && node === (root as Document).documentElement) break;
    found.push(node);
  }
  return found;
}

/** tag:nth-of-type(n), or the bare tag when it has no sibling of the same kind. */
function positional(element: Element): string {
  const tag = element.localName;
  const parent = element.parentElement;
  if (!parent) return tag;
  const same = [...parent.children].filter((child) => child.localName === tag);
  return same.length === 1 ? tag : `${tag}:nth-of-type(${same.indexOf(element) + 1})`;
}

/**
 * The best selector for `target` within `root`, or null when none matches it alone (the target is not below
 * the root, or the page has two identical copies of it, in which case no selector could tell them apart).
 */
export function buildSelector(target: Element, root: Document | Element): string | null {
  if (target === root || !root.contains(target)) return null;
  const own = candidatesFor(target);
  for (const candidate of own) if (isUnique(root, candidate, target)) return candidate;

  // Anchored on a named ancestor: "#banner .nhs", "[data-field=demographics] > span".
  const ancestors = ancestorsOf(target, root);
  for (const ancestor of ancestors) {
    const named = candidatesFor(ancestor).filter((candidate) => candidate !== ancestor.localName);
    for (const anchor of named) {
      for (const candidate of own) {
        for (const joiner of [' ', ' > ']) {
          const selector = `${anchor}${joiner}${candidate}`;
          if (selector.length <= 300 && isUnique(root, selector, target)) return selector;
        }
      }
    }
  }

  // Positions, only where nothing else tells elements apart: a child path from the nearest ancestor that has a
  // unique selector of its own (or from the root).
  const chain: Element[] = [];
  let anchor = root.nodeType === 1 ? ':scope' : 'html';
  for (let node = target.parentElement; node; node = node.parentElement) {
    if (node === root || (root.nodeType !== 1 && node === (root as Document).documentElement)) break;
    const best = candidatesFor(node).find((candidate) => candidate !== node!.localName && isUnique(root, candidate, node!));
    if (best) {
      anchor = best;
      break;
    }
    chain.unshift(node);
  }
  const middle = chain.map(positional);
  const last = [...own.filter((candidate) => candidate !== target.localName), positional(target)];
  for (const end of last) {
    const selector = [anchor, ...middle, end].join(' > ');
    if (isUnique(root, selector, target)) return selector;
  }
  return null;
}
