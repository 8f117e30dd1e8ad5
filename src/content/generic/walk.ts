/**
 * The page as the generic reader sees it: its text in document order, one run per text node (and per read-only
 * form field), reaching into open and closed shadow roots and same-origin frames, because a banner may live in
 * any of them and a second patient hidden in one must still count. Bounded, so a huge page costs a known amount.
 */

export interface Run {
  /** White space folded, no-break spaces as spaces. */
  text: string;
  /** The element the text sits in (the field itself for a form field). */
  element: Element;
}

export interface WalkOptions {
  /** The content script passes chrome.dom.openOrClosedShadowRoot; tests and frames fall back to `shadowRoot`. */
  shadowRootOf?: (element: Element) => ShadowRoot | null;
  maxElements?: number;
  maxRuns?: number;
  /** Filled with the shadow roots and frame documents read, for the page watch. */
  roots?: Node[];
  /** Set when the page was larger than the bounds: what was not read may hold another patient. */
  outcome?: { truncated: boolean };
}

/** Never text a person reads as the page's content (and our own UI is not the page). */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'head', 'title', 'select', 'option', 'textarea', 'canvas', 'video', 'audio', 'object', 'embed']);
const MAX_RUN_CHARS = 400;
const VISIBLE_CHAR = /[^\s\u00A0\u2009\u202F\u200B]/;
/** The standard elements attachShadow() accepts (custom elements are recognised by their dash). */
const SHADOW_HOSTS = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);
const MAX_FRAMES = 10;
/** Bounds on one reading: far above a real EHR screen (the 10,000-element demo page has about 8,000 texts). */
export const MAX_ELEMENTS = 100_000;
export const MAX_RUNS = 40_000;

export function isOwnUi(element: Element): boolean {
  return element.localName.startsWith('ehr-launchpad');
}

export function defaultShadowRootOf(element: Element): ShadowRoot | null {
  return element.shadowRoot;
}

/** A same-origin frame's document, or null (cross-origin frames are read by readers of their own). */
export function frameDocument(element: Element): Document | null {
  if (element.localName !== 'iframe' && element.localName !== 'frame') return null;
  try {
    const inner = (element as HTMLIFrameElement).contentDocument;
    return inner && inner.location.origin === element.ownerDocument.location.origin ? inner : null;
  } catch {
    return null;
  }
}

/** The element above this one as drawn: across slots, shadow roots (to the host) and frames (to the frame element). */

export function composedParent(element: Element): Element | null {
  // A slotted element is drawn inside its slot (open shadow roots; a closed one hides the slot from here).
  if (element.assignedSlot) return element.assignedSlot;
  if (element.parentElement) return element.parentElement;
  const parent = element.parentNode;
  if (parent && (parent as ShadowRoot).host) return (parent as ShadowRoot).host;
  const frame = element.ownerDocument.defaultView?.frameElement ?? null;
  return element === element.ownerDocument.documentElement ? frame : null;
}

export function fold(text: string): string {
  return text.replace(/[\s\u00A0\u2009\u202F\u200B]+/g, ' ').trim();
}

function inputRun(element: Element): Run | null {
  if (element.localName !== 'input') return null;
  const input = element as HTMLInputElement;
  const type = (input.getAttribute('type') ?? 'text').toLowerCase();
  // Only a field that shows a record's value, not one a person is typing a search into.
  if (!['text', ''].includes(type) || !(input.readOnly || input.disabled)) return null;
  const text = fold(input.value ?? '');
  return text && text.length <= MAX_RUN_CHARS ? { text, element } : null;
}

/** The runs of a document, shadow root or element subtree, in the order a person reads them. */
export function collectRuns(root: Document | Element, options: WalkOptions = {}): Run[] {
  const shadowRootOf = options.shadowRootOf ?? defaultShadowRootOf;
  const maxElements = options.maxElements ?? MAX_ELEMENTS;
  const maxRuns = options.maxRuns ?? MAX_RUNS;
  const runs: Run[] = [];
  let elements = 0;
  let frames = 0;
  const start: Node | null = (root as Document).body ?? (root as Document).documentElement ?? root;
  if (!start) return runs;
  // An explicit stack (children pushed in reverse) keeps deep pages from overflowing the call stack.
  const stack: Node[] = [start];
  while (stack.length > 0) {
    if (runs.length >= maxRuns) {
      if (options.outcome) options.outcome.truncated = true;
      break;
    }
    const node = stack.pop()!;
    if (node.nodeType === 3) {
      const text = node.nodeValue ?? '';
      // Most text nodes of a formatted page are only white space: skipped before any folding.
      if (text.length > MAX_RUN_CHARS * 4 || !VISIBLE_CHAR.test(text)) continue;
      const folded = fold(text);
      if (folded && folded.length <= MAX_RUN_CHARS && node.parentElement) runs.push({ text: folded, element: node.parentElement });
      else if (folded && node.parentNode && (node.parentNode as ShadowRoot).host && folded.length <= MAX_RUN_CHARS) runs.push({ text: folded, element: (node.parentNode as ShadowRoot).host });
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 11) continue;
    if (node.nodeType === 1) {
      const element = node as Element;
      if (++elements > maxElements) {
        if (options.outcome) options.outcome.truncated = true;
        break;
      }
      if (SKIPPED.has(element.localName) || isOwnUi(element)) continue;
      const input = inputRun(element);
      if (input) {
        runs.push(input);
        continue;
      }
      const inner = frameDocument(element);
      // More same-origin frames than are read: what the others show is unknown.
      if (inner && frames >= MAX_FRAMES) {
        if (options.outcome) options.outcome.truncated = true;
        continue;
      }
      if (inner?.body) {
        frames++;
        options.roots?.push(inner);
        stack.push(inner.body);
        continue;
      }
      // Read in the order the page is drawn: a shadow host shows its shadow tree (its light children appear only
      // where a slot puts them), and a slot shows the nodes assigned to it (else its own fallback content). Only
      // custom elements and the few standard ones that may host a shadow root are asked for one (asking is not
      // free on a 10,000-element page).
      const shadow = SHADOW_HOSTS.has(element.localName) || element.localName.includes('-') ? shadowRootOf(element) : null;
      if (shadow) {
        stack.push(shadow);
        options.roots?.push(shadow);
        continue;
      }
      const assigned = element.localName === 'slot' ? (element as HTMLSlotElement).assignedNodes?.({ flatten: true }) ?? [] : [];
      const children = assigned.length > 0 ? assigned : element.childNodes;
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      continue;
    }
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return runs;
}
