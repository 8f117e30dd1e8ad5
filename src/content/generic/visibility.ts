import { composedParent } from './walk';

/**
 * Whether a person can read an element's text: the generic reader reads only what the clinician sees, so a
 * banner drawn at zero size, in a transparent colour, clipped away or off-screen is not a banner. Layout checks
 * need a real browser; without layout (unit tests on a saved DOM) only the styles are judged.
 */

export interface VisibilityOptions {
  /** A real rendering engine is behind the document (sizes and positions mean something). */
  layout: boolean;
}

function transparent(color: string): boolean {
  const c = color.replace(/\s+/g, '').toLowerCase();
  return c === 'transparent' || /^rgba\([\d.]+,[\d.]+,[\d.]+,0(\.0+)?\)$/.test(c) || /^(rgba?|color|hsla?|oklch|lab)\(.*\/0(\.0+)?%?\)$/.test(c);
}

/** The sr-only pattern and other ways of cutting an element down to nothing. */
function clippedAway(style: CSSStyleDeclaration): boolean {
  const clip = style.clip ?? '';
  if (clip && clip !== 'auto' && /rect\(\s*0(px)?[ ,]+0(px)?[ ,]+0(px)?[ ,]+0(px)?\s*\)|rect\(\s*1px[ ,]+1px[ ,]+1px[ ,]+1px\s*\)/.test(clip)) return true;
  const path = style.clipPath ?? '';
  return /inset\(\s*(50%|100%)|circle\(\s*0(px|%)?\s*[)a]|polygon\(\s*0(px)?\s+0(px)?\s*,\s*0(px)?\s+0(px)?\s*,\s*0(px)?\s+0(px)?\s*\)/.test(path);
}

export function isVisible(element: Element, options: VisibilityOptions): boolean {
  const view = element.ownerDocument.defaultView;
  if (!view) return false;
  const checker = (element as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility;
  if (options.layout && checker && !checker.call(element, { checkOpacity: true, checkVisibilityCSS: true })) return false;
  const style = view.getComputedStyle(element);
  if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return false;
  if (transparent(style.color) || (style.webkitTextFillColor && transparent(style.webkitTextFillColor))) return false;
  const size = parseFloat(style.fontSize);
  if (!Number.isNaN(size) && size < 6 && (options.layout || style.fontSize !== '')) return false;
  // Ancestors: hidden, faded out or clipped anywhere above hides the text too. With layout, the browser's own
  // check covers hidden and faded ancestors, so only clipping is looked for, a few levels up.
  const levels = options.layout ? 6 : 40;
  for (let el: Element | null = element, depth = 0; el && depth < levels; el = composedParent(el), depth++) {
    const s = el.ownerDocument.defaultView?.getComputedStyle(el);
    if (!s) continue;
    if (s.display === 'none' || s.opacity === '0' || clippedAway(s)) return false;
  }
  if (!options.layout) return true;
  const rect = element.getBoundingClientRect();
  if (rect.width < 1 || rect.height < 1) return false;
  // Off-screen: left or above the page where no scrolling reaches it.
  const scrollX = view.scrollX;
  const scrollY = view.scrollY;
  return rect.right + scrollX > 0 && rect.bottom + scrollY > 0;
}

/** Letters or digits a style sheet draws (::before/::after content): text a person sees that is not in the page. */
export function drawnText(element: Element): boolean {
  const view = element.ownerDocument.defaultView;
  if (!view) return false;
  for (const pseudo of ['::before', '::after']) {
    const content = view.getComputedStyle(element, pseudo).content ?? '';
    if (!content || content === 'none' || content === 'normal') continue;
    if (/attr\(|counter/i.test(content)) return true;
    const strings = content.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g) ?? [];
    if (strings.some((s) => /[\p{L}\p{N}]/u.test(s.replace(/\\[0-9a-f]{1,6}\s?/gi, '')))) return true;
  }
  return false;
}

const MAX_DRAWN_CHECKS = 400;

/** Any element of a region (bounded) whose style sheet draws letters or digits. */
export function regionDrawsText(region: Element): boolean {
  if (drawnText(region)) return true;
  const all = region.querySelectorAll('*');
  for (let i = 0; i < Math.min(all.length, MAX_DRAWN_CHECKS); i++) if (drawnText(all[i]!)) return true;
  return false;
}

/** Whether every element of a region that holds this text directly (ignoring spacing) can be seen. */
export function textShownIn(region: Element, digits: string, options: VisibilityOptions): boolean {
  const holders = new Set<Element>();
  const walker = region.ownerDocument.createTreeWalker(region, 4);
  for (let node = walker.nextNode(), seen = 0; node && seen < 2000; node = walker.nextNode(), seen++) {
    if ((node.nodeValue ?? '').replace(/[^0-9]/g, '').includes(digits) && node.parentElement) holders.add(node.parentElement);
  }
  // A value read from an attribute, or split across elements, has no single holder: nothing to compare here.
  return [...holders].every((holder) => isVisible(holder, options));
}
