/**
 * Whether our injected UI looks, at the click, the way we drew it. The page cannot reach inside the closed
 * shadow root, but it owns the host element and every ancestor: a clip, mask, zoom or transform there can cut
 * away or shrink the line that names the patient while the buttons still work. The host's own style is pinned
 * by `:host { all: initial !important }` in our sheet; anything the page does to it or around it is refused.
 */

export type AppearanceRefusal = 'distorted' | 'partly-hidden';

/** The host's computed values that our pinned style gives it; any other value means the page got through. */
const PINNED_HOST_STYLE: Readonly<Record<string, string>> = {
  clipPath: 'none',
  maskImage: 'none',
  filter: 'none',
  transform: 'none',
  textIndent: '0px',
  letterSpacing: 'normal',
  wordSpacing: '0px',
  opacity: '1',
  visibility: 'visible',
};

/** How far a part's drawn size may differ from its laid-out size (rounding) before it counts as shrunk. */
const SIZE_TOLERANCE = 0.1;

type StyleOf = (element: Element) => CSSStyleDeclaration;

function parentAcrossShadows(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.parentNode;
  return root && 'host' in root ? (root as ShadowRoot).host : null;
}

/** A transform that only moves (translation) keeps the bar's look; one that scales, rotates or skews does not. */
export function onlyMoves(transform: string): boolean {
  if (!transform || transform === 'none') return true;
  const matrix = /^matrix\(([^)]*)\)$/.exec(transform);
  if (matrix) {
    const [a, b, c, d] = matrix[1]!.split(',').map((n) => Number.parseFloat(n));
    return a === 1 && b === 0 && c === 0 && d === 1;
  }
  const matrix3d = /^matrix3d\(([^)]*)\)$/.exec(transform);
  if (matrix3d) {
    const m = matrix3d[1]!.split(',').map((n) => Number.parseFloat(n));
    const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
    return identity.every((value, i) => m[i] === value) && m[15] === 1;
  }
  return false;
}

function hides(style: CSSStyleDeclaration): boolean {
  const mask = style.maskImage || (style as CSSStyleDeclaration & { webkitMaskImage?: string }).webkitMaskImage || 'none';
  return (style.clipPath || 'none') !== 'none' || mask !== 'none';
}

function distorts(style: CSSStyleDeclaration): boolean {
  const scale = style.scale || 'none';
  const rotate = style.rotate || 'none';
  return !onlyMoves(style.transform) || (scale !== 'none' && scale !== '1') || (rotate !== 'none' && rotate !== '0deg');
}

/** The zoom the host is drawn at: the browser's own figure where it has one, else the ancestors' product. */
function effectiveZoom(host: Element, styleOf: StyleOf): number {
  const own = (host as Element & { currentCSSZoom?: number }).currentCSSZoom;
  if (typeof own === 'number') return own;
  let zoom = 1;
  for (let el: Element | null = host; el; el = parentAcrossShadows(el)) {
    const value = Number.parseFloat(styleOf(el).zoom || '1');
    if (Number.isFinite(value) && value > 0) zoom *= value;
  }
  return zoom;
}

/** The page restyled the host, or clips, masks, zooms or transforms something around it. */
export function styleRefusal(host: Element, styleOf: StyleOf): AppearanceRefusal | null {
  const own = styleOf(host) as unknown as Record<string, string | undefined>;
  for (const [property, expected] of Object.entries(PINNED_HOST_STYLE)) {
    const value = own[property];
    if (value !== undefined && value !== '' && value !== expected) return 'distorted';
  }
  if (Math.abs(effectiveZoom(host, styleOf) - 1) > 0.001) return 'distorted';
  for (let el = parentAcrossShadows(host); el; el = parentAcrossShadows(el)) {
    const style = styleOf(el);
    if (hides(style) || distorts(style)) return 'distorted';
  }
  return null;
}

export interface Viewport {
  width: number;
  height: number;
}

/**
 * A part (the line naming the patient, the clicked button) must be drawn at its laid-out size, wholly inside
 * the viewport, and be what the page shows at its corners and middle: anything clipping or covering part of
 * it (an ancestor's overflow, a page element drawn on top) shows at one of those points instead of our host.
 */
export function geometryRefusal(host: Element, part: HTMLElement, viewport: Viewport, hit: (x: number, y: number) => Element | null): AppearanceRefusal | null {
  const box = part.getBoundingClientRect();
  if (box.width <= 0 || box.height <= 0) return 'partly-hidden';
  if (box.left < 0 || box.top < 0 || box.right > viewport.width || box.bottom > viewport.height) return 'partly-hidden';
  const laidOut = { width: part.offsetWidth, height: part.offsetHeight };
  if (laidOut.width > 0 && laidOut.height > 0) {
    const ratio = Math.min(box.width / laidOut.width, box.height / laidOut.height);
    if (Math.abs(ratio - 1) > SIZE_TOLERANCE) return 'distorted';
  }
  const inset = Math.min(2, box.width / 4, box.height / 4);
  const points: [number, number][] = [
    [box.left + inset, box.top + inset],
    [box.right - inset, box.top + inset],
    [box.left + inset, box.bottom - inset],
    [box.right - inset, box.bottom - inset],
    [box.left + box.width / 2, box.top + box.height / 2],
  ];
  return points.every(([x, y]) => hit(x, y) === host) ? null : 'partly-hidden';
}

/** Why what the clinician sees of our UI cannot be trusted at this click, or null when it can. */
export function appearanceRefusal(host: Element, parts: readonly HTMLElement[]): AppearanceRefusal | null {
  const doc = host.ownerDocument;
  const win = doc.defaultView;
  if (!win) return 'partly-hidden';
  const styleOf: StyleOf = (element) => win.getComputedStyle(element);
  const style = styleRefusal(host, styleOf);
  if (style) return style;
  const viewport = { width: doc.documentElement.clientWidth || win.innerWidth, height: doc.documentElement.clientHeight || win.innerHeight };
  for (const part of parts) {
    const geometry = geometryRefusal(host, part, viewport, (x, y) => doc.elementFromPoint(x, y));
    if (geometry) return geometry;
  }
  return null;
}
