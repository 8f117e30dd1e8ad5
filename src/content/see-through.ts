/**
 * What the page paints over the bar, including content that lets clicks through (`pointer-events: none`),
 * which hit testing (elementFromPoint) does not see. Chromium answers this itself (Intersection Observer v2,
 * click-guard.ts); Firefox has no such verdict, so there the bar looks for itself: for a moment it makes every
 * element of the page hit-testable, asks what lies above the bar at a few of its points, and puts the page back,
 * all in one synchronous step that no page script can run inside.
 */

/** Whether the browser works out visibility itself (Intersection Observer v2: Chromium; not Firefox). */
export function browserGivesVisibility(): boolean {
  const Entry = (globalThis as { IntersectionObserverEntry?: typeof IntersectionObserverEntry }).IntersectionObserverEntry;
  return Entry !== undefined && 'isVisible' in Entry.prototype;
}

/** First in the page's layer order, so its `!important` beats the page's own, layered or not. */
const LAYER = 'ehr-launchpad-hit-test';
const EVERYTHING_HIT_TESTABLE = `@layer ${LAYER} { *, *::before, *::after { pointer-events: auto !important; } }`;

/** Below this the page's paint cannot hide the bar's text: a transparent wrapper over the page is no cover. */
const MIN_COVER_OPACITY = 0.05;

const REPLACED = new Set(['IMG', 'VIDEO', 'CANVAS', 'IFRAME', 'OBJECT', 'EMBED', 'INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'PICTURE', 'svg', 'SVG']);

/** Runs `read` with every element of `doc` hit-testable, then puts every style back as it was. */
export function withEverythingHitTestable<T>(doc: Document, read: () => T): T {
  const style = doc.createElement('style');
  style.textContent = EVERYTHING_HIT_TESTABLE;
  // A style attribute's !important beats any sheet: those few elements are lifted one by one.
  const inline = [...doc.querySelectorAll<HTMLElement>('[style*="pointer-events" i]')].map((el) => ({
    el,
    value: el.style.getPropertyValue('pointer-events'),
    priority: el.style.getPropertyPriority('pointer-events'),
  }));
  doc.documentElement.prepend(style);
  for (const { el } of inline) el.style.setProperty('pointer-events', 'auto', 'important');
  try {
    return read();
  } finally {
    style.remove();
    for (const { el, value, priority } of inline) {
      if (value) el.style.setProperty('pointer-events', value, priority);
      else el.style.removeProperty('pointer-events');
    }
  }
}

function transparent(colour: string): boolean {
  if (colour === 'transparent' || colour === '') return true;
  const alpha = /rgba?\([^)]*[,/]\s*([\d.]+%?)\s*\)/.exec(colour)?.[1];
  if (alpha === undefined) return false;
  return Number.parseFloat(alpha) === 0;
}

function opacityOf(el: Element, win: Window): number {
  let opacity = 1;
  for (let at: Element | null = el; at; at = at.parentElement) opacity *= Number.parseFloat(win.getComputedStyle(at).opacity || '1');
  return opacity;
}

function textAt(el: Element, doc: Document, x: number, y: number): boolean {
  for (const node of el.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent?.trim()) continue;
    const range = doc.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return true;
  }
  return false;
}

function pseudoPaints(el: Element, win: Window, pseudo: '::before' | '::after'): boolean {
  const style = win.getComputedStyle(el, pseudo);
  if (!isSet(style.content, 'none') || style.content === 'normal' || style.display === 'none') return false;
  return !transparent(style.backgroundColor) || isSet(style.backgroundImage, 'none') || (style.content !== '""' && !transparent(style.color));
}

/** Whether a computed value differs from its initial one ('' where a browser leaves it out). */
function isSet(value: string, initial: string): boolean {
  return value !== '' && value !== initial;
}

/** Whether `el`, found above the bar at (x, y), draws anything there that could hide or change what the bar shows. */
export function paintsAt(el: Element, x: number, y: number): boolean {
  const doc = el.ownerDocument;
  const win = doc.defaultView;
  if (!win) return false;
  if (opacityOf(el, win) < MIN_COVER_OPACITY) return false;
  if (REPLACED.has(el.tagName) || REPLACED.has(el.nodeName)) return true;
  const style = win.getComputedStyle(el);
  if (!transparent(style.backgroundColor) || isSet(style.backgroundImage, 'none')) return true;
  if (isSet(style.mixBlendMode, 'normal') || isSet(style.filter, 'none') || isSet(style.getPropertyValue('backdrop-filter'), 'none') || isSet(style.boxShadow, 'none')) return true;
  for (const side of ['top', 'right', 'bottom', 'left']) {
    const drawn = Number.parseFloat(style.getPropertyValue(`border-${side}-width`)) > 0 && isSet(style.getPropertyValue(`border-${side}-style`), 'none');
    if (drawn && !transparent(style.getPropertyValue(`border-${side}-color`))) return true;
  }
  if (!transparent(style.color) && textAt(el, doc, x, y)) return true;
  return pseudoPaints(el, win, '::before') || pseudoPaints(el, win, '::after');
}

/** What the page paints over `host` at any of `points`, with every element hit-testable; null when nothing. */
export function paintedOver(host: Element, points: readonly { x: number; y: number }[]): Element | null {
  const doc = host.ownerDocument;
  return withEverythingHitTestable(doc, () => {
    for (const { x, y } of points) {
      for (const el of doc.elementsFromPoint(x, y)) {
        if (el === host) break;
        if (paintsAt(el, x, y)) return el;
      }
    }
    return null;
  });
}

/** Points to look at over a box: its middle and eight points inset from its edges, plus any extra (the pointer). */
export function samplePoints(box: Pick<DOMRect, 'left' | 'top' | 'width' | 'height'>, extra: readonly { x: number; y: number }[] = []): { x: number; y: number }[] {
  const points: { x: number; y: number }[] = [];
  for (const fx of [0.15, 0.5, 0.85]) for (const fy of [0.2, 0.5, 0.8]) points.push({ x: box.left + box.width * fx, y: box.top + box.height * fy });
  return [...points, ...extra];
}

/**
 * How often the bar looks while the pointer or focus is on it: a cover shown while the clinician aims counts.
 * A look costs the page two restyles: 7 ms on the demo record page (3,500 elements) and 24 ms on its busy
 * layout (10,500) in Firefox ESR on this project's 2-core test machine, page world, p50.
 */
export const SAMPLE_MS = 100;

/**
 * A visibility tracker (click-guard.ts) for a browser that gives no verdict of its own: from `start` it looks at
 * the area every SAMPLE_MS, at its points and where the pointer is, and its verdict is false if anything was
 * painted over the area at any of those moments (a decoy taken away just before the click still counts).
 */
export function trackSeeThrough(area: Element, host: Element) {
  let timer: ReturnType<typeof setInterval> | undefined;
  let covered = false;
  let pointer: { x: number; y: number } | null = null;
  area.addEventListener('pointermove', (event) => {
    const { clientX: x, clientY: y } = event as PointerEvent;
    pointer = { x, y };
  });
  const look = () => {
    const box = area.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    if (paintedOver(host, samplePoints(box, pointer ? [pointer] : []))) covered = true;
  };
  return {
    start() {
      if (timer !== undefined) return;
      covered = false;
      look();
      timer = setInterval(look, SAMPLE_MS);
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      covered = false;
      pointer = null;
    },
    verdict(): Promise<boolean | undefined> {
      if (timer === undefined) this.start();
      else look();
      return Promise.resolve(!covered);
    },
  };
}
